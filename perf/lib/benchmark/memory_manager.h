// A Google Benchmark MemoryManager backed by the process-wide allocation counters.
//
// Google Benchmark runs each benchmark once more with the manager started (a short run of
// at most 16 iterations) and writes `allocs_per_iter`, `max_bytes_used` and
// `total_allocated_bytes` into its JSON. perftest turns those into the deterministic
// allocations/op and bytes/op gate metrics. Setup that runs inside the benchmark function
// must sit in a vsr::perf::ScopedAllocPause, or it is counted as per-op cost.
#pragma once

#include <benchmark/benchmark.h>

namespace vsr::perf {

class CountingMemoryManager : public benchmark::MemoryManager {
 public:
  void Start() override;
  void Stop(Result& result) override;
  void Stop(Result* result) override { Stop(*result); }
};

}  // namespace vsr::perf
