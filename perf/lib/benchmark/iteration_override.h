// Fixed iteration counts for every registered benchmark, without touching the families.
//
// Google Benchmark 1.7.1 has no command-line flag for a fixed iteration count, yet the perf
// gate needs one: instructions/op under callgrind are measured as (I(N2) - I(N1)) / (N2 - N1)
// at two fixed counts, and allocations/op from a run of a fixed length. Every benchmark
// binary is linked with `-Wl,--wrap` on Google Benchmark's registration function, so each
// BENCHMARK() registration passes through here and is remembered; ApplyIterationOverride()
// then sets Iterations(n) on all of them. Families must not call MinTime() (Google Benchmark
// forbids MinTime together with Iterations).
#pragma once

#include <cstdint>

namespace vsr::perf {

// Sets the iteration count of every benchmark registered so far. Returns how many.
int ApplyIterationOverride(int64_t iterations);

}  // namespace vsr::perf
