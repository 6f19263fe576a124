#include "inference/attention.h"

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

void PackedAttention(ThreadPool* pool, const PackedBatch& batch, float* qkv, float* ctx,
                     const AttentionParams& p, std::vector<std::vector<float>>* scratch) {
  const int64_t H = p.hidden;
  const int64_t d = H / p.heads;
  const int64_t ld = 3 * H;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  const int64_t nseq = batch.num_sequences();
  int64_t max_len = 0;
  for (int64_t s = 0; s < nseq; ++s) max_len = std::max(max_len, batch.length(s));
  const size_t workers = pool ? static_cast<size_t>(pool->size()) : 1;
  if (scratch->size() < workers) scratch->resize(workers);
  for (auto& buf : *scratch) {
    const int64_t lp = (max_len + 31) / 32 * 32, dp = (d + 31) / 32 * 32;
    const auto need = static_cast<size_t>(max_len * max_len + lp * d + dp * max_len);
    if (buf.size() < need) buf.resize(need);
  }
  auto task = [&](int64_t t, int worker) {
    const int64_t s = t / p.heads;
    const int64_t h = t % p.heads;
    const int64_t L = batch.length(s);
    float* q = qkv + batch.begin(s) * ld + h * d;
    float* k = q + H;
    const float* v = q + 2 * H;
    if (p.rope_cos) {
      ApplyRotary(q, L, ld, d, p.rope_cos, p.rope_sin);
      ApplyRotary(k, L, ld, d, p.rope_cos, p.rope_sin);
    }
    // Scratch: S [L, L], then K and V laid out as 32-lane panels for the micro-kernel.
    const int64_t lp = (L + 31) / 32 * 32, dp = (d + 31) / 32 * 32;
    float* S = (*scratch)[worker].data();
    float* kpan = S + L * L;
    float* vpan = kpan + lp * d;
    // K is packed pre-scaled by 1/sqrt(d), so S comes out scaled.
    for (int64_t j = 0; j < lp; ++j) {
      float* dst = kpan + (j / 32) * d * 32 + (j % 32);
      for (int64_t t = 0; t < d; ++t) dst[t * 32] = j < L ? k[j * ld + t] * scale : 0.0f;
    }
    PanelGemm(q, L, ld, kpan, L, d, S, L);  // S = Q K^T / sqrt(d)
    if (p.window >= 0) {
      for (int64_t i = 0; i < L; ++i) {
        float* srow = S + i * L;
        for (int64_t j = 0; j < L; ++j) {
          if (j < i - p.window || j > i + p.window) srow[j] = -INFINITY;
        }
      }
    }
    SoftmaxRows(S, L, L, L);
    for (int64_t j = 0; j < L; ++j) {
      const float* src = v + j * ld;
      for (int64_t t = 0; t < dp; ++t)
        vpan[(t / 32) * L * 32 + j * 32 + (t % 32)] = t < d ? src[t] : 0.0f;
    }
    PanelGemm(S, L, L, vpan, d, L, ctx + batch.begin(s) * H + h * d, H);  // ctx = P V
  };
  const int64_t tasks = nseq * p.heads;
  if (pool) {
    pool->ParallelFor(tasks, task);
  } else {
    for (int64_t t = 0; t < tasks; ++t) task(t, 0);
  }
}

}  // namespace vsr::inference
