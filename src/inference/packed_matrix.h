// PackedMatrix: a weight matrix W[n, k] (nn.Linear layout) repacked once at load time into
// 32-column panels stored k-major (panel p holds W[32p .. 32p+31, :] as k rows of 32
// floats, zero-padded), the layout the AVX-512 micro-kernel streams without any per-call
// packing. PackedGemm computes y = act(x W^T + bias) for a range of panels, so callers can
// split the output columns across threads. Builds without AVX-512 keep W as is and fall
// back to Sgemm; AVX2 builds also keep small matrices (<= kSmallPanelBytes, e.g. every
// matrix of the default models) in panels, for an own kernel on products of few rows.
//
// Formats: f32 (exact), bf16 (weights rounded to bfloat16, f32 arithmetic) and int8 (AVX-512
// VNNI builds only): symmetric per-output-channel scales (max |w| / 127), panels of 32
// columns x 4 consecutive k as 128-byte rows for vpdpbusd; each activation row is quantised
// on the fly to 8 bits with its own scale (max |x| / 127, offset by 128 to make it
// unsigned; the offset is removed with the precomputed 128 x column sums), and the int32
// products are rescaled to f32 before bias and activation.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "inference/kernels.h"

namespace vsr::inference {

enum class WeightFormat { kF32, kBF16, kInt8 };

// Whether this build has the int8 (VNNI) kernels; without them kInt8 packs as f32.
bool Int8KernelsAvailable();

class PackedMatrix {
 public:
  static constexpr int64_t kPanel = 32;

  // kBF16: store the panels as bfloat16 (round to nearest even), halving the memory each
  // pass reads; the kernel widens them to f32 and accumulates in f32. Ignored without
  // AVX-512. kInt8: see above; falls back to f32 without AVX-512 VNNI.
  void Pack(const std::vector<float>& w, int64_t n, int64_t k,
            WeightFormat format = WeightFormat::kF32);
  WeightFormat format() const { return format_; }
  bool bf16() const { return format_ == WeightFormat::kBF16; }
  bool int8() const { return format_ == WeightFormat::kInt8; }
  // int8 only: per-column scales and 128 x column sums (panels() * 32 entries, zero-padded).
  const float* scales() const { return scales_.data(); }
  const int32_t* compensation() const { return compensation_.data(); }
  const int8_t* data_int8() const { return reinterpret_cast<const int8_t*>(data_.get()); }
  // Bytes per k-row of an int8 panel group: 4 k values x 32 columns.
  static constexpr int64_t kInt8Group = 4;
  int64_t n() const { return n_; }
  int64_t k() const { return k_; }
  int64_t panels() const { return (n_ + kPanel - 1) / kPanel; }
  bool empty() const { return n_ == 0; }
  const float* data() const { return data_.get(); }
  const uint16_t* data_bf16() const { return reinterpret_cast<const uint16_t*>(data_.get()); }
  // AVX2 builds (no AVX-512): W in the panel layout as well, for matrices of at most
  // kSmallPanelBytes; null otherwise. OpenBLAS repacks W on every call, which for a short
  // prompt on a small model costs as much as the product itself.
  static constexpr int64_t kSmallPanelBytes = 512 * 1024;
  const float* small_panels() const { return small_panels_.get(); }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  void PackInt8(const std::vector<float>& w);
  std::unique_ptr<float, Free> data_;
  std::unique_ptr<float, Free> small_panels_;
  int64_t n_ = 0, k_ = 0;
  WeightFormat format_ = WeightFormat::kF32;
  std::vector<float> scales_;
  std::vector<int32_t> compensation_;
};

// Activation rows quantised for the int8 kernel: q[r, j] = round(x[r, j] / scale[r]) + 128
// (k padded with 128s, i.e. zeros, to a multiple of 4).
struct QuantizedRows {
  const uint8_t* q = nullptr;
  int64_t ldq = 0;
  const float* scale = nullptr;
};

// Quantises x[rows, k] (stride ldx) into buffers owned by the calling thread (reused, so the
// steady state does not allocate); valid until the thread's next call.
QuantizedRows QuantizeRows(const float* x, int64_t rows, int64_t k, int64_t ldx);

// PackedGemm on an int8 matrix with rows quantised by QuantizeRows.
void PackedGemmInt8(const QuantizedRows& x, int64_t rows, const PackedMatrix& w, const float* bias,
                    float* y, int64_t ldy, Activation act, int64_t p0, int64_t p1);

// y[r, c] = act(sum_j x[r, j] * W[c, j] + bias[c]) for rows [0, rows) and the columns of
// panels [p0, p1). bias may be null.
void PackedGemm(const float* x, int64_t rows, int64_t ldx, const PackedMatrix& w, const float* bias,
                float* y, int64_t ldy, Activation act, int64_t p0, int64_t p1);

// The same micro-kernel on caller-laid-out panels (for attention's per-head products):
// `panels` holds ceil(n / 32) panels of k rows x 32 floats (panel p, row j, lane c is
// B[32p + c, j]); y[rows, n] = x[rows, k] * B^T. Lanes past n are computed but not stored.
void PanelGemm(const float* x, int64_t rows, int64_t ldx, const float* panels, int64_t n, int64_t k,
               float* y, int64_t ldy);

// Writes B (n x k, element (c, j) at b[c * c_stride + j * j_stride], times `scale`) in that
// panel layout: ceil(n / 32) panels of k rows x 32 lanes, lanes past n zero. The one packer
// for weights (c_stride k, j_stride 1) and for attention's K (rows of Q K^T) and V^T.
void PackPanels(const float* b, int64_t n, int64_t k, int64_t c_stride, int64_t j_stride,
                float scale, float* panels);

}  // namespace vsr::inference
