// The int8 format of PackedMatrix (packed_matrix.h): packing with per-output-channel scales,
// dynamic per-row quantisation of the activations, and the AVX-512 VNNI micro-kernel
// (vpdpbusd: 4 u8 x s8 products summed into each int32 lane). Builds without VNNI never
// pack int8 (Pack falls back to f32); the portable loop below keeps them correct anyway.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "inference/packed_matrix.h"

#if defined(__AVX512F__) && defined(__AVX512VNNI__) && defined(__AVX512BW__)
#include <immintrin.h>
#define VSR_INT8_VNNI 1
#endif

namespace vsr::inference {
namespace {

constexpr int64_t kPanel = PackedMatrix::kPanel;
constexpr int64_t kGroup = PackedMatrix::kInt8Group;
constexpr int64_t kGroupBytes = kPanel * kGroup;  // one k-group of a panel: 128 bytes

int64_t Groups(int64_t k) { return (k + kGroup - 1) / kGroup; }

}  // namespace

bool Int8KernelsAvailable() {
#ifdef VSR_INT8_VNNI
  return true;
#else
  return false;
#endif
}

void PackedMatrix::PackInt8(const std::vector<float>& w) {
  const int64_t groups = Groups(k_);
  const int64_t cols = panels() * kPanel;
  const size_t bytes = (static_cast<size_t>(std::max<int64_t>(panels() * groups, 1)) *
                            static_cast<size_t>(kGroupBytes) +
                        63) /
                       64 * 64;
  data_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
  std::memset(data_.get(), 0, bytes);
  auto* d = reinterpret_cast<int8_t*>(data_.get());
  scales_.assign(static_cast<size_t>(cols), 0.0f);
  compensation_.assign(static_cast<size_t>(cols), 0);
  for (int64_t c = 0; c < n_; ++c) {
    const float* row = w.data() + c * k_;
    float amax = 0.0f;
    for (int64_t j = 0; j < k_; ++j) amax = std::max(amax, std::fabs(row[j]));
    const float scale = amax > 0.0f ? amax / 127.0f : 1.0f;
    scales_[c] = scale;
    int32_t sum = 0;
    const int64_t p = c / kPanel, lane = c % kPanel;
    for (int64_t j = 0; j < k_; ++j) {
      const auto q =
          static_cast<int8_t>(std::clamp(std::nearbyint(row[j] / scale), -127.0f, 127.0f));
      d[(p * groups + j / kGroup) * kGroupBytes + lane * kGroup + j % kGroup] = q;
      sum += q;
    }
    compensation_[c] = 128 * sum;
  }
}

QuantizedRows QuantizeRows(const float* x, int64_t rows, int64_t k, int64_t ldx) {
  thread_local std::vector<uint8_t> qbuf;
  thread_local std::vector<float> sbuf;
  const int64_t ldq = (k + 63) / 64 * 64;
  if (qbuf.size() < static_cast<size_t>(rows * ldq)) qbuf.resize(static_cast<size_t>(rows * ldq));
  if (sbuf.size() < static_cast<size_t>(rows)) sbuf.resize(static_cast<size_t>(rows));
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * ldx;
    uint8_t* q = qbuf.data() + r * ldq;
    int64_t j = 0;
    float amax = 0.0f;
#ifdef VSR_INT8_VNNI
    // maskz_ forms throughout: GCC 12's plain forms trip -Wuninitialized (_mm512_undefined).
    const __m512i abs_mask = _mm512_set1_epi32(0x7fffffff);
    __m512 vmax = _mm512_setzero_ps();
    for (; j + 16 <= k; j += 16) {
      const __m512i bits = _mm512_loadu_si512(xr + j);
      vmax = _mm512_maskz_max_ps(
          0xffff, vmax, _mm512_castsi512_ps(_mm512_maskz_and_epi32(0xffff, bits, abs_mask)));
    }
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, vmax);
    for (float v : lanes) amax = std::max(amax, v);
#endif
    for (; j < k; ++j) amax = std::max(amax, std::fabs(xr[j]));
    const float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
    sbuf[r] = amax > 0.0f ? amax / 127.0f : 0.0f;
    j = 0;
#ifdef VSR_INT8_VNNI
    const __m512 vinv = _mm512_set1_ps(inv);
    const __m512i offset = _mm512_set1_epi32(128);
    for (; j + 16 <= k; j += 16) {
      const __m512i v = _mm512_add_epi32(
          _mm512_maskz_cvtps_epi32(0xffff, _mm512_mul_ps(_mm512_loadu_ps(xr + j), vinv)), offset);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(q + j), _mm512_maskz_cvtusepi32_epi8(0xffff, v));
    }
#endif
    for (; j < k; ++j) {
      q[j] = static_cast<uint8_t>(std::clamp(std::nearbyint(xr[j] * inv), -127.0f, 127.0f) + 128);
    }
    std::fill(q + k, q + ldq, uint8_t{128});
  }
  return {qbuf.data(), ldq, sbuf.data()};
}

#ifdef VSR_INT8_VNNI

