// Vocab: token string <-> id, for lookups on the hot path.
//
// Promises: Find() hashes the bytes of a string_view and probes an open-addressing table
// whose keys live in one arena, so a lookup never allocates. Ids are dense [0, size()) as
// given by the caller; gaps read back as "".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vsr::tokenizer {

class Vocab {
 public:
  // Adds `token` with `id` (>= 0). Returns false when the token was already present (it then
  // takes the new id, as a later line of a vocab file does in HF).
  bool Add(std::string_view token, int32_t id);
  // The id of `token`, or -1.
  int32_t Find(std::string_view token) const;
  // The token with `id`, or "" when there is none.
  std::string_view Token(int32_t id) const;
  // One past the largest id added.
  size_t size() const { return by_id_.size(); }
  // Number of distinct tokens.
  size_t count() const { return count_; }
  // Length in bytes of the longest token.
  size_t max_token_bytes() const { return max_token_bytes_; }

  static uint64_t Hash(std::string_view s);

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0;
    uint32_t length = 0;
    int32_t id = -1;  // -1: empty
  };
  struct Span {
    uint32_t offset = 0;
    uint32_t length = 0;
  };
  std::string_view KeyOf(const Slot& s) const {
    return std::string_view(arena_).substr(s.offset, s.length);
  }
  void Grow();

  std::string arena_;
  std::vector<Slot> slots_;  // power-of-two size
  std::vector<Span> by_id_;
  size_t count_ = 0;
  size_t max_token_bytes_ = 0;
};

}  // namespace vsr::tokenizer
