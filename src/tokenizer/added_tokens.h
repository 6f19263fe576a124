// AddedTokens: the tokenizer.json "added_tokens" ([CLS], [MASK], <s>, ...) found verbatim in
// input text, which HF tokenizers map to their ids before the model sees the rest.
//
// Promises: Find() reports the leftmost, then longest, occurrence at or after `from`, with
// the lstrip / rstrip / single_word rules of HF applied, and never allocates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vsr::tokenizer {

struct AddedToken {
  std::string content;
  int32_t id = -1;
  bool special = false;
  bool lstrip = false;       // the match swallows white space before it
  bool rstrip = false;       // ... and after it
  bool single_word = false;  // only matches when not inside a word
};

class AddedTokens {
 public:
  struct Match {
    size_t begin = 0;  // text consumed by the match, white space swallowed included
    size_t end = 0;
    size_t token_begin = 0;  // the token's own bytes
    size_t token_end = 0;
    int32_t id = -1;
  };

  void Add(AddedToken token);
  bool empty() const { return tokens_.empty(); }
  const std::vector<AddedToken>& tokens() const { return tokens_; }

  // The first match in text[from..]; false when there is none.
  bool Find(std::string_view text, size_t from, Match* match) const;

 private:
  std::vector<AddedToken> tokens_;
  std::vector<uint32_t> by_first_byte_[256];  // indexes into tokens_
};

}  // namespace vsr::tokenizer
