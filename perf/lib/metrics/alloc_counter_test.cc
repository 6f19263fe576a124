#include "perf/lib/metrics/alloc_counter.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace vsr::perf {
namespace {

TEST(AllocCounterTest, HooksAreLinked) { EXPECT_TRUE(AllocHooksInstalled()); }

TEST(AllocCounterTest, CountsNewAndMalloc) {
  AllocCounterStart();
  auto p = std::make_unique<std::vector<int>>(1000);  // two allocations: vector + buffer
  void* volatile raw = malloc(100);  // volatile: the compiler may not elide the pair
  AllocSnapshot s = AllocCounterStop();
  free(raw);
  EXPECT_EQ(s.allocs, 3);
  EXPECT_GE(s.bytes, static_cast<int64_t>(1000 * sizeof(int) + 100));
  EXPECT_GE(s.peak_live_bytes, static_cast<int64_t>(1000 * sizeof(int)));
}

TEST(AllocCounterTest, NothingCountedWhenStopped) {
  AllocCounterStart();
  AllocCounterStop();
  std::string big(1000, 'x');
  AllocSnapshot s = AllocCounterStop();
  EXPECT_EQ(s.allocs, 0);
}

TEST(AllocCounterTest, PauseExcludesThisThread) {
  AllocCounterStart();
  {
    ScopedAllocPause pause;
    std::vector<double> setup(500);
  }
  std::vector<double> counted(10);
  AllocSnapshot s = AllocCounterStop();
  EXPECT_EQ(s.allocs, 1);
}

}  // namespace
}  // namespace vsr::perf
