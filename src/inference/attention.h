// Multi-head self-attention over a packed batch: every (sequence, head) pair is an
// independent task on the thread pool, so sequences never attend across each other and no
// padding is ever computed. Optional rotary embeddings (ModernBERT) are applied to each
// task's q/k slice in place, and an optional sliding window restricts attention to
// |i - j| <= window (ModernBERT local layers).
#pragma once

#include <cstdint>
#include <vector>

#include "inference/packed_batch.h"
#include "inference/thread_pool.h"

namespace vsr::inference {

struct AttentionParams {
  int64_t hidden = 0;
  int64_t heads = 0;
  int64_t window = -1;              // half window; < 0 means global attention
  const float* rope_cos = nullptr;  // [max_pos, head_dim / 2], null: no rotary
  const float* rope_sin = nullptr;
};

// qkv: [T, 3 * hidden] (q | k | v, heads contiguous inside each); ctx: [T, hidden].
// `scratch` holds one buffer per pool worker (grown as needed).
void PackedAttention(ThreadPool* pool, const PackedBatch& batch, float* qkv, float* ctx,
                     const AttentionParams& p, std::vector<std::vector<float>>* scratch);

// Rotary tables: cos/sin of pos * theta^(-2j/dim), [max_pos, dim / 2].
void BuildRotaryTables(int64_t max_pos, int64_t dim, double theta, std::vector<float>* cos_t,
                       std::vector<float>* sin_t);

}  // namespace vsr::inference
