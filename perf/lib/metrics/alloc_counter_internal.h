// Shared state between alloc_counter.cc and the malloc hooks. Not part of the API.
#pragma once

#include <atomic>
#include <cstdint>

namespace vsr::perf::internal {

extern std::atomic<bool> g_counting;
extern std::atomic<bool> g_hooks_installed;
extern std::atomic<int64_t> g_allocs;
extern std::atomic<int64_t> g_bytes;
extern std::atomic<int64_t> g_live;
extern std::atomic<int64_t> g_peak;
extern thread_local int t_pause_depth;

inline bool ShouldCount() {
  return g_counting.load(std::memory_order_relaxed) && t_pause_depth == 0;
}

inline void RecordAlloc(int64_t requested, int64_t usable) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  g_bytes.fetch_add(requested, std::memory_order_relaxed);
  int64_t live = g_live.fetch_add(usable, std::memory_order_relaxed) + usable;
  int64_t peak = g_peak.load(std::memory_order_relaxed);
  while (live > peak && !g_peak.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
}

inline void RecordFree(int64_t usable) { g_live.fetch_sub(usable, std::memory_order_relaxed); }

}  // namespace vsr::perf::internal
