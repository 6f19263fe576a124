// Dense matrix products of the engine. The linear layers run on pre-packed weights through
// the engine's AVX-512 micro-kernel (packed_matrix.h), chosen by measurement: ~250 GFLOP/s
// per core here against ~125 for OpenBLAS (limited to AVX2 by OPENBLAS_CORETYPE=Haswell)
// and ~230 for oneDNN's sgemm, which also allocates per call. The small per-head products
// of attention use OpenBLAS's cblas_sgemm. Both run single-threaded; the engine's
// ThreadPool splits the work.
//
// Linear() computes y[rows, out] = act(x[rows, in] * W[out, in]^T + b) — the HF nn.Linear
// layout, W packed once at load — splitting the output panels across the pool when the
// product is large enough to pay for it, bias and activation fused into each tile.
#pragma once

#include <cstdint>

#include "inference/kernels.h"
#include "inference/packed_matrix.h"
#include "inference/thread_pool.h"

namespace vsr::inference {

// Pins OpenBLAS to one thread (idempotent; called by every model load).
void InitGemmLibrary();

// Row-major C[m, n] = alpha * A[m, k] * op(B) + beta * C, op(B) = B^T when b_transposed
// (B is [n, k]) else B ([k, n]).
void Sgemm(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
           const float* b, int64_t ldb, bool b_transposed, float beta, float* c, int64_t ldc);

// y = act(x W^T + b); x is [rows, w.k()], y has row stride `ldy` (>= w.n()). bias may be null.
void Linear(ThreadPool* pool, const float* x, int64_t rows, const PackedMatrix& w,
            const float* bias, float* y, int64_t ldy, Activation act);

}  // namespace vsr::inference
