#include "inference/gemm.h"

#include <cblas.h>

#include <algorithm>
#include <mutex>

namespace vsr::inference {

namespace {
// From this many rows on, Linear splits the work by rows (see there): every part then
// still has at least two kMC row blocks. Chosen by measurement, 2 threads, alternating runs:
// MiniLM-L6 batch 100 (3,200 rows) 200-224 -> 174-184 ms, BERT-base 1,321-1,387 ->
// 1,289-1,307 ms; at batch 10 (320 rows) splitting by rows was no better for MiniLM-L6
// and ~5% slower for BERT-base (each part then re-reads all of W).
constexpr int64_t kRowSplitMinRows = 768;
}  // namespace

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
  // Many rows (a batch): split the rows instead of the panels, so that every part runs the
  // one-thread blocking (whole kNB panel blocks over kMC-row blocks of x) on its own rows.
  // Split by panels, a part gets a few panels and sweeps all of x for each of them. int8
  // keeps the panel split (its rows are quantised once, below, for every part).
  if (!w.int8() && rows >= kRowSplitMinRows) {
    constexpr int64_t kRowQuantum = 12;  // the kernels' row block
    const int64_t row_parts = 2 * static_cast<int64_t>(pool->size());
    const int64_t chunk =
        ((rows + row_parts - 1) / row_parts + kRowQuantum - 1) / kRowQuantum * kRowQuantum;
    const int64_t chunks = (rows + chunk - 1) / chunk;
    pool->ParallelFor(chunks, [&](int64_t part, int) {
      const int64_t r0 = part * chunk;
      const int64_t r1 = std::min(rows, r0 + chunk);
      PackedGemm(x + r0 * w.k(), r1 - r0, w.k(), w, bias, y + r0 * ldy, ldy, act, 0, panels);
    });
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
