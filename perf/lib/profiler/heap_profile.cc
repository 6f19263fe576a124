#include "perf/lib/profiler/heap_profile.h"

#include <execinfo.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace vsr::perf {
namespace internal {
std::atomic<bool> g_heap_profile_active{false};
}  // namespace internal
namespace {

constexpr int kMaxDepth = 48;
constexpr size_t kBuckets = 1 << 13;    // distinct stacks
constexpr size_t kLiveSlots = 1 << 17;  // live tracked pointers

struct Bucket {
  uint64_t hash = 0;
  int depth = 0;
  void* pcs[kMaxDepth];
  int64_t alloc_count = 0, alloc_bytes = 0, live_count = 0, live_bytes = 0;
};

struct LiveSlot {
  uintptr_t ptr = 0;  // 0 empty, 1 tombstone
  uint32_t bucket = 0;
  int64_t bytes = 0;
};

std::atomic_flag g_lock = ATOMIC_FLAG_INIT;
Bucket g_buckets[kBuckets];
LiveSlot g_live[kLiveSlots];
size_t g_bucket_count = 0;
int64_t g_dropped = 0;
thread_local bool t_inside = false;

struct SpinGuard {
  SpinGuard() {
    while (g_lock.test_and_set(std::memory_order_acquire)) {
    }
  }
  ~SpinGuard() { g_lock.clear(std::memory_order_release); }
};

uint64_t HashStack(void* const* pcs, int depth) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < depth; ++i) {
    h ^= reinterpret_cast<uintptr_t>(pcs[i]);
    h *= 1099511628211ull;
  }
  return h | 1;  // never 0 (0 marks an empty bucket)
}

size_t SlotOf(uintptr_t p) { return (p >> 4) * 11400714819323198485ull >> (64 - 17); }

}  // namespace

void HeapProfileStart() {
  void* prime[2];
  backtrace(prime, 2);  // loads the unwinder now, not from inside malloc
  SpinGuard g;
  std::memset(static_cast<void*>(g_buckets), 0, sizeof(g_buckets));
  std::memset(static_cast<void*>(g_live), 0, sizeof(g_live));
  g_bucket_count = 0;
  g_dropped = 0;
  internal::g_heap_profile_active.store(true, std::memory_order_release);
}

void HeapProfileStop() { internal::g_heap_profile_active.store(false, std::memory_order_release); }

size_t HeapProfileStackCount() {
  SpinGuard g;
  return g_bucket_count;
}

namespace internal {

__attribute__((noinline)) void HeapProfileOnAlloc(void* p, size_t bytes) {
  if (t_inside || !HeapProfileActive()) return;
  t_inside = true;
  void* pcs[kMaxDepth + 1];
  int depth = backtrace(pcs, kMaxDepth + 1) - 1;  // drop this function's own frame
  if (depth < 0) depth = 0;
  uint64_t h = HashStack(pcs + 1, depth);
  {
    SpinGuard g;
    size_t i = h & (kBuckets - 1);
    size_t probes = 0;
    while (g_buckets[i].hash != 0 && g_buckets[i].hash != h && probes < kBuckets) {
      i = (i + 1) & (kBuckets - 1);
      ++probes;
    }
    if (probes == kBuckets) {
      ++g_dropped;
    } else {
      Bucket& b = g_buckets[i];
      if (b.hash == 0) {
        b.hash = h;
        b.depth = depth;
        std::memcpy(b.pcs, pcs + 1, sizeof(void*) * static_cast<size_t>(depth));
        ++g_bucket_count;
      }
      b.alloc_count += 1;
      b.alloc_bytes += static_cast<int64_t>(bytes);
      b.live_count += 1;
      b.live_bytes += static_cast<int64_t>(bytes);
      size_t s = SlotOf(reinterpret_cast<uintptr_t>(p));
      for (size_t n = 0; n < kLiveSlots; ++n, s = (s + 1) & (kLiveSlots - 1)) {
        if (g_live[s].ptr <= 1) {
          g_live[s] = {reinterpret_cast<uintptr_t>(p), static_cast<uint32_t>(i),
                       static_cast<int64_t>(bytes)};
          break;
        }
      }
    }
  }
  t_inside = false;
}

void HeapProfileOnFree(void* p) {
  if (t_inside || !HeapProfileActive() || p == nullptr) return;
  uintptr_t key = reinterpret_cast<uintptr_t>(p);
  SpinGuard g;
  size_t s = SlotOf(key);
  for (size_t n = 0; n < kLiveSlots; ++n, s = (s + 1) & (kLiveSlots - 1)) {
    if (g_live[s].ptr == 0) return;  // never tracked
    if (g_live[s].ptr == key) {
      Bucket& b = g_buckets[g_live[s].bucket];
      b.live_count -= 1;
      b.live_bytes -= g_live[s].bytes;
      g_live[s].ptr = 1;  // tombstone keeps later probes intact
      return;
    }
  }
}

}  // namespace internal

bool HeapProfileWrite(const std::string& path, std::string* error) {
  bool was_active = internal::g_heap_profile_active.exchange(false);
  t_inside = true;  // the stdio below allocates; keep it out of the profile
  FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) {
    if (error) *error = "cannot write heap profile " + path + ": " + std::strerror(errno);
    t_inside = false;
    internal::g_heap_profile_active.store(was_active);
    return false;
  }
  int64_t live_n = 0, live_b = 0, alloc_n = 0, alloc_b = 0;
  for (const Bucket& b : g_buckets) {
    if (b.hash == 0) continue;
    live_n += b.live_count;
    live_b += b.live_bytes;
    alloc_n += b.alloc_count;
    alloc_b += b.alloc_bytes;
  }
  std::fprintf(out, "heap profile: %lld: %lld [%lld: %lld] @ heapprofile\n",
               static_cast<long long>(live_n), static_cast<long long>(live_b),
               static_cast<long long>(alloc_n), static_cast<long long>(alloc_b));
  for (const Bucket& b : g_buckets) {
    if (b.hash == 0) continue;
    std::fprintf(out, "%lld: %lld [%lld: %lld] @", static_cast<long long>(b.live_count),
                 static_cast<long long>(b.live_bytes), static_cast<long long>(b.alloc_count),
                 static_cast<long long>(b.alloc_bytes));
    for (int i = 0; i < b.depth; ++i) std::fprintf(out, " %p", b.pcs[i]);
    std::fputc('\n', out);
  }
  std::fprintf(out, "\nMAPPED_LIBRARIES:\n");
  if (FILE* maps = std::fopen("/proc/self/maps", "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), maps)) > 0) std::fwrite(buf, 1, n, out);
    std::fclose(maps);
  }
  bool ok = std::fclose(out) == 0;
  if (!ok && error) *error = "cannot finish heap profile " + path;
  if (g_dropped > 0) {
    std::fprintf(stderr, "heap profile: %lld allocations not recorded (stack table full)\n",
                 static_cast<long long>(g_dropped));
  }
  t_inside = false;
  internal::g_heap_profile_active.store(was_active);
  return ok;
}

}  // namespace vsr::perf
