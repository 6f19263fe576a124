#include "inference/gemm.h"

#include <cblas.h>

#include <algorithm>
#include <mutex>

namespace vsr::inference {

void InitGemmLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

void Sgemm(int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
           const float* b, int64_t ldb, bool b_transposed, float beta, float* c, int64_t ldc) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, b_transposed ? CblasTrans : CblasNoTrans,
              static_cast<blasint>(m), static_cast<blasint>(n), static_cast<blasint>(k), alpha, a,
              static_cast<blasint>(lda), b, static_cast<blasint>(ldb), beta, c,
              static_cast<blasint>(ldc));
}

void Linear(ThreadPool* pool, const float* x, int64_t rows, int64_t in, const float* w,
            const float* bias, int64_t out, float* y, int64_t ldy, Activation act) {
  if (rows <= 0 || out <= 0) return;
  const double flops =
      2.0 * static_cast<double>(rows) * static_cast<double>(in) * static_cast<double>(out);
  int parts = pool ? pool->size() : 1;
  if (flops < 2e6) parts = 1;
  // Column blocks are multiples of 16 so each thread's B panel stays whole.
  int64_t block = (out + parts - 1) / parts;
  block = (block + 15) / 16 * 16;
  const int64_t nblocks = (out + block - 1) / block;
  auto run = [&](int64_t blk, int /*worker*/) {
    const int64_t n0 = blk * block;
    const int64_t n = std::min(block, out - n0);
    Sgemm(rows, n, in, 1.0f, x, in, w + n0 * in, in, /*b_transposed=*/true, 0.0f, y + n0, ldy);
    BiasActivation(y + n0, rows, n, ldy, bias ? bias + n0 : nullptr, act);
  };
  if (nblocks == 1 || pool == nullptr) {
    for (int64_t b = 0; b < nblocks; ++b) run(b, 0);
  } else {
    pool->ParallelFor(nblocks, run);
  }
}

}  // namespace vsr::inference
