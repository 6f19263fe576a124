#include "perf/lib/benchmark/memory_manager.h"

#include "perf/lib/metrics/alloc_counter.h"

namespace vsr::perf {

void CountingMemoryManager::Start() { AllocCounterStart(); }

void CountingMemoryManager::Stop(Result& result) {
  AllocSnapshot s = AllocCounterStop();
  result.num_allocs = s.allocs;
  result.max_bytes_used = s.peak_live_bytes;
  result.total_allocated_bytes = s.bytes;
  result.net_heap_growth = s.live_bytes;
}

}  // namespace vsr::perf
