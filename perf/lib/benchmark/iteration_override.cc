#include "perf/lib/benchmark/iteration_override.h"

#include <benchmark/benchmark.h>

#include <vector>

namespace {

std::vector<benchmark::internal::Benchmark*>& Registered() {
  static auto* registered = new std::vector<benchmark::internal::Benchmark*>();
  return *registered;
}

}  // namespace

// The linker routes every call to benchmark::internal::RegisterBenchmarkInternal made by the
// benchmark objects here (-Wl,--wrap, see perf/CMakeLists.txt); __real_ is the library's.
extern "C" benchmark::internal::Benchmark*
__real__ZN9benchmark8internal25RegisterBenchmarkInternalEPNS0_9BenchmarkE(
    benchmark::internal::Benchmark* bench);

extern "C" benchmark::internal::Benchmark*
__wrap__ZN9benchmark8internal25RegisterBenchmarkInternalEPNS0_9BenchmarkE(
    benchmark::internal::Benchmark* bench) {
  Registered().push_back(bench);
  return __real__ZN9benchmark8internal25RegisterBenchmarkInternalEPNS0_9BenchmarkE(bench);
}

namespace vsr::perf {

int ApplyIterationOverride(int64_t iterations) {
  for (benchmark::internal::Benchmark* b : Registered()) b->Iterations(iterations);
  return static_cast<int>(Registered().size());
}

}  // namespace vsr::perf
