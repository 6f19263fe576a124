#include "inference/packed_matrix.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "inference/gemm.h"
#include "inference/safetensors.h"

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif
#if defined(__AVX512F__)
#define VSR_PACKED_AVX512 1
#endif

namespace vsr::inference {

void PackedMatrix::Free::operator()(float* p) const { std::free(p); }

void PackPanels(const float* b, int64_t n, int64_t k, int64_t c_stride, int64_t j_stride,
                float scale, float* panels) {
  const int64_t lanes =
      (n + PackedMatrix::kPanel - 1) / PackedMatrix::kPanel * PackedMatrix::kPanel;
  for (int64_t c = 0; c < lanes; ++c) {
    float* dst =
        panels + (c / PackedMatrix::kPanel) * k * PackedMatrix::kPanel + c % PackedMatrix::kPanel;
    const float* src = b + c * c_stride;
    for (int64_t j = 0; j < k; ++j)
      dst[j * PackedMatrix::kPanel] = c < n ? src[j * j_stride] * scale : 0.0f;
  }
}

#ifdef VSR_PACKED_AVX512

void PackedMatrix::Pack(const std::vector<float>& w, int64_t n, int64_t k, WeightFormat format) {
  n_ = n;
  k_ = k;
  if (format == WeightFormat::kInt8 && !Int8KernelsAvailable()) format = WeightFormat::kF32;
  format_ = format;
  scales_.clear();
  compensation_.clear();
  if (format == WeightFormat::kInt8) {
    PackInt8(w);
    return;
  }
  const bool bf16 = format == WeightFormat::kBF16;
  const size_t elems = static_cast<size_t>(panels() * k * kPanel);
  const size_t bytes = (std::max<size_t>(elems, 16) * (bf16 ? 2 : 4) + 63) / 64 * 64;
  data_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
  std::memset(data_.get(), 0, bytes);
  if (!bf16) {
    PackPanels(w.data(), n, k, k, 1, 1.0f, data_.get());
    return;
  }
  auto* h = reinterpret_cast<uint16_t*>(data_.get());
  for (int64_t p = 0; p < panels(); ++p) {
    for (int64_t c = 0; c < kPanel && p * kPanel + c < n; ++c) {
      const float* row = w.data() + (p * kPanel + c) * k;
      for (int64_t j = 0; j < k; ++j) h[p * k * kPanel + j * kPanel + c] = FloatToBFloat16(row[j]);
    }
  }
}

namespace {

// R rows x 32 columns of C over k steps, in registers; `accumulate` adds to what y holds
// (the previous k block), else overwrites.
template <int R, bool kBf16>
inline void Kernel(const float* x, int64_t ldx, const void* panel_v, int64_t k, float* y,
                   int64_t ldy, __mmask16 m0, __mmask16 m1, bool accumulate) {
  const float* panel = static_cast<const float*>(panel_v);
  const uint16_t* hpanel = static_cast<const uint16_t*>(panel_v);
  __m512 acc0[R], acc1[R];
  for (int r = 0; r < R; ++r) {
    acc0[r] = accumulate ? _mm512_maskz_loadu_ps(m0, y + r * ldy) : _mm512_setzero_ps();
    acc1[r] = accumulate ? _mm512_maskz_loadu_ps(m1, y + r * ldy + 16) : _mm512_setzero_ps();
  }
  // Software prefetch 4 KB ahead in the panel stream (1-3% at batch 1-10, measured): the
  // hardware prefetcher alone lags at panel boundaries. Prefetches never fault.
  const char* ahead = static_cast<const char*>(panel_v) + 4096;
  for (int64_t j = 0; j < k; ++j) {
    _mm_prefetch(ahead + j * (kBf16 ? 64 : 128), _MM_HINT_T0);
    __m512 b0, b1;
    if constexpr (kBf16) {
      const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hpanel + j * 32));
      const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hpanel + j * 32 + 16));
      b0 = _mm512_castsi512_ps(
          _mm512_maskz_slli_epi32(0xffff, _mm512_maskz_cvtepu16_epi32(0xffff, lo), 16));
      b1 = _mm512_castsi512_ps(
          _mm512_maskz_slli_epi32(0xffff, _mm512_maskz_cvtepu16_epi32(0xffff, hi), 16));
    } else {
      b0 = _mm512_loadu_ps(panel + j * 32);
      b1 = _mm512_loadu_ps(panel + j * 32 + 16);
    }
    for (int r = 0; r < R; ++r) {
      const __m512 a = _mm512_set1_ps(x[r * ldx + j]);
      acc0[r] = _mm512_fmadd_ps(a, b0, acc0[r]);
      acc1[r] = _mm512_fmadd_ps(a, b1, acc1[r]);
    }
  }
  for (int r = 0; r < R; ++r) {
    _mm512_mask_storeu_ps(y + r * ldy, m0, acc0[r]);
    _mm512_mask_storeu_ps(y + r * ldy + 16, m1, acc1[r]);
  }
}