namespace {

using AliasedInt32 = int32_t __attribute__((may_alias));

// acc += the 4-byte dot products of u8 a and s8 b per int32 lane. Inline asm: GCC 12's
// _mm512_dpbusd_epi32 copies the accumulator through a scratch register on every call,
// which doubles the registers a 12 x 32 tile needs and spills it to the stack.
inline void Dpbusd(__m512i& acc, __m512i a, __m512i b) {
  asm("vpdpbusd %[b], %[a], %[acc]" : [acc] "+v"(acc) : [a] "v"(a), [b] "v"(b));
}

// R rows x 32 columns over all k groups in int32 registers, then rescaled to f32 and stored.
template <int R>
inline void KernelInt8(const uint8_t* xq, int64_t ldq, const float* xs, const int8_t* panel,
                       int64_t groups, const float* wscale, const int32_t* comp, float* y,
                       int64_t ldy, __mmask16 m0, __mmask16 m1) {
  // The pragmas unroll the row loops early enough for GCC to keep the 24 accumulators in
  // registers.
  __m512i acc0[R], acc1[R];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
    acc0[r] = _mm512_setzero_si512();
    acc1[r] = _mm512_setzero_si512();
  }
  for (int64_t g = 0; g < groups; ++g) {
    const __m512i b0 = _mm512_loadu_si512(panel + g * kGroupBytes);
    const __m512i b1 = _mm512_loadu_si512(panel + g * kGroupBytes + 64);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const __m512i a =
          _mm512_set1_epi32(*reinterpret_cast<const AliasedInt32*>(xq + r * ldq + g * kGroup));
      Dpbusd(acc0[r], a, b0);
      Dpbusd(acc1[r], a, b1);
    }
  }
  const __m512i c0 = _mm512_loadu_si512(comp), c1 = _mm512_loadu_si512(comp + 16);
  const __m512 s0 = _mm512_loadu_ps(wscale), s1 = _mm512_loadu_ps(wscale + 16);
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
    const __m512 sx = _mm512_set1_ps(xs[r]);
    _mm512_mask_storeu_ps(
        y + r * ldy, m0,
        _mm512_mul_ps(_mm512_maskz_cvtepi32_ps(0xffff, _mm512_sub_epi32(acc0[r], c0)),
                      _mm512_mul_ps(s0, sx)));
    _mm512_mask_storeu_ps(
        y + r * ldy + 16, m1,
        _mm512_mul_ps(_mm512_maskz_cvtepi32_ps(0xffff, _mm512_sub_epi32(acc1[r], c1)),
                      _mm512_mul_ps(s1, sx)));
  }
}

using KernelInt8Fn = void (*)(const uint8_t*, int64_t, const float*, const int8_t*, int64_t,
                              const float*, const int32_t*, float*, int64_t, __mmask16, __mmask16);
constexpr int kRows = 12;
constexpr KernelInt8Fn kKernels[kRows + 1] = {
    nullptr,        KernelInt8<1>,  KernelInt8<2>, KernelInt8<3>, KernelInt8<4>,
    KernelInt8<5>,  KernelInt8<6>,  KernelInt8<7>, KernelInt8<8>, KernelInt8<9>,
    KernelInt8<10>, KernelInt8<11>, KernelInt8<12>};
// A block of kNB panels (8 x 48 KB at k = 1536) stays in L2 while the kernels sweep kMC rows.
constexpr int64_t kMC = 120;
constexpr int64_t kNB = 8;

}  // namespace

void PackedGemmInt8(const QuantizedRows& x, int64_t rows, const PackedMatrix& w, const float* bias,
                    float* y, int64_t ldy, Activation act, int64_t p0, int64_t p1) {
  const int64_t groups = Groups(w.k());
  const int8_t* base = w.data_int8();
  for (int64_t nb0 = p0; nb0 < p1; nb0 += kNB) {
    const int64_t nb1 = std::min(p1, nb0 + kNB);
    for (int64_t m0 = 0; m0 < rows; m0 += kMC) {
      const int64_t m1 = std::min(rows, m0 + kMC);
      for (int64_t p = nb0; p < nb1; ++p) {
        const int64_t pc = p * kPanel;
        const int64_t cols = std::min<int64_t>(kPanel, w.n() - pc);
        const __mmask16 mk0 = cols >= 16 ? 0xffff : static_cast<__mmask16>((1u << cols) - 1);
        const __mmask16 mk1 =
            cols >= 32 ? 0xffff
                       : (cols <= 16 ? 0 : static_cast<__mmask16>((1u << (cols - 16)) - 1));
        const int8_t* panel = base + p * groups * kGroupBytes;
        for (int64_t r0 = m0; r0 < m1; r0 += kRows) {
          const int64_t r = std::min<int64_t>(kRows, m1 - r0);
          kKernels[r](x.q + r0 * x.ldq, x.ldq, x.scale + r0, panel, groups, w.scales() + pc,
                      w.compensation() + pc, y + r0 * ldy + pc, ldy, mk0, mk1);
        }
      }
    }
    const int64_t c0 = nb0 * kPanel;
    const int64_t c1 = std::min(w.n(), nb1 * kPanel);
    BiasActivation(y + c0, rows, c1 - c0, ldy, bias ? bias + c0 : nullptr, act);
  }
}

#else  // portable: only reachable if a caller packs int8 by hand in a build without VNNI

void PackedGemmInt8(const QuantizedRows& x, int64_t rows, const PackedMatrix& w, const float* bias,
                    float* y, int64_t ldy, Activation act, int64_t p0, int64_t p1) {
  const int64_t groups = Groups(w.k());
  const int64_t c0 = p0 * kPanel, c1 = std::min(w.n(), p1 * kPanel);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = c0; c < c1; ++c) {
      const int8_t* panel = w.data_int8() + (c / kPanel) * groups * kGroupBytes;
      int32_t acc = 0;
      for (int64_t j = 0; j < groups * kGroup; ++j) {
        acc += int32_t{x.q[r * x.ldq + j]} *
               int32_t{panel[(j / kGroup) * kGroupBytes + (c % kPanel) * kGroup + j % kGroup]};
      }
      y[r * ldy + c] = static_cast<float>(acc - w.compensation()[c]) * w.scales()[c] * x.scale[r];
    }
  }
  if (c1 > c0) BiasActivation(y + c0, rows, c1 - c0, ldy, bias ? bias + c0 : nullptr, act);
}

#endif

}  // namespace vsr::inference
