// main() of every benchmark family: Google Benchmark with the counting MemoryManager, so
// allocations/op and bytes/op appear in every result, plus runtime metrics per result.
//
// Environment knobs (set by perftest; all optional):
//   VSR_BENCH_ITERATIONS=N        run every benchmark for exactly N iterations
//   VSR_BENCH_NO_MEMORY_MANAGER=1 skip Google Benchmark's extra memory-counting run
//   VSR_BENCH_CALLGRIND_MARKERS=1 dump callgrind counters after each benchmark
//   VSR_CPUPROFILE=path           gperftools CPU profile (pprof format) of the whole run
//   VSR_HEAPPROFILE=path          heap profile of the per-op allocations (pprof format)
#include <benchmark/benchmark.h>
#include <gperftools/profiler.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "perf/lib/benchmark/iteration_override.h"
#include "perf/lib/benchmark/memory_manager.h"
#include "perf/lib/benchmark/metrics_reporter.h"
#include "perf/lib/profiler/heap_profile.h"

namespace {

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

bool HasFlag(int argc, char** argv, const char* prefix) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix, std::strlen(prefix)) == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (const char* iters = Env("VSR_BENCH_ITERATIONS")) {
    char* end = nullptr;
    long long n = std::strtoll(iters, &end, 10);
    if (end == iters || *end != '\0' || n <= 0) {
      std::fprintf(stderr, "VSR_BENCH_ITERATIONS must be a positive integer, got '%s'\n", iters);
      return 2;
    }
    vsr::perf::ApplyIterationOverride(n);
  }
  // Before Initialize(), which removes the flags it recognises from argv.
  const bool file_output = HasFlag(argc, argv, "--benchmark_out=");
  static vsr::perf::CountingMemoryManager memory_manager;
  bool use_memory_manager = Env("VSR_BENCH_NO_MEMORY_MANAGER") == nullptr;
  if (use_memory_manager) benchmark::RegisterMemoryManager(&memory_manager);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  bool markers = Env("VSR_BENCH_CALLGRIND_MARKERS") != nullptr;
  vsr::perf::MetricsReporter display(
      std::unique_ptr<benchmark::BenchmarkReporter>(benchmark::CreateDefaultDisplayReporter()),
      markers);
  std::unique_ptr<vsr::perf::MetricsReporter> file;
  if (file_output) {
    file = std::make_unique<vsr::perf::MetricsReporter>(std::make_unique<benchmark::JSONReporter>(),
                                                        false);
  }

  const char* cpu_profile = Env("VSR_CPUPROFILE");
  const char* heap_profile = Env("VSR_HEAPPROFILE");
  if (cpu_profile != nullptr && ProfilerStart(cpu_profile) == 0) {
    std::fprintf(stderr, "cannot start the CPU profiler (writing %s)\n", cpu_profile);
    return 1;
  }
  if (heap_profile != nullptr) vsr::perf::HeapProfileStart();

  benchmark::RunSpecifiedBenchmarks(&display, file.get());

  if (cpu_profile != nullptr) ProfilerStop();
  int rc = 0;
  if (heap_profile != nullptr) {
    vsr::perf::HeapProfileStop();
    std::string error;
    if (!vsr::perf::HeapProfileWrite(heap_profile, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      rc = 1;
    }
  }
  benchmark::RegisterMemoryManager(nullptr);
  benchmark::Shutdown();
  return rc;
}