using KernelFn = void (*)(const float*, int64_t, const void*, int64_t, float*, int64_t, __mmask16,
                          __mmask16, bool);
constexpr int kRows = 12;
template <bool B>
constexpr KernelFn kKernelsOf[kRows + 1] = {
    nullptr,       Kernel<1, B>,  Kernel<2, B>, Kernel<3, B>, Kernel<4, B>,
    Kernel<5, B>,  Kernel<6, B>,  Kernel<7, B>, Kernel<8, B>, Kernel<9, B>,
    Kernel<10, B>, Kernel<11, B>, Kernel<12, B>};
constexpr const KernelFn* kKernels = kKernelsOf<false>;
// Cache blocking (GotoBLAS style): a block of kNB panels x kKC rows of W (768 KB in f32)
// stays in the 1 MB per-core L2 (lscpu: 2 MiB in 2 instances) and is read from memory once, while
// the kernels sweep x in kMC x kKC blocks (288 KB). Chosen by measurement (MiniLM-L6 / BERT-base,
// batch 1-100): kKC 768 / kMC 96 against the earlier 256 / 120 (L1-sized panel slices) took
// MiniLM-L6 batch 1 4.3 -> 3.75 ms, batch 10 32.9 -> 31.0, batch 100 ~360 -> ~325, BERT-base batch
// 1 33.2 -> 30.8: fewer passes over y (K <= 768 needs none) outweigh L1 residency. kNB 4 / 6 and
// kMC 48 / 72 (W block + x block within L2) measured no different at batch 10-100 on one thread
// (MiniLM-L6, BERT-base; alternating runs, 12:30 UTC).
constexpr int64_t kKC = 768;
constexpr int64_t kMC = 96;  // a multiple of kRows
constexpr int64_t kNB = 8;

// Store masks of the two 16-lane halves of a panel with `cols` (1..32) real columns.
void PanelMasks(int64_t cols, __mmask16* m0, __mmask16* m1) {
  *m0 = cols >= 16 ? 0xffff : static_cast<__mmask16>((1u << cols) - 1);
  *m1 = cols >= 32 ? 0xffff : (cols <= 16 ? 0 : static_cast<__mmask16>((1u << (cols - 16)) - 1));
}

}  // namespace

void PackedGemm(const float* x, int64_t rows, int64_t ldx, const PackedMatrix& w, const float* bias,
                float* y, int64_t ldy, Activation act, int64_t p0, int64_t p1) {
  if (w.int8()) {
    PackedGemmInt8(QuantizeRows(x, rows, w.k(), ldx), rows, w, bias, y, ldy, act, p0, p1);
    return;
  }
  const int64_t k = w.k();
  const KernelFn* kernels = w.bf16() ? kKernelsOf<true> : kKernelsOf<false>;
  const size_t elem = w.bf16() ? 2 : 4;
  const auto* base = reinterpret_cast<const char*>(w.data());
  // Rows [m0, m1) x panel p x k rows [kb, kb + kc), added to y when kb > 0.
  auto run = [&](int64_t p, int64_t kb, int64_t m0, int64_t m1) {
    const int64_t pc = p * PackedMatrix::kPanel;
    __mmask16 mk0, mk1;
    PanelMasks(std::min<int64_t>(PackedMatrix::kPanel, w.n() - pc), &mk0, &mk1);
    const int64_t kc = std::min(kKC, k - kb);
    const void* panel = base + static_cast<size_t>(p * k + kb) * PackedMatrix::kPanel * elem;
    for (int64_t r0 = m0; r0 < m1; r0 += kRows) {
      const int64_t r = std::min<int64_t>(kRows, m1 - r0);
      kernels[r](x + r0 * ldx + kb, ldx, panel, kc, y + r0 * ldy + pc, ldy, mk0, mk1, kb > 0);
    }
  };
  for (int64_t nb0 = p0; nb0 < p1; nb0 += kNB) {
    const int64_t nb1 = std::min(p1, nb0 + kNB);
    if (rows <= kMC) {
      // Few rows (one row block, e.g. one short sequence): each panel is read front to
      // back, once, as one sequential stream (panel by panel rather than k block by k
      // block), which the prefetchers follow: MiniLM-L6 batch 1 5.35 -> 4.70 ms measured.
      for (int64_t p = nb0; p < nb1; ++p) {
        for (int64_t kb = 0; kb < k; kb += kKC) run(p, kb, 0, rows);
      }
    } else {
      for (int64_t kb = 0; kb < k; kb += kKC) {
        for (int64_t m0 = 0; m0 < rows; m0 += kMC) {
          for (int64_t p = nb0; p < nb1; ++p) run(p, kb, m0, std::min(rows, m0 + kMC));
        }
      }
    }
    const int64_t c0 = nb0 * PackedMatrix::kPanel;
    const int64_t c1 = std::min(w.n(), nb1 * PackedMatrix::kPanel);
    BiasActivation(y + c0, rows, c1 - c0, ldy, bias ? bias + c0 : nullptr, act);
  }
}

