// Vector math of the semantic cache: SIMD dot products and input validation/normalisation.
//
// Dot() and DotRows() use AVX-512 or AVX2+FMA when the build targets them (the default build
// uses -march=native) and a portable loop otherwise. NormalizeInto() is the single place that
// turns a caller's embedding into the cache's representation: it rejects empty, zero, NaN and
// infinite vectors with InvalidArgument and writes the L2-normalised copy.
#pragma once

#include <cstddef>
#include <span>

#include "common/status.h"

namespace vsr::cache {

// Sum of a[i] * b[i] for i < n.
float Dot(const float* a, const float* b, size_t n);

// out[r] = Dot(q, rows + r * dim, dim) for r < n_rows (rows are contiguous, row-major).
void DotRows(const float* q, const float* rows, size_t n_rows, size_t dim, float* out);

// Writes embedding / ||embedding|| into out[0 .. embedding.size()).
// InvalidArgument when the vector is empty, has a NaN or infinite component, or is zero.
Status NormalizeInto(std::span<const float> embedding, float* out);

}  // namespace vsr::cache
