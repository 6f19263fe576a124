#include "perf/lib/metrics/alloc_counter.h"

#include <atomic>

#include "perf/lib/metrics/alloc_counter_internal.h"

namespace vsr::perf {
namespace internal {

std::atomic<bool> g_counting{false};
std::atomic<bool> g_hooks_installed{false};
std::atomic<int64_t> g_allocs{0};
std::atomic<int64_t> g_bytes{0};
std::atomic<int64_t> g_live{0};
std::atomic<int64_t> g_peak{0};
thread_local int t_pause_depth = 0;

}  // namespace internal

using namespace internal;

void AllocCounterStart() {
  g_allocs.store(0, std::memory_order_relaxed);
  g_bytes.store(0, std::memory_order_relaxed);
  g_live.store(0, std::memory_order_relaxed);
  g_peak.store(0, std::memory_order_relaxed);
  g_counting.store(true, std::memory_order_release);
}

AllocSnapshot AllocCounterStop() {
  g_counting.store(false, std::memory_order_release);
  AllocSnapshot s;
  s.allocs = g_allocs.load(std::memory_order_relaxed);
  s.bytes = g_bytes.load(std::memory_order_relaxed);
  s.live_bytes = g_live.load(std::memory_order_relaxed);
  s.peak_live_bytes = g_peak.load(std::memory_order_relaxed);
  return s;
}

bool AllocHooksInstalled() { return g_hooks_installed.load(std::memory_order_relaxed); }

ScopedAllocPause::ScopedAllocPause() { ++t_pause_depth; }
ScopedAllocPause::~ScopedAllocPause() { --t_pause_depth; }

}  // namespace vsr::perf
