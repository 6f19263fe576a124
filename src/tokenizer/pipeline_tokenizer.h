// PipelineTokenizer: the parts of the HF tokenizer pipeline every model shares.
//
// Promises: Encode() splits the text on added tokens ([CLS], <mask>, ... written in the
// text map to their ids), hands each remaining piece to the model (EncodeText), wraps the
// result in the post-processor's special tokens and truncates to max_length, special tokens
// included. The model stops as soon as the limit is reached, so a 100 KB text costs what its
// first max_length tokens cost.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/added_tokens.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab.h"

namespace vsr::tokenizer {

class PipelineTokenizer : public Tokenizer {
 public:
  Status Encode(std::string_view text, Encoding* out, bool add_special_tokens = true,
                size_t max_length = 512) const final;

  int32_t pad_id() const override { return pad_id_; }
  int32_t cls_id() const override { return cls_id_; }
  int32_t sep_id() const override { return sep_id_; }
  int32_t unk_id() const override { return unk_id_; }
  size_t vocab_size() const override { return vocab_.size(); }
  std::string_view IdToToken(int32_t id) const override { return vocab_.Token(id); }
  int32_t TokenToId(std::string_view token) const override { return vocab_.Find(token); }
  size_t num_special_tokens() const override { return prefix_.size() + suffix_.size(); }

  // Set up by the loaders (tokenizer_json.cc, tokenizer.cc).
  Vocab& vocab() { return vocab_; }
  AddedTokens& added_tokens() { return added_; }
  void SetTemplate(std::vector<int32_t> prefix, std::vector<int32_t> suffix) {
    prefix_ = std::move(prefix);
    suffix_ = std::move(suffix);
  }
  void SetSpecialIds(int32_t cls, int32_t sep, int32_t pad, int32_t unk) {
    cls_id_ = cls;
    sep_id_ = sep;
    pad_id_ = pad;
    unk_id_ = unk;
  }

 protected:
  // Appends the tokens of `text` (a piece without added tokens) to `out` with offsets
  // shifted by `base`, and stops once out->ids.size() == limit.
  virtual void EncodeText(std::string_view text, uint32_t base, size_t limit,
                          Encoding* out) const = 0;

  // Appends one token (the helper every model uses).
  static void Push(Encoding* out, int32_t id, uint32_t begin, uint32_t end) {
    out->ids.push_back(id);
    out->offsets.emplace_back(begin, end);
    out->special_tokens_mask.push_back(0);
  }

  Vocab vocab_;
  AddedTokens added_;
  std::vector<int32_t> prefix_;
  std::vector<int32_t> suffix_;
  int32_t cls_id_ = -1;
  int32_t sep_id_ = -1;
  int32_t pad_id_ = -1;
  int32_t unk_id_ = -1;
};

}  // namespace vsr::tokenizer
