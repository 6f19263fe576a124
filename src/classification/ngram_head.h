// NgramHead: a second, linear classifier over the WordPiece ids a sequence classifier has
// already computed, whose probabilities are averaged with the encoder's. Features are each
// non-special id and each pair of neighbouring ids hashed into `buckets` extra rows; the
// logits are the mean of the features' weight rows (fastText without a hidden layer).
//
// Why: the default domain model is a 2-layer BERT trained on dictionary text; a bag of
// word and bigram weights trained on the same texts makes different errors, and the mean
// of the two is better than either (models/README.md, "Run selection, session 8") at a
// cost of one row read per feature.
//
// Format, in an HF model directory: config.json carries
//   "ngram_head": {"buckets": B, "weight": w}
// and ngram_head.safetensors holds "ngram_head.weight" of shape [vocab_size + B, num_labels]
// (f32, f16 or bf16). Row `id` is token `id`; the pair (a, b) uses row
// vocab_size + (a * 1000003 + b) mod B. Final probabilities: (1 - w) p_encoder + w p_ngram.
// A directory without the key has no head (every upstream HF model).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "tokenizer/tokenizer.h"

namespace vsr::classification {

class NgramHead {
 public:
  static constexpr uint64_t kPairMultiplier = 1000003;

  // The head of `model_dir`, or null (and OK) when config.json has no "ngram_head". Errors
  // name the directory and what is wrong (bad key values, missing file, wrong shape).
  static StatusOr<std::unique_ptr<NgramHead>> Load(const std::string& model_dir, int64_t vocab_size,
                                                   int64_t num_labels);

  // probabilities[0, num_labels) = (1 - w) * probabilities + w * softmax(head logits of
  // `encoding`). Leaves them unchanged when the encoding has no non-special token.
  void Mix(const Encoding& encoding, float* probabilities) const;

  int64_t buckets() const { return buckets_; }
  float weight() const { return weight_; }

 private:
  NgramHead() = default;
  int64_t vocab_size_ = 0, num_labels_ = 0, buckets_ = 0;
  float weight_ = 0.0f;
  std::vector<float> rows_;  // [vocab_size + buckets, num_labels]
};

}  // namespace vsr::classification