void PanelGemm(const float* x, int64_t rows, int64_t ldx, const float* panels, int64_t n, int64_t k,
               float* y, int64_t ldy) {
  for (int64_t p = 0; p * PackedMatrix::kPanel < n; ++p) {
    const int64_t pc = p * PackedMatrix::kPanel;
    __mmask16 mk0, mk1;
    PanelMasks(std::min<int64_t>(PackedMatrix::kPanel, n - pc), &mk0, &mk1);
    const float* panel = panels + p * k * PackedMatrix::kPanel;
    for (int64_t r0 = 0; r0 < rows; r0 += kRows) {
      const int64_t r = std::min<int64_t>(kRows, rows - r0);
      kKernels[r](x + r0 * ldx, ldx, panel, k, y + r0 * ldy + pc, ldy, mk0, mk1, false);
    }
  }
}

#else  // no AVX-512: keep W and use the GEMM library

// Panel p is a row-major [k, 32] matrix (B^T's columns 32p..32p+31): one sgemm per panel.
// (This path runs attention's per-head products in AVX2 builds, e.g. the perf gate's.)
void PanelGemm(const float* x, int64_t rows, int64_t ldx, const float* panels, int64_t n, int64_t k,
               float* y, int64_t ldy) {
  for (int64_t p = 0; p * PackedMatrix::kPanel < n; ++p) {
    const int64_t pc = p * PackedMatrix::kPanel;
    const int64_t cols = std::min<int64_t>(PackedMatrix::kPanel, n - pc);
    Sgemm(rows, cols, k, 1.0f, x, ldx, panels + p * k * PackedMatrix::kPanel, PackedMatrix::kPanel,
          /*b_transposed=*/false, 0.0f, y + pc, ldy);
  }
}

#if defined(__AVX2__) && defined(__FMA__)
#define VSR_PACKED_AVX2 1

namespace {

// R rows x 16 columns (half a 32-column panel: `panel` points at the half's first lane) over
// k rows of W, in registers: 2R accumulators, the half's two W vectors loaded once per k step and
// one broadcast of x at a time (R = 6 uses 15 of the 16 ymm registers). Per k step that is 2 + R
// loads for 2R FMAs; the earlier 3 x 32 shape let the compiler fold the W loads into its FMAs (12 +
// 3 loads for 12 FMAs), which made it load-bound on two load ports. Columns at or past `cols` (of
// the half) are neither read nor written.
template <int R>
void Avx2Kernel(const float* x, int64_t ldx, const float* panel, int64_t k, float* y, int64_t ldy,
                int64_t cols) {
  __m256 acc0[R], acc1[R];
#pragma GCC unroll 6
  for (int r = 0; r < R; ++r) acc0[r] = acc1[r] = _mm256_setzero_ps();
  for (int64_t j = 0; j < k; ++j) {
    const __m256 b0 = _mm256_load_ps(panel + j * PackedMatrix::kPanel);
    const __m256 b1 = _mm256_load_ps(panel + j * PackedMatrix::kPanel + 8);
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      const __m256 a = _mm256_broadcast_ss(x + r * ldx + j);
      acc0[r] = _mm256_fmadd_ps(a, b0, acc0[r]);
      acc1[r] = _mm256_fmadd_ps(a, b1, acc1[r]);
    }
  }
  if (cols >= 16) {  // the whole half: straight to y
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      _mm256_storeu_ps(y + r * ldy, acc0[r]);
      _mm256_storeu_ps(y + r * ldy + 8, acc1[r]);
    }
    return;
  }
  // Through a buffer (a plain store of a partial vector would write past the row's end).
  alignas(32) float lanes[16];
