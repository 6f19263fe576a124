#include "inference/kernels.h"

#include <algorithm>
#include <cmath>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define VSR_HAVE_AVX2 1
#endif

namespace vsr::inference {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;

#ifdef VSR_HAVE_AVX2
inline __m256 Exp8(__m256 x) {
  const __m256 hi = _mm256_set1_ps(88.3762626647949f);
  const __m256 lo = _mm256_set1_ps(-87.3365447504f);
  x = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
  __m256 fx = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                              _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(1.9875691500E-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507E-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073E-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894E-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459E-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201E-1f));
  __m256 r2 = _mm256_mul_ps(r, r);
  p = _mm256_fmadd_ps(p, r2, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
  __m256i e =
      _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(fx), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

// erf via Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
inline __m256 Erf8(__m256 x) {
  const __m256 sign_mask = _mm256_set1_ps(-0.0f);
  __m256 sign = _mm256_and_ps(x, sign_mask);
  __m256 ax = _mm256_andnot_ps(sign_mask, x);
  __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f),
                           _mm256_fmadd_ps(ax, _mm256_set1_ps(0.3275911f), _mm256_set1_ps(1.0f)));
  __m256 p = _mm256_set1_ps(1.061405429f);
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.453152027f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.421413741f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.284496736f));
  p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.254829592f));
  p = _mm256_mul_ps(p, t);
  __m256 e = Exp8(_mm256_sub_ps(_mm256_setzero_ps(), _mm256_mul_ps(ax, ax)));
  __m256 y = _mm256_fnmadd_ps(p, e, _mm256_set1_ps(1.0f));
  return _mm256_or_ps(y, sign);
}

inline __m256 Gelu8(__m256 x) {
  __m256 e = Erf8(_mm256_mul_ps(x, _mm256_set1_ps(kInvSqrt2)));
  return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), x),
                       _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

inline __m256 Tanh8(__m256 x) {
  // tanh(x) = 1 - 2 / (exp(2x) + 1)
  __m256 e = Exp8(_mm256_mul_ps(x, _mm256_set1_ps(2.0f)));
  return _mm256_sub_ps(_mm256_set1_ps(1.0f),
                       _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, _mm256_set1_ps(1.0f))));
}

inline __m256 GeluTanh8(__m256 x) {
  const __m256 k = _mm256_set1_ps(0.7978845608028654f);
  __m256 x3 = _mm256_mul_ps(_mm256_mul_ps(x, x), x);
  __m256 inner = _mm256_mul_ps(k, _mm256_fmadd_ps(x3, _mm256_set1_ps(0.044715f), x));
  return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), x),
                       _mm256_add_ps(_mm256_set1_ps(1.0f), Tanh8(inner)));
}

inline float HSum8(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}

inline float HMax8(__m256 v) {
  __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_max_ps(s, _mm_movehl_ps(s, s));
  s = _mm_max_ss(s, _mm_shuffle_ps(s, s, 1));
  return _mm_cvtss_f32(s);
}
#endif

inline float GeluTanhScalar(float x) {
  return 0.5f * x * (1.0f + std::tanh(0.7978845608028654f * (x + 0.044715f * x * x * x)));
}

inline float ApplyScalar(float v, Activation act) {
  switch (act) {
    case Activation::kNone:
      return v;
    case Activation::kGelu:
      return GeluExact(v);
    case Activation::kGeluTanh:
      return GeluTanhScalar(v);
    case Activation::kRelu:
      return v > 0 ? v : 0;
    case Activation::kTanh:
      return std::tanh(v);
  }
  return v;
}

#ifdef VSR_HAVE_AVX2
inline __m256 Apply8(__m256 v, Activation act) {
  switch (act) {
    case Activation::kNone:
      return v;
    case Activation::kGelu:
      return Gelu8(v);
    case Activation::kGeluTanh:
      return GeluTanh8(v);
    case Activation::kRelu:
      return _mm256_max_ps(v, _mm256_setzero_ps());
    case Activation::kTanh:
      return Tanh8(v);
  }
  return v;
}
#endif

}  // namespace

Activation ActivationFromName(std::string_view name) {
  if (name == "relu") return Activation::kRelu;
  if (name == "tanh") return Activation::kTanh;
  if (name == "gelu_new" || name == "gelu_pytorch_tanh") return Activation::kGeluTanh;
  return Activation::kGelu;
}

