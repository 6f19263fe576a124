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

// How PackedAttention walks one (sequence, head): query rows in blocks of
// AttentionRowBlock rows, each block reading the keys of AttentionKeys. Global layers read
// every key, and a sequence of up to 2,048 tokens is a single block. Local layers read only
// the keys within the window of some row of the block (from a 32-key panel boundary), so
// their cost grows with length x window, not length^2; the score scratch is always one
// block's rows x keys. Exposed for tests.
struct KeyRange {
  int64_t begin = 0;
  int64_t end = 0;
};
int64_t AttentionRowBlock(const AttentionParams& p, int64_t length);
KeyRange AttentionKeys(const AttentionParams& p, int64_t length, int64_t row_begin,
                       int64_t row_end);

// Rotary tables: cos/sin of pos * theta^(-2j/dim), [max_pos, dim / 2].
void BuildRotaryTables(int64_t max_pos, int64_t dim, double theta, std::vector<float>* cos_t,
                       std::vector<float>* sin_t);

}  // namespace vsr::inference
