// Tokenizer: turns text into model input ids, with the byte span of every token.
//
// Promises:
//  - Loads Hugging Face `tokenizer.json` files (WordPiece with the BERT normaliser and
//    pre-tokeniser; byte-level BPE with the GPT-2 split, as ModernBERT uses) and plain BERT
//    `vocab.txt` files. Unsupported components are reported as a Status naming them.
//  - Encode() never crashes on any byte string. Invalid UTF-8 is decoded as U+FFFD, one per
//    maximal invalid subsequence (the WHATWG / Unicode "maximal subpart" rule); the U+FFFD
//    keeps the span of the bytes it replaced. (The BERT normaliser then drops it, as HF does.)
//  - offsets[i] is the byte range [begin, end) of token i in the original `text`; special
//    tokens added by the post-processor have {0, 0} and special_tokens_mask[i] == 1.
//  - Truncation: at most `max_length` ids in total, special tokens included (0 = no limit);
//    the tail of the text is dropped.
//  - Encode() is const and thread-safe; it reuses the vectors of `out` (and per-thread scratch
//    space), so after warm-up it performs no heap allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace vsr {

struct Encoding {
  std::vector<int32_t> ids;
  // Byte [begin, end) in the original text; {0, 0} for special tokens.
  std::vector<std::pair<uint32_t, uint32_t>> offsets;
  std::vector<uint8_t> special_tokens_mask;  // 1 for [CLS], [SEP], <s>, ...

  size_t size() const { return ids.size(); }
  void clear() {
    ids.clear();
    offsets.clear();
    special_tokens_mask.clear();
  }
};

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // `dir`/tokenizer.json when present, else `dir`/vocab.txt (lower-casing read from
  // `dir`/tokenizer_config.json `do_lower_case` when present, default true).
  static StatusOr<std::unique_ptr<Tokenizer>> FromModelDir(const std::string& dir);
  static StatusOr<std::unique_ptr<Tokenizer>> FromTokenizerJson(const std::string& path);
  // The same from JSON text; `source_name` names it in errors.
  static StatusOr<std::unique_ptr<Tokenizer>> FromTokenizerJsonString(
      std::string_view json, const std::string& source_name);
  // A BERT WordPiece tokenizer from a one-token-per-line vocab.txt ([CLS] text [SEP]).
  static StatusOr<std::unique_ptr<Tokenizer>> FromVocabTxt(const std::string& path, bool lowercase);

  // Encodes `text` into `out` (cleared first). Errors only for an unusable `out` (null).
  virtual Status Encode(std::string_view text, Encoding* out, bool add_special_tokens = true,
                        size_t max_length = 512) const = 0;

  // Ids of the special tokens; -1 when the vocabulary has none.
  virtual int32_t pad_id() const = 0;
  virtual int32_t cls_id() const = 0;  // [CLS] or <s> (BOS)
  virtual int32_t sep_id() const = 0;  // [SEP] or </s> (EOS)
  virtual int32_t unk_id() const = 0;
  virtual size_t vocab_size() const = 0;
  // The token string of `id` ("" when out of range).
  virtual std::string_view IdToToken(int32_t id) const = 0;
  // The id of an exact token string, or -1.
  virtual int32_t TokenToId(std::string_view token) const = 0;
  // "wordpiece" or "bpe".
  virtual std::string_view model_type() const = 0;
  // How many special tokens Encode(..., add_special_tokens = true) adds to one sequence.
  virtual size_t num_special_tokens() const = 0;
};

}  // namespace vsr