float GeluExact(float x) { return 0.5f * x * (1.0f + std::erf(x * kInvSqrt2)); }

void ExpInPlace(float* x, int64_t n) {
  int64_t i = 0;
#ifdef VSR_HAVE_AVX2
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, Exp8(_mm256_loadu_ps(x + i)));
#endif
  for (; i < n; ++i) x[i] = std::exp(x[i]);
}

void BiasActivation(float* y, int64_t rows, int64_t n, int64_t ld, const float* bias,
                    Activation act) {
  if (bias == nullptr && act == Activation::kNone) return;
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y + r * ld;
    int64_t i = 0;
#ifdef VSR_HAVE_AVX2
    for (; i + 8 <= n; i += 8) {
      __m256 v = _mm256_loadu_ps(row + i);
      if (bias) v = _mm256_add_ps(v, _mm256_loadu_ps(bias + i));
      _mm256_storeu_ps(row + i, Apply8(v, act));
    }
#endif
    for (; i < n; ++i) row[i] = ApplyScalar(row[i] + (bias ? bias[i] : 0.0f), act);
  }
}

void LayerNorm(float* x, const float* residual, int64_t rows, int64_t dim, const float* gamma,
               const float* beta, float eps) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = x + r * dim;
    const float* res = residual ? residual + r * dim : nullptr;
    if (res) {
      for (int64_t i = 0; i < dim; ++i) row[i] += res[i];
    }
    float sum = 0.0f;
    int64_t i = 0;
#ifdef VSR_HAVE_AVX2
    __m256 acc = _mm256_setzero_ps();
    for (; i + 8 <= dim; i += 8) acc = _mm256_add_ps(acc, _mm256_loadu_ps(row + i));
    sum = HSum8(acc);
#endif
    for (; i < dim; ++i) sum += row[i];
    const float mean = sum / static_cast<float>(dim);
    float var = 0.0f;
    i = 0;
#ifdef VSR_HAVE_AVX2
    __m256 vacc = _mm256_setzero_ps();
    __m256 vm = _mm256_set1_ps(mean);
    for (; i + 8 <= dim; i += 8) {
      __m256 d = _mm256_sub_ps(_mm256_loadu_ps(row + i), vm);
      vacc = _mm256_fmadd_ps(d, d, vacc);
    }
    var = HSum8(vacc);
#endif
    for (; i < dim; ++i) var += (row[i] - mean) * (row[i] - mean);
    var /= static_cast<float>(dim);
    const float inv = 1.0f / std::sqrt(var + eps);
    for (i = 0; i < dim; ++i) {
      float v = (row[i] - mean) * inv * gamma[i];
      row[i] = beta ? v + beta[i] : v;
    }
  }
}

void SoftmaxRows(float* x, int64_t rows, int64_t n, int64_t ld) {
  for (int64_t r = 0; r < rows; ++r) {
    float* row = x + r * ld;
    float mx = -INFINITY;
    int64_t i = 0;
#ifdef VSR_HAVE_AVX2
    if (n >= 8) {
      __m256 m = _mm256_set1_ps(-INFINITY);
      for (; i + 8 <= n; i += 8) m = _mm256_max_ps(m, _mm256_loadu_ps(row + i));
      mx = HMax8(m);
    }
#endif
    for (; i < n; ++i) mx = std::max(mx, row[i]);
    if (mx == -INFINITY) {  // fully masked row: uniform zero output
      for (i = 0; i < n; ++i) row[i] = 0.0f;
      continue;
    }
    for (i = 0; i < n; ++i) row[i] -= mx;
    ExpInPlace(row, n);
    float sum = 0.0f;
    for (i = 0; i < n; ++i) sum += row[i];
    const float inv = 1.0f / sum;
    for (i = 0; i < n; ++i) row[i] *= inv;
  }
}

void GeluMul(const float* a, const float* b, float* out, int64_t n, Activation act) {
  int64_t i = 0;
#ifdef VSR_HAVE_AVX2
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(out + i,
                     _mm256_mul_ps(Apply8(_mm256_loadu_ps(a + i), act), _mm256_loadu_ps(b + i)));
  }
#endif
  for (; i < n; ++i) out[i] = ApplyScalar(a[i], act) * b[i];
}

}  // namespace vsr::inference
