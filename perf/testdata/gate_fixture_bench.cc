// A benchmark family that exists to prove the perf gate: perftest must see nothing on an
// unchanged build (A/A) and catch each regression injected through the environment:
//   VSR_FIXTURE_EXTRA_ALLOC=1          one more heap allocation per operation
//   VSR_FIXTURE_EXTRA_WORK_PERCENT=P   P% more loop work per operation (~P% instructions)
//   VSR_FIXTURE_REMOVE=1               BenchmarkFixture_Removable is not registered
//   VSR_FIXTURE_OPENBLAS_LIKE=1        one more allocation per operation unless
//                                      OPENBLAS_CORETYPE=Haswell, as OpenBLAS's SkylakeX
//                                      kernels do (perftest pins the core type for
//                                      allocation runs on AVX2 hosts)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "perf/lib/benchmark/latency_recorder.h"
#include "perf/lib/metrics/alloc_counter.h"

namespace {

int EnvInt(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : 0;
}

const std::vector<uint32_t>& Data() {
  static const std::vector<uint32_t>* data = [] {
    vsr::perf::ScopedAllocPause pause;
    auto* d = new std::vector<uint32_t>(4096);
    uint32_t x = 12345;  // fixed seed, xorshift
    for (uint32_t& v : *d) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      v = x;
    }
    return d;
  }();
  return *data;
}

// Pure computation: ~4 instructions per element over a fixed-size working set.
void BenchmarkFixture_Work(benchmark::State& state) {
  const std::vector<uint32_t>& data = Data();
  const size_t n =
      data.size() * static_cast<size_t>(100 + EnvInt("VSR_FIXTURE_EXTRA_WORK_PERCENT")) / 100;
  const char* core_type = std::getenv("OPENBLAS_CORETYPE");
  const bool extra_alloc = EnvInt("VSR_FIXTURE_EXTRA_ALLOC") != 0 ||
                           (EnvInt("VSR_FIXTURE_OPENBLAS_LIKE") != 0 &&
                            (core_type == nullptr || std::string(core_type) != "Haswell"));
  vsr::perf::LatencyRecorder latency;
  for (auto _ : state) {
    auto t = latency.Begin();
    uint64_t acc = 0;
    for (size_t i = 0; i < n; ++i) acc = acc * 31 + data[i & (data.size() - 1)];
    if (extra_alloc) {
      auto p = std::make_unique<uint64_t>(acc);
      benchmark::DoNotOptimize(p.get());
    }
    benchmark::DoNotOptimize(acc);
    latency.End(t);
  }
  latency.Report(state);
}
BENCHMARK(BenchmarkFixture_Work);

// One string allocation per operation by design (baseline: 1 alloc/op).
void BenchmarkFixture_Alloc(benchmark::State& state) {
  vsr::perf::LatencyRecorder latency;
  for (auto _ : state) {
    auto t = latency.Begin();
    std::string s(static_cast<size_t>(state.range(0)), 'x');
    benchmark::DoNotOptimize(s.data());
    latency.End(t);
  }
  latency.Report(state);
}
BENCHMARK(BenchmarkFixture_Alloc)->Arg(64)->Arg(256);

void BenchmarkFixture_Removable(benchmark::State& state) {
  uint64_t x = 1;
  for (auto _ : state) {
    for (int i = 0; i < 100; ++i) x = x * 6364136223846793005ull + 1442695040888963407ull;
    benchmark::DoNotOptimize(x);
  }
}
const bool kRemovableRegistered = [] {
  if (EnvInt("VSR_FIXTURE_REMOVE") == 0) {
    benchmark::RegisterBenchmark("BenchmarkFixture_Removable", BenchmarkFixture_Removable);
  }
  return true;
}();

}  // namespace
