#include "inference/kernels.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define VSR_HAVE_AVX2 1
#endif
#if defined(__AVX512F__)
#define VSR_HAVE_AVX512 1
#endif

namespace vsr::inference {
namespace {

constexpr float kInvSqrt2 = 0.70710678118654752f;
// exp(r) ~ 1 + r + r^2 * P(r) on |r| <= ln(2)/2 (Cephes' expf), P's coefficients highest
// first; erf(x) ~ 1 - t * Q(t) * exp(-x^2), t = 1 / (1 + 0.3275911 x) (Abramowitz & Stegun
// 7.1.26), Q's coefficients highest first. Shared by the 8- and 16-lane forms.
constexpr float kExpPoly[] = {1.9875691500E-4f, 1.3981999507E-3f, 8.3334519073E-3f,
                              4.1665795894E-2f, 1.6666665459E-1f, 5.0000001201E-1f};
constexpr float kErfPoly[] = {1.061405429f, -1.453152027f, 1.421413741f, -0.284496736f,
                              0.254829592f};

#ifdef VSR_HAVE_AVX2
inline __m256 Exp8(__m256 x) {
  const __m256 hi = _mm256_set1_ps(88.3762626647949f);
  const __m256 lo = _mm256_set1_ps(-87.3365447504f);
  x = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
  __m256 fx = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                              _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), r);
  __m256 p = _mm256_set1_ps(kExpPoly[0]);
  for (int i = 1; i < 6; ++i) p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kExpPoly[i]));
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
  __m256 p = _mm256_set1_ps(kErfPoly[0]);
  for (int i = 1; i < 5; ++i) p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(kErfPoly[i]));
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

#ifdef VSR_HAVE_AVX512
// The 16-lane forms of Exp8 / Erf8 / Gelu8 (same constants, same accuracy) for the GELU of
// the intermediate layer, the largest element-wise pass of a forward. maskz_ forms: GCC 12's
// plain ones trip -Wuninitialized.
inline __m512 Exp16(__m512 x) {
  x = _mm512_maskz_min_ps(0xffff, _mm512_maskz_max_ps(0xffff, x, _mm512_set1_ps(-87.3365447504f)),
                          _mm512_set1_ps(88.3762626647949f));
  const __m512 fx = _mm512_maskz_roundscale_ps(
      0xffff, _mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT);
  __m512 r = _mm512_fnmadd_ps(fx, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(fx, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(kExpPoly[0]);
  for (int i = 1; i < 6; ++i) p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kExpPoly[i]));
  p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
  const __m512i e = _mm512_maskz_slli_epi32(
      0xffff, _mm512_add_epi32(_mm512_maskz_cvtps_epi32(0xffff, fx), _mm512_set1_epi32(127)), 23);
  return _mm512_mul_ps(p, _mm512_castsi512_ps(e));
}

inline float HSum16(__m512 v) {
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, v);
  float s = 0.0f;
  for (float f : lanes) s += f;
  return s;
}

inline float HMax16(__m512 v) {
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, v);
  float m = lanes[0];
  for (float f : lanes) m = std::max(m, f);
  return m;
}

inline __m512 Gelu16(__m512 x) {
  const __m512 z = _mm512_mul_ps(x, _mm512_set1_ps(kInvSqrt2));
  const __m512i bits = _mm512_castps_si512(z);
  const __m512i sign = _mm512_maskz_and_epi32(0xffff, bits, _mm512_set1_epi32(INT32_MIN));
  const __m512 az =
      _mm512_castsi512_ps(_mm512_maskz_and_epi32(0xffff, bits, _mm512_set1_epi32(INT32_MAX)));
  const __m512 t = _mm512_div_ps(
      _mm512_set1_ps(1.0f), _mm512_fmadd_ps(az, _mm512_set1_ps(0.3275911f), _mm512_set1_ps(1.0f)));
  __m512 p = _mm512_set1_ps(kErfPoly[0]);
  for (int i = 1; i < 5; ++i) p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(kErfPoly[i]));
  p = _mm512_mul_ps(p, t);
  const __m512 ex = Exp16(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(az, az)));
  const __m512 erf_abs = _mm512_fnmadd_ps(p, ex, _mm512_set1_ps(1.0f));
  const __m512 erf =
      _mm512_castsi512_ps(_mm512_maskz_or_epi32(0xffff, _mm512_castps_si512(erf_abs), sign));
  return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x),
                       _mm512_add_ps(_mm512_set1_ps(1.0f), erf));
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
#ifdef VSR_HAVE_AVX512
    if (act == Activation::kGelu || act == Activation::kNone) {
      for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(row + i);
        if (bias) v = _mm512_add_ps(v, _mm512_loadu_ps(bias + i));
        _mm512_storeu_ps(row + i, act == Activation::kGelu ? Gelu16(v) : v);
      }
    }
#endif
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
#ifdef VSR_HAVE_AVX512
  // 16 lanes with masked tails: attention's rows are short (one per token of a sequence).
  const __m512 neg_inf = _mm512_set1_ps(-INFINITY);
  for (int64_t r = 0; r < rows; ++r) {
    float* row = x + r * ld;
    __m512 m = neg_inf;
    for (int64_t i = 0; i < n; i += 16) {
      const __mmask16 k = n - i >= 16 ? 0xffff : static_cast<__mmask16>((1u << (n - i)) - 1);
      m = _mm512_maskz_max_ps(0xffff, m, _mm512_mask_loadu_ps(neg_inf, k, row + i));
    }
    const float mx = HMax16(m);
    if (mx == -INFINITY) {  // fully masked row: uniform zero output
      for (int64_t i = 0; i < n; ++i) row[i] = 0.0f;
      continue;
    }
    const __m512 vmx = _mm512_set1_ps(mx);
    __m512 sum = _mm512_setzero_ps();
    for (int64_t i = 0; i < n; i += 16) {
      const __mmask16 k = n - i >= 16 ? 0xffff : static_cast<__mmask16>((1u << (n - i)) - 1);
      const __m512 e =
          _mm512_maskz_mov_ps(k, Exp16(_mm512_sub_ps(_mm512_mask_loadu_ps(vmx, k, row + i), vmx)));
      _mm512_mask_storeu_ps(row + i, k, e);
      sum = _mm512_add_ps(sum, e);
    }
    const __m512 inv = _mm512_set1_ps(1.0f / HSum16(sum));
    for (int64_t i = 0; i < n; i += 16) {
      const __mmask16 k = n - i >= 16 ? 0xffff : static_cast<__mmask16>((1u << (n - i)) - 1);
      _mm512_mask_storeu_ps(row + i, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, row + i), inv));
    }
  }
#else
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
#endif
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
