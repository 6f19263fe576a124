// Interposes the malloc family (glibc exports __libc_* for exactly this) so that every heap
// allocation in a benchmark binary is counted. Linked as an object into benchmark binaries
// only; never into the router or into sanitizer builds (the sanitizers own malloc there).
#include <malloc.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "perf/lib/metrics/alloc_counter_internal.h"
#include "perf/lib/profiler/heap_profile.h"

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void __libc_free(void*);
void* __libc_memalign(size_t, size_t);
}

namespace {

using namespace vsr::perf::internal;

struct HooksInstalled {
  HooksInstalled() { g_hooks_installed.store(true); }
} g_mark_installed;

inline void* Counted(void* p, size_t requested) {
  if (p != nullptr && ShouldCount()) {
    RecordAlloc(static_cast<int64_t>(requested), static_cast<int64_t>(malloc_usable_size(p)));
    if (vsr::perf::internal::HeapProfileActive())
      vsr::perf::internal::HeapProfileOnAlloc(p, requested);
  }
  return p;
}

inline void UncountFree(void* p) {
  if (p != nullptr && ShouldCount()) RecordFree(static_cast<int64_t>(malloc_usable_size(p)));
  if (p != nullptr && vsr::perf::internal::HeapProfileActive()) {
    vsr::perf::internal::HeapProfileOnFree(p);
  }
}

}  // namespace

extern "C" {

void* malloc(size_t n) { return Counted(__libc_malloc(n), n); }

void* calloc(size_t count, size_t size) {
  return Counted(__libc_calloc(count, size), count * size);
}

void* realloc(void* p, size_t n) {
  UncountFree(p);
  return Counted(__libc_realloc(p, n), n);
}

void free(void* p) {
  UncountFree(p);
  __libc_free(p);
}

void* memalign(size_t alignment, size_t n) { return Counted(__libc_memalign(alignment, n), n); }

void* aligned_alloc(size_t alignment, size_t n) {
  return Counted(__libc_memalign(alignment, n), n);
}

int posix_memalign(void** out, size_t alignment, size_t n) {
  if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return EINVAL;
  void* p = __libc_memalign(alignment, n);
  if (p == nullptr) return ENOMEM;
  *out = Counted(p, n);
  return 0;
}

}  // extern "C"
