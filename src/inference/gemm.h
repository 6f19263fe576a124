// Dense matrix products of the engine, on top of OpenBLAS's cblas_sgemm (kept
// single-threaded; the engine's ThreadPool splits the work instead).
//
// Linear() computes y[rows, out] = act(x[rows, in] * W[out, in]^T + b) — the HF nn.Linear
// layout — splitting the output columns across the pool when the product is large enough
// to pay for it, with bias and activation fused into each thread's column block.
#pragma once

#include <cstdint>

#include "inference/kernels.h"
#include "inference/thread_pool.h"

namespace vsr::inference {

// Pins OpenBLAS to one thread (idempotent; called by every model load).
void InitGemmLibrary();

// Row-major C[m, n] = alpha * A[m, k] * op(B) + beta * C, op(B) = B^T when b_transposed
// (B is [n, k]) else B ([k, n]).
void Sgemm(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
           const float* b, int64_t ldb, bool b_transposed, float beta, float* c, int64_t ldc);

// y = act(x W^T + b); `ldy` is y's row stride (>= out). bias may be null.
void Linear(ThreadPool* pool, const float* x, int64_t rows, int64_t in, const float* w,
            const float* bias, int64_t out, float* y, int64_t ldy, Activation act);

}  // namespace vsr::inference
