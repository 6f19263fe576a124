// WordPieceTokenizer: BERT's tokenizer (BertNormalizer + BertPreTokenizer + WordPiece).
//
// Promises: the same ids as HF `tokenizers` for the same tokenizer.json: clean-up of control
// characters and U+FFFD, white space to spaces, spaces around CJK ideographs, accent
// stripping (NFD, drop Mn) then lower-casing per code point, a split on white space and on
// every punctuation character, then greedy longest-match-first WordPiece with the
// continuation prefix; a word that cannot be covered, or longer than
// max_input_chars_per_word characters, becomes one unk token spanning the whole word.
// Every token's offsets are the bytes of the original text it came from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tokenizer/pipeline_tokenizer.h"

namespace vsr::tokenizer {

struct BertNormalizerOptions {
  bool enabled = true;  // false: no normaliser at all
  bool clean_text = true;
  bool handle_chinese_chars = true;
  bool strip_accents = true;  // HF: null means "same as lowercase"
  bool lowercase = true;
};

struct WordPieceOptions {
  std::string unk_token = "[UNK]";
  std::string continuing_subword_prefix = "##";
  size_t max_input_chars_per_word = 100;
};

class WordPieceTokenizer : public PipelineTokenizer {
 public:
  WordPieceTokenizer(const BertNormalizerOptions& normalizer, const WordPieceOptions& model);

  // Call once the vocabulary is filled: indexes the continuation pieces and finds unk.
  Status Finish();

  std::string_view model_type() const override { return "wordpiece"; }

 protected:
  void EncodeText(std::string_view text, uint32_t base, size_t limit, Encoding* out) const override;

 private:
  struct Word;
  // Runs WordPiece on one pre-token; false once `limit` is reached.
  bool EmitWord(const Word& w, uint32_t base, size_t limit, Encoding* out) const;

  BertNormalizerOptions norm_;
  WordPieceOptions model_;
  Vocab continuation_;  // tokens that start with the prefix, keyed without it
  int32_t model_unk_id_ = -1;
  size_t max_piece_bytes_ = 0;
};

}  // namespace vsr::tokenizer
