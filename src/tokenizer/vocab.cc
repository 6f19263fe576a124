#include "tokenizer/vocab.h"

#include <cstring>

namespace vsr::tokenizer {
namespace {

constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;

inline uint64_t Mix(uint64_t h) {
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h;
}

}  // namespace

uint64_t Vocab::Hash(std::string_view s) {
  uint64_t h = s.size() * kMul;
  const char* p = s.data();
  size_t n = s.size();
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * kMul;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * kMul;
  }
  return Mix(h);
}

void Vocab::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id < 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].id >= 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

bool Vocab::Add(std::string_view token, int32_t id) {
  if (id < 0) return false;
  if ((count_ + 1) * 2 > slots_.size()) Grow();  // load factor <= 0.5
  const uint64_t h = Hash(token);
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i].id >= 0) {
    if (slots_[i].hash == h && KeyOf(slots_[i]) == token) {  // the later id wins, as in HF
      slots_[i].id = id;
      if (static_cast<size_t>(id) >= by_id_.size()) by_id_.resize(static_cast<size_t>(id) + 1);
      by_id_[static_cast<size_t>(id)] = Span{slots_[i].offset, slots_[i].length};
      return false;
    }
    i = (i + 1) & mask;
  }
  Slot s;
  s.hash = h;
  s.offset = static_cast<uint32_t>(arena_.size());
  s.length = static_cast<uint32_t>(token.size());
  s.id = id;
  arena_.append(token);
  slots_[i] = s;
  if (static_cast<size_t>(id) >= by_id_.size()) by_id_.resize(static_cast<size_t>(id) + 1);
  by_id_[static_cast<size_t>(id)] = Span{s.offset, s.length};
  ++count_;
  if (token.size() > max_token_bytes_) max_token_bytes_ = token.size();
  return true;
}

int32_t Vocab::Find(std::string_view token) const {
  if (slots_.empty()) return -1;
  const uint64_t h = Hash(token);
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i].id >= 0) {
    const Slot& s = slots_[i];
    if (s.hash == h && s.length == token.size() &&
        std::memcmp(arena_.data() + s.offset, token.data(), token.size()) == 0) {
      return s.id;
    }
    i = (i + 1) & mask;
  }
  return -1;
}

std::string_view Vocab::Token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= by_id_.size()) return {};
  const Span& s = by_id_[static_cast<size_t>(id)];
  return std::string_view(arena_).substr(s.offset, s.length);
}

}  // namespace vsr::tokenizer
