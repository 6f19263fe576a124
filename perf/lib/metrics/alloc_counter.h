// Process-wide allocation counters, fed by malloc-family hooks (alloc_hooks.cc) that are
// linked into benchmark binaries only. They make allocations/op and bytes/op deterministic
// metrics for the perf gate: every heap allocation is counted whichever library makes it
// (operator new, simdjson, OpenBLAS, ...), on every thread.
#pragma once

#include <cstdint>

namespace vsr::perf {

struct AllocSnapshot {
  int64_t allocs = 0;      // number of successful allocation calls
  int64_t bytes = 0;       // bytes requested in total
  int64_t live_bytes = 0;  // bytes currently allocated (usable size), since counting began
  int64_t peak_live_bytes = 0;
};

// Begins counting from zero on all threads.
void AllocCounterStart();
// Stops counting and returns what was counted since AllocCounterStart().
AllocSnapshot AllocCounterStop();
// True when the hooks are linked in (false in binaries without alloc_hooks.cc).
bool AllocHooksInstalled();

// While alive, allocations made by this thread are not counted. Use it around setup that
// must run inside a benchmark function, and inside measurement helpers themselves.
class ScopedAllocPause {
 public:
  ScopedAllocPause();
  ~ScopedAllocPause();
  ScopedAllocPause(const ScopedAllocPause&) = delete;
  ScopedAllocPause& operator=(const ScopedAllocPause&) = delete;
};

}  // namespace vsr::perf
