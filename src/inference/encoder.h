// Encoder: the internal interface each architecture (BERT, ModernBERT) implements for
// EncoderModel. An Encoder owns its weights (f32) and is immutable after Load, so one
// instance serves concurrent forward passes, each with its own Workspace.
#pragma once

#include <memory>
#include <vector>

#include "common/status.h"
#include "inference/model_config.h"
#include "inference/packed_batch.h"
#include "inference/thread_pool.h"
#include "inference/weight_loader.h"

namespace vsr::inference {

// Scratch buffers of one forward pass; grown on demand, reused across calls.
struct Workspace {
  std::vector<float> h, tmp, qkv, ctx, inter, gated, features, pooled;
  std::vector<std::vector<float>> scratch;  // per pool worker
};

// Grows `v` to at least n floats (never shrinks, so steady state does not allocate).
inline float* Grow(std::vector<float>* v, int64_t n) {
  if (v->size() < static_cast<size_t>(n)) v->resize(static_cast<size_t>(n));
  return v->data();
}

class Encoder {
 public:
  virtual ~Encoder() = default;
  // Last hidden state of every token into ws->h ([T, hidden]).
  virtual void Forward(const PackedBatch& batch, ThreadPool* pool, Workspace* ws) const = 0;
  // Per-sequence features that the sequence classifier's linear layer reads, from ws->h
  // ([n, hidden] into ws->features). BERT: pooler (dense + tanh on [CLS]); ModernBERT:
  // cls/mean pooling then the prediction head.
  virtual Status SequenceFeatures(const PackedBatch& batch, ThreadPool* pool,
                                  Workspace* ws) const = 0;
  // Per-token features for the token classifier's linear layer ([T, hidden] into
  // ws->features). BERT: the hidden state; ModernBERT: the prediction head.
  virtual void TokenFeatures(const PackedBatch& batch, ThreadPool* pool, Workspace* ws) const = 0;
  // Floating-point operations of Forward on `batch` (for GFLOP/s reporting).
  virtual double Flops(const PackedBatch& batch) const = 0;
};

StatusOr<std::unique_ptr<Encoder>> LoadBertEncoder(const ModelConfig& config,
                                                   const WeightLoader& weights, int64_t max_len);
StatusOr<std::unique_ptr<Encoder>> LoadModernBertEncoder(const ModelConfig& config,
                                                         const WeightLoader& weights,
                                                         int64_t max_len);

// Mean over each sequence's rows of h ([T, dim] -> [n, dim]).
void MeanPool(const PackedBatch& batch, const float* h, int64_t dim, float* out);

}  // namespace vsr::inference