#pragma GCC unroll 6  // constant indices keep acc0 / acc1 in registers in the loop above
  for (int r = 0; r < R; ++r) {
    _mm256_store_ps(lanes, acc0[r]);
    _mm256_store_ps(lanes + 8, acc1[r]);
    std::memcpy(y + r * ldy, lanes, static_cast<size_t>(cols) * 4);
  }
}

// Products of at most this many rows run on Avx2Kernel when W has small panels. With more
// rows OpenBLAS's packing is a small share of the product and its packed-row kernel is
// ~1.4x faster per FLOP here (MiniLM-L6 batch 10 / 100, measured 2026-11-29).
constexpr int64_t kAvx2MaxRows = 64;

void Avx2PanelGemm(const float* x, int64_t rows, int64_t ldx, const PackedMatrix& w, float* y,
                   int64_t ldy, int64_t p0, int64_t p1) {
  using Kernel = void (*)(const float*, int64_t, const float*, int64_t, float*, int64_t, int64_t);
  static constexpr Kernel kKernels[7] = {nullptr,       Avx2Kernel<1>, Avx2Kernel<2>, Avx2Kernel<3>,
                                         Avx2Kernel<4>, Avx2Kernel<5>, Avx2Kernel<6>};
  const int64_t k = w.k();
  for (int64_t p = p0; p < p1; ++p) {
    const int64_t pc = p * PackedMatrix::kPanel;
    const int64_t cols = std::min<int64_t>(PackedMatrix::kPanel, w.n() - pc);
    const float* panel = w.small_panels() + p * k * PackedMatrix::kPanel;
    for (int64_t half = 0; half < 2 && 16 * half < cols; ++half) {
      for (int64_t r0 = 0; r0 < rows; r0 += 6) {
        const int64_t r = std::min<int64_t>(6, rows - r0);
        kKernels[r](x + r0 * ldx, ldx, panel + 16 * half, k, y + r0 * ldy + pc + 16 * half, ldy,
                    cols - 16 * half);
      }
    }
  }
}

}  // namespace

#endif

void PackedMatrix::Pack(const std::vector<float>& w, int64_t n, int64_t k,
                        WeightFormat /*format*/) {
  n_ = n;
  k_ = k;
  format_ = WeightFormat::kF32;
  data_.reset(static_cast<float*>(std::malloc(std::max<size_t>(w.size(), 1) * 4)));
  std::memcpy(data_.get(), w.data(), w.size() * 4);
  small_panels_.reset();
#ifdef VSR_PACKED_AVX2
  if (n * k * 4 <= kSmallPanelBytes) {
    const size_t bytes =
        (static_cast<size_t>(std::max<int64_t>(panels() * k * kPanel, 16)) * 4 + 63) / 64 * 64;
    small_panels_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
    std::memset(small_panels_.get(), 0, bytes);
    PackPanels(w.data(), n, k, k, 1, 1.0f, small_panels_.get());
  }
#endif
}

void PackedGemm(const float* x, int64_t rows, int64_t ldx, const PackedMatrix& w, const float* bias,
                float* y, int64_t ldy, Activation act, int64_t p0, int64_t p1) {
  const int64_t c0 = p0 * PackedMatrix::kPanel;
  const int64_t c1 = std::min(w.n(), p1 * PackedMatrix::kPanel);
  if (c1 <= c0) return;
#ifdef VSR_PACKED_AVX2
  if (w.small_panels() != nullptr && rows <= kAvx2MaxRows) {
    Avx2PanelGemm(x, rows, ldx, w, y, ldy, p0, std::min(p1, w.panels()));
    BiasActivation(y + c0, rows, c1 - c0, ldy, bias ? bias + c0 : nullptr, act);
    return;
  }
#endif
  Sgemm(rows, c1 - c0, w.k(), 1.0f, x, ldx, w.data() + c0 * w.k(), w.k(), true, 0.0f, y + c0, ldy);
  BiasActivation(y + c0, rows, c1 - c0, ldy, bias ? bias + c0 : nullptr, act);
}

#endif

}  // namespace vsr::inference
