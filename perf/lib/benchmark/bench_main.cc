// main() of every benchmark family: Google Benchmark with the counting MemoryManager, so
// allocations/op and bytes/op appear in every result.
#include <benchmark/benchmark.h>

#include "perf/lib/benchmark/memory_manager.h"

int main(int argc, char** argv) {
  static vsr::perf::CountingMemoryManager memory_manager;
  benchmark::RegisterMemoryManager(&memory_manager);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::RegisterMemoryManager(nullptr);
  benchmark::Shutdown();
  return 0;
}
