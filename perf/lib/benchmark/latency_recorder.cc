#include "perf/lib/benchmark/latency_recorder.h"

#include <valgrind/valgrind.h>

#include <algorithm>
#include <cmath>

#include "perf/lib/metrics/alloc_counter.h"

namespace vsr::perf {

LatencyRecorder::LatencyRecorder(size_t expected_samples) {
  ScopedAllocPause pause;
  samples_ns_.reserve(expected_samples);
}

void LatencyRecorder::Add(Clock::duration d) { AddBatch(d, 1); }

void LatencyRecorder::AddBatch(Clock::duration d, int64_t ops) {
  int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  ScopedAllocPause pause;  // growth past the reservation is the recorder's cost, not the op's
  samples_ns_.push_back(ns);
  total_ns_ += ns;
  ops_ += ops;
  sorted_ = false;
}

double LatencyRecorder::PercentileMicros(double q) {
  if (samples_ns_.empty()) return 0.0;
  if (!sorted_) {
    std::sort(samples_ns_.begin(), samples_ns_.end());
    sorted_ = true;
  }
  q = std::clamp(q, 0.0, 1.0);
  // Nearest-rank percentile: the smallest sample with at least q of all samples at or below it.
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(samples_ns_.size())));
  size_t index = rank == 0 ? 0 : rank - 1;
  return static_cast<double>(samples_ns_[index]) / 1000.0;
}

void LatencyRecorder::Report(benchmark::State& state) {
  ScopedAllocPause pause;
  if (samples_ns_.empty()) return;
  // Under valgrind (instructions/op runs) sorting timing samples would add a data-dependent
  // instruction count to every measurement; the counters are meaningless there anyway.
  if (RUNNING_ON_VALGRIND) return;
  state.counters["p50_us"] = PercentileMicros(0.50);
  state.counters["p90_us"] = PercentileMicros(0.90);
  state.counters["p95_us"] = PercentileMicros(0.95);
  state.counters["p99_us"] = PercentileMicros(0.99);
  state.counters["max_us"] = PercentileMicros(1.0);
  state.counters["mean_us"] =
      static_cast<double>(total_ns_) / 1000.0 / static_cast<double>(samples_ns_.size());
  state.counters["qps"] =
      total_ns_ > 0 ? static_cast<double>(ops_) * 1e9 / static_cast<double>(total_ns_) : 0.0;
}

}  // namespace vsr::perf
