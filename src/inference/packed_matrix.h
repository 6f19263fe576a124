// PackedMatrix: a weight matrix W[n, k] (nn.Linear layout) repacked once at load time into
// 32-column panels stored k-major (panel p holds W[32p .. 32p+31, :] as k rows of 32
// floats, zero-padded), the layout the AVX-512 micro-kernel streams without any per-call
// packing. PackedGemm computes y = act(x W^T + bias) for a range of panels, so callers can
// split the output columns across threads. Builds without AVX-512 keep W as is and fall
// back to Sgemm.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "inference/kernels.h"

namespace vsr::inference {

class PackedMatrix {
 public:
  static constexpr int64_t kPanel = 32;

  // `bf16`: store the panels as bfloat16 (round to nearest even), halving the memory each
  // pass reads; the kernel widens them to f32 and accumulates in f32. Ignored without
  // AVX-512.
  void Pack(const std::vector<float>& w, int64_t n, int64_t k, bool bf16 = false);
  bool bf16() const { return bf16_; }
  int64_t n() const { return n_; }
  int64_t k() const { return k_; }
  int64_t panels() const { return (n_ + kPanel - 1) / kPanel; }
  bool empty() const { return n_ == 0; }
  const float* data() const { return data_.get(); }
  const uint16_t* data_bf16() const { return reinterpret_cast<const uint16_t*>(data_.get()); }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  std::unique_ptr<float, Free> data_;
  int64_t n_ = 0, k_ = 0;
  bool bf16_ = false;
};

// y[r, c] = act(sum_j x[r, j] * W[c, j] + bias[c]) for rows [0, rows) and the columns of
// panels [p0, p1). bias may be null.
void PackedGemm(const float* x, int64_t rows, int64_t ldx, const PackedMatrix& w, const float* bias,
                float* y, int64_t ldy, Activation act, int64_t p0, int64_t p1);

// The same micro-kernel on caller-laid-out panels (for attention's per-head products):
// `panels` holds ceil(n / 32) panels of k rows x 32 floats (panel p, row j, lane c is
// B[32p + c, j]); y[rows, n] = x[rows, k] * B^T. Lanes past n are computed but not stored.
void PanelGemm(const float* x, int64_t rows, int64_t ldx, const float* panels, int64_t n, int64_t k,
               float* y, int64_t ldy);

}  // namespace vsr::inference
