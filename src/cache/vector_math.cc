#include "cache/vector_math.h"

#include <cmath>
#include <string>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif

namespace vsr::cache {
namespace {

// One SIMD width's operations; the kernels below are written once against this interface.
#if defined(__AVX2__) && defined(__FMA__)
struct Avx2 {
  using V = __m256;
  static constexpr size_t kLanes = 8;
  static V Zero() { return _mm256_setzero_ps(); }
  static V Load(const float* p) { return _mm256_loadu_ps(p); }
  static V Fma(V a, V b, V acc) { return _mm256_fmadd_ps(a, b, acc); }
  static V Add(V a, V b) { return _mm256_add_ps(a, b); }
  static float Sum(V v) {
    __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    __m128 shuf = _mm_movehdup_ps(lo);
    __m128 sums = _mm_add_ps(lo, shuf);
    shuf = _mm_movehl_ps(shuf, sums);
    return _mm_cvtss_f32(_mm_add_ss(sums, shuf));
  }
};
#endif

#if defined(__AVX512F__)
struct Avx512 {
  using V = __m512;
  static constexpr size_t kLanes = 16;
  static V Zero() { return _mm512_setzero_ps(); }
  static V Load(const float* p) { return _mm512_loadu_ps(p); }
  static V Fma(V a, V b, V acc) { return _mm512_fmadd_ps(a, b, acc); }
  static V Add(V a, V b) { return _mm512_add_ps(a, b); }
  // GCC 12's _mm512_reduce_add_ps (and every 512-bit extract/shuffle) trips
  // -Wmaybe-uninitialized; spill the register and add the halves instead.
  static float Sum(V v) {
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, v);
    return Avx2::Sum(_mm256_add_ps(_mm256_load_ps(lanes), _mm256_load_ps(lanes + 8)));
  }
};
using Simd = Avx512;
#elif defined(__AVX2__) && defined(__FMA__)
using Simd = Avx2;
#endif

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
template <typename S>
float DotSimd(const float* a, const float* b, size_t n) {
  constexpr size_t L = S::kLanes;
  typename S::V acc0 = S::Zero(), acc1 = S::Zero();
  size_t i = 0;
  for (; i + 2 * L <= n; i += 2 * L) {
    acc0 = S::Fma(S::Load(a + i), S::Load(b + i), acc0);
    acc1 = S::Fma(S::Load(a + i + L), S::Load(b + i + L), acc1);
  }
  for (; i + L <= n; i += L) acc0 = S::Fma(S::Load(a + i), S::Load(b + i), acc0);
  float sum = S::Sum(S::Add(acc0, acc1));
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// Four rows against one query: each query load feeds four FMAs.
template <typename S>
void Dot4Simd(const float* q, const float* const r[4], size_t n, float* out) {
  constexpr size_t L = S::kLanes;
  typename S::V acc[4] = {S::Zero(), S::Zero(), S::Zero(), S::Zero()};
  size_t i = 0;
  for (; i + L <= n; i += L) {
    typename S::V x = S::Load(q + i);
    for (int k = 0; k < 4; ++k) acc[k] = S::Fma(x, S::Load(r[k] + i), acc[k]);
  }
  for (int k = 0; k < 4; ++k) {
    float s = S::Sum(acc[k]);
    for (size_t j = i; j < n; ++j) s += q[j] * r[k][j];
    out[k] = s;
  }
}
#endif

}  // namespace

float Dot(const float* a, const float* b, size_t n) {
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
  return DotSimd<Simd>(a, b, n);
#else
  // Four independent partial sums let the compiler pipeline without -ffast-math.
  float p[4] = {0, 0, 0, 0};
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    for (int k = 0; k < 4; ++k) p[k] += a[i + k] * b[i + k];
  }
  float sum = (p[0] + p[1]) + (p[2] + p[3]);
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
#endif
}

void DotRows(const float* q, const float* rows, size_t n_rows, size_t dim, float* out) {
  size_t r = 0;
#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
  for (; r + 4 <= n_rows; r += 4) {
    const float* base = rows + r * dim;
    const float* four[4] = {base, base + dim, base + 2 * dim, base + 3 * dim};
    Dot4Simd<Simd>(q, four, dim, out + r);
  }
#endif
  for (; r < n_rows; ++r) out[r] = Dot(q, rows + r * dim, dim);
}

Status NormalizeInto(std::span<const float> embedding, float* out) {
  if (embedding.empty()) return Status::InvalidArgument("cache: embedding is empty");
  double norm2 = 0.0;
  for (size_t i = 0; i < embedding.size(); ++i) {
    float v = embedding[i];
    if (!std::isfinite(v)) {
      return Status::InvalidArgument("cache: embedding component " + std::to_string(i) + " is " +
                                     (std::isnan(v) ? "NaN" : "infinite"));
    }
    norm2 += static_cast<double>(v) * static_cast<double>(v);
  }
  if (!(norm2 > 0.0) || !std::isfinite(norm2)) {
    return Status::InvalidArgument("cache: embedding is the zero vector (no direction)");
  }
  const double inv = 1.0 / std::sqrt(norm2);
  for (size_t i = 0; i < embedding.size(); ++i) {
    out[i] = static_cast<float>(static_cast<double>(embedding[i]) * inv);
  }
  return Status::OK();
}

}  // namespace vsr::cache
