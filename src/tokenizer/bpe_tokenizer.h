// BpeTokenizer: byte-level BPE (GPT-2, RoBERTa, ModernBERT): ByteLevel pre-tokeniser with
// the GPT-2 split, then BPE merges by rank.
//
// Promises: the same ids as HF `tokenizers` for the same tokenizer.json on UTF-8 text.
// The split is the GPT-2 pattern
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// implemented as a hand-written scanner over the Unicode tables (no regex engine). Each
// piece's bytes map to the byte-level alphabet and are merged lowest rank first (leftmost on
// ties) in O(n log n). Invalid UTF-8 is first replaced by U+FFFD (whose three bytes are
// then encoded); offsets always point into the original text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/pipeline_tokenizer.h"

namespace vsr::tokenizer {

struct ByteLevelOptions {
  bool add_prefix_space = false;
  bool use_regex = true;
  bool trim_offsets = false;  // post-processor: offsets leave out leading/trailing spaces
};

struct BpeOptions {
  std::string unk_token;       // empty: none
  bool ignore_merges = false;  // a piece that is itself in the vocabulary is one token
};

class BpeTokenizer : public PipelineTokenizer {
 public:
  BpeTokenizer(const ByteLevelOptions& byte_level, const BpeOptions& model);

  // Adds the next merge rule (rank = number of rules added before it). Both sides and their
  // concatenation must be in the vocabulary.
  Status AddMerge(std::string_view left, std::string_view right);
  // Call once vocabulary and merges are in: resolves the byte alphabet.
  Status Finish();

  std::string_view model_type() const override { return "bpe"; }
  size_t merge_count() const { return merge_count_; }

  // The byte-level alphabet: the code point that stands for byte `b` (GPT-2 bytes_to_unicode).
  static uint32_t ByteToCodepoint(uint8_t b);

 protected:
  void EncodeText(std::string_view text, uint32_t base, size_t limit, Encoding* out) const override;

 private:
  struct MergeSlot {
    uint64_t key = ~0ull;  // (left << 32) | right; ~0: empty
    int32_t rank = 0;
    int32_t merged = 0;
  };
  const MergeSlot* FindMerge(int32_t left, int32_t right) const;
  void InsertMerge(int32_t left, int32_t right, int32_t rank, int32_t merged);

  struct Scratch;
  // BPE over one pre-token (bytes [a, b) of the working text); false once `limit` is hit.
  bool EmitPiece(const Scratch& work, size_t a, size_t b, size_t limit, Encoding* out) const;

  ByteLevelOptions byte_level_;
  BpeOptions model_;
  std::vector<MergeSlot> merges_;  // open addressing, power-of-two size
  size_t merge_count_ = 0;
  int32_t byte_id_[256];
  int32_t model_unk_id_ = -1;
};

}  // namespace vsr::tokenizer
