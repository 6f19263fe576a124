#include "tokenizer/added_tokens.h"

#include <cstring>

#include "tokenizer/unicode.h"

namespace vsr::tokenizer {
namespace {

bool IsAsciiSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c >= 0x80;
}

}  // namespace

void AddedTokens::Add(AddedToken token) {
  if (token.content.empty() || token.id < 0) return;
  by_first_byte_[static_cast<unsigned char>(token.content[0])].push_back(
      static_cast<uint32_t>(tokens_.size()));
  tokens_.push_back(std::move(token));
}

bool AddedTokens::Find(std::string_view text, size_t from, Match* match) const {
  if (tokens_.empty()) return false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = from; i < text.size(); ++i) {
    const std::vector<uint32_t>& candidates = by_first_byte_[s[i]];
    if (candidates.empty()) continue;
    const AddedToken* best = nullptr;
    for (uint32_t k : candidates) {
      const AddedToken& t = tokens_[k];
      if (t.content.size() > text.size() - i) continue;
      if (std::memcmp(t.content.data(), s + i, t.content.size()) != 0) continue;
      if (t.single_word) {
        const size_t e = i + t.content.size();
        if ((i > 0 && IsWordByte(s[i - 1])) || (e < text.size() && IsWordByte(s[e]))) continue;
      }
      if (best == nullptr || t.content.size() > best->content.size()) best = &t;
    }
    if (best == nullptr) continue;
    Match m;
    m.token_begin = i;
    m.token_end = i + best->content.size();
    m.begin = m.token_begin;
    m.end = m.token_end;
    m.id = best->id;
    if (best->lstrip) {
      while (m.begin > from && IsAsciiSpace(s[m.begin - 1])) --m.begin;
    }
    if (best->rstrip) {
      while (m.end < text.size() && IsAsciiSpace(s[m.end])) ++m.end;
    }
    *match = m;
    return true;
  }
  return false;
}

}  // namespace vsr::tokenizer
