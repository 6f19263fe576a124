#include "inference/attention.h"

#include <algorithm>
#include <cmath>

#include "inference/kernels.h"
#include "inference/packed_matrix.h"

namespace vsr::inference {
namespace {

void ApplyRotary(float* x, int64_t rows, int64_t ld, int64_t dim, const float* cos_t,
                 const float* sin_t) {
  const int64_t half = dim / 2;
  for (int64_t p = 0; p < rows; ++p) {
    float* v = x + p * ld;
    const float* c = cos_t + p * half;
    const float* s = sin_t + p * half;
    for (int64_t j = 0; j < half; ++j) {
      const float a = v[j];
      const float b = v[j + half];
      v[j] = a * c[j] - b * s[j];
      v[j + half] = b * c[j] + a * s[j];
    }
  }
}

}  // namespace

void BuildRotaryTables(int64_t max_pos, int64_t dim, double theta, std::vector<float>* cos_t,
                       std::vector<float>* sin_t) {
  const int64_t half = dim / 2;
  cos_t->resize(static_cast<size_t>(max_pos * half));
  sin_t->resize(static_cast<size_t>(max_pos * half));
  for (int64_t j = 0; j < half; ++j) {
    // Same rounding path as the PyTorch reference: f32 inverse frequency, f32 product.
    const float inv_freq = static_cast<float>(
        1.0 / std::pow(theta, static_cast<double>(2 * j) / static_cast<double>(dim)));
    for (int64_t p = 0; p < max_pos; ++p) {
      const float angle = static_cast<float>(p) * inv_freq;
      (*cos_t)[p * half + j] = std::cos(angle);
      (*sin_t)[p * half + j] = std::sin(angle);
    }
  }
}

int64_t AttentionRowBlock(const AttentionParams& p, int64_t length) {
  // Local layers go kLocalRows query rows at a time: a block reads its rows plus the window
  // on each side. Global layers read every key, and a block is as many rows as keep the
  // scores within kGlobalScores floats (16 MB): one block up to 2,048 tokens, as fast as
  // one product per head; longer sequences in blocks of >= 512 rows, so the scratch grows
  // with the length, not with its square.
  constexpr int64_t kLocalRows = 64, kGlobalScores = int64_t{1} << 22;
  if (p.window >= 0) return kLocalRows;
  return std::max<int64_t>(
      1, std::min(length, std::max(kLocalRows, kGlobalScores / std::max<int64_t>(length, 1))));
}

KeyRange AttentionKeys(const AttentionParams& p, int64_t length, int64_t row_begin,
                       int64_t row_end) {
  if (p.window < 0) return {0, length};
  // From the first row's window start, rounded down to a 32-key panel so that the packed K
  // panels are used in place, to the last row's window end (row_end - 1 + window, inclusive).
  const int64_t first = std::max<int64_t>(0, row_begin - p.window) / 32 * 32;
  return {first, std::min(length, row_end + p.window)};
}

void PackedAttention(ThreadPool* pool, const PackedBatch& batch, float* qkv, float* ctx,
                     const AttentionParams& p, std::vector<std::vector<float>>* scratch) {
  const int64_t H = p.hidden;
  const int64_t d = H / p.heads;
  const int64_t ld = 3 * H;
  const int64_t dp = (d + 31) / 32 * 32;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const int64_t nseq = batch.num_sequences();
  // Scratch per task: K panels of the whole sequence, then V panels and scores of one row
  // block (`keys` is the most keys a block reads).
  struct Layout {
    int64_t kpan, keys, rows;
    size_t floats(int64_t dpad) const {
      return static_cast<size_t>(kpan + dpad * keys + rows * keys);
    }
  };
  auto layout = [&](int64_t L) {
    const int64_t rows = std::min(AttentionRowBlock(p, L), L);
    const int64_t keys = p.window < 0 ? L : std::min(L, rows + 2 * p.window + 31);
    return Layout{(L + 31) / 32 * 32 * d, keys, rows};
  };
  size_t need = 0;
  for (int64_t s = 0; s < nseq; ++s) need = std::max(need, layout(batch.length(s)).floats(dp));
  const size_t workers = pool ? static_cast<size_t>(pool->size()) : 1;
  if (scratch->size() < workers) scratch->resize(workers);
  for (auto& buf : *scratch) {
    if (buf.size() < need) buf.resize(need);
  }
  auto task = [&](int64_t t, int worker) {
    const int64_t s = t / p.heads;
    const int64_t h = t % p.heads;
    const int64_t L = batch.length(s);
    if (L == 0) return;
    float* q = qkv + batch.begin(s) * ld + h * d;
    float* k = q + H;
    const float* v = q + 2 * H;
    float* out = ctx + batch.begin(s) * H + h * d;
    if (p.rope_cos) {
      ApplyRotary(q, L, ld, d, p.rope_cos, p.rope_sin);
      ApplyRotary(k, L, ld, d, p.rope_cos, p.rope_sin);
    }
    const Layout lay = layout(L);
    float* kpan = (*scratch)[worker].data();
    float* vpan = kpan + lay.kpan;
    float* S = vpan + dp * lay.keys;
    // K is packed pre-scaled by 1/sqrt(d), so the scores come out scaled. V is packed as
    // B = V^T (d x keys): its columns are the lanes, one panel row per key.
    PackPanels(k, L, d, ld, 1, scale, kpan);
    const bool global = p.window < 0;
    if (global) PackPanels(v, d, L, 1, ld, 1.0f, vpan);  // every block reads all of V
    const int64_t block = AttentionRowBlock(p, L);
    for (int64_t i0 = 0; i0 < L; i0 += block) {
      const int64_t rows = std::min(block, L - i0);
      const KeyRange keys = AttentionKeys(p, L, i0, i0 + rows);
      const int64_t n = keys.end - keys.begin;
      // S = Q K^T / sqrt(d) over this block's rows and keys.
      PanelGemm(q + i0 * ld, rows, ld, kpan + keys.begin / 32 * d * 32, n, d, S, n);
      if (!global) {
        for (int64_t r = 0; r < rows; ++r) {
          const int64_t i = i0 + r;
          float* srow = S + r * n;
          for (int64_t c = 0; c < n; ++c) {
            const int64_t j = keys.begin + c;
            if (j < i - p.window || j > i + p.window) srow[c] = -INFINITY;
          }
        }
        PackPanels(v + keys.begin * ld, d, n, 1, ld, 1.0f, vpan);
      }
      SoftmaxRows(S, rows, n, n);
      PanelGemm(S, rows, n, vpan, d, n, out + i0 * H, H);  // ctx = P V
    }
  };
  const int64_t tasks = nseq * p.heads;
  if (pool) {
    pool->ParallelFor(tasks, task);
  } else {
    for (int64_t t = 0; t < tasks; ++t) task(t, 0);
  }
}

}  // namespace vsr::inference
