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

void Linear(ThreadPool* pool, const float* x, int64_t rows, const PackedMatrix& w,
            const float* bias, float* y, int64_t ldy, Activation act) {
  if (rows <= 0 || w.n() <= 0) return;
  const double flops =
      2.0 * static_cast<double>(rows) * static_cast<double>(w.k()) * static_cast<double>(w.n());
  const int64_t panels = w.panels();
  // Several chunks per thread, taken dynamically: a thread the OS deschedules (a busy,
  // shared machine) delays the loop by one small chunk, not by half the work.
  int64_t parts = pool ? 4 * static_cast<int64_t>(pool->size()) : 1;
  if (flops < 1e6 || (pool && pool->size() == 1)) parts = 1;
  parts = std::min(parts, panels);
  if (parts <= 1) {
    PackedGemm(x, rows, w.k(), w, bias, y, ldy, act, 0, panels);
    return;
  }
  // int8: quantise the rows once, on this thread, for every part.
  QuantizedRows xq;
  if (w.int8()) xq = QuantizeRows(x, rows, w.k(), w.k());
  // Contiguous panel ranges.
  pool->ParallelFor(parts, [&](int64_t part, int) {
    const int64_t p0 = panels * part / parts;
    const int64_t p1 = panels * (part + 1) / parts;
    if (w.int8()) {
      PackedGemmInt8(xq, rows, w, bias, y, ldy, act, p0, p1);
    } else {
      PackedGemm(x, rows, w.k(), w, bias, y, ldy, act, p0, p1);
    }
  });
}

}  // namespace vsr::inference
