// LatencyRecorder: per-operation latencies of one benchmark, reported as counters.
//
// Every family reports latency the same way through this helper:
//
//   vsr::perf::LatencyRecorder lat(state);
//   for (auto _ : state) {
//     auto t = lat.Begin();
//     DoWork();
//     lat.End(t);
//   }
//   lat.Report(state);   // p50_us, p90_us, p95_us, p99_us, max_us, mean_us, qps
//
// Samples are stored in a buffer reserved up front with allocation counting paused, so the
// recorder itself never shows up in allocations/op.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace vsr::perf {

class LatencyRecorder {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LatencyRecorder(size_t expected_samples = 1 << 16);

  Clock::time_point Begin() const { return Clock::now(); }
  void End(Clock::time_point begin) { Add(Clock::now() - begin); }
  void Add(Clock::duration d);
  // Records `ops` operations that together took `d` (e.g. a batch): qps counts ops.
  void AddBatch(Clock::duration d, int64_t ops);

  // Percentiles of the recorded samples in microseconds (0 when empty). q in [0, 1].
  double PercentileMicros(double q);
  // Sets p50_us, p90_us, p95_us, p99_us, max_us, mean_us and qps (operations per second of
  // recorded time) on `state`.
  void Report(benchmark::State& state);

 private:
  std::vector<int64_t> samples_ns_;
  int64_t total_ns_ = 0;
  int64_t ops_ = 0;
  bool sorted_ = false;
};

}  // namespace vsr::perf
