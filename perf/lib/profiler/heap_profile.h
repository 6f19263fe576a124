// HeapProfile: a heap profile in the legacy gperftools text format ("heap profile: ... @
// heapprofile" + MAPPED_LIBRARIES), which both google-pprof and `go tool pprof` read.
//
// It is fed by the allocation hooks (perf/lib/metrics/alloc_hooks.cc) and records only the
// allocations the allocation counter counts, i.e. the per-operation allocations of a
// benchmark (Google Benchmark's memory-manager run), with their call stacks. tcmalloc's own
// heap profiler cannot be used here: the hooks already own malloc in benchmark binaries.
// Recording never allocates: stacks and live pointers live in fixed tables (overflow is
// counted and reported in the profile's header comment, never a crash).
#pragma once

#include <atomic>
#include <cstddef>
#include <string>

namespace vsr::perf {

// Starts recording (idempotent). Call before the benchmarks run.
void HeapProfileStart();
// Stops recording; recorded data stays until the next Start.
void HeapProfileStop();
// Writes the profile; returns false (and sets *error) if the file cannot be written.
bool HeapProfileWrite(const std::string& path, std::string* error);
// Stacks recorded so far (distinct call sites), for tests.
size_t HeapProfileStackCount();

namespace internal {
// Called by the malloc hooks for a counted allocation / any free while recording.
void HeapProfileOnAlloc(void* p, size_t bytes);
void HeapProfileOnFree(void* p);
extern std::atomic<bool> g_heap_profile_active;
inline bool HeapProfileActive() { return g_heap_profile_active.load(std::memory_order_relaxed); }
}  // namespace internal

}  // namespace vsr::perf
