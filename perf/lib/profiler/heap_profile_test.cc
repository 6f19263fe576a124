#include "perf/lib/profiler/heap_profile.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "perf/lib/metrics/alloc_counter.h"

namespace vsr::perf {
namespace {

__attribute__((noinline)) std::unique_ptr<std::vector<int>> MakeVector(int n) {
  return std::make_unique<std::vector<int>>(n);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(HeapProfileTest, RecordsCountedAllocationsAndFrees) {
  HeapProfileStart();
  AllocCounterStart();
  auto kept = MakeVector(1000);    // 2 allocations, still live
  { auto gone = MakeVector(10); }  // 2 allocations, freed
  AllocCounterStop();
  HeapProfileStop();
  EXPECT_GE(HeapProfileStackCount(), 1u);

  std::string path = ::testing::TempDir() + "/heap_profile_test." + std::to_string(getpid());
  std::string error;
  ASSERT_TRUE(HeapProfileWrite(path, &error)) << error;
  std::string text = ReadAll(path);
  std::remove(path.c_str());
  // Header: live objects/bytes, then [allocated objects/bytes].
  long long live_n = 0, live_b = 0, alloc_n = 0, alloc_b = 0;
  ASSERT_EQ(std::sscanf(text.c_str(), "heap profile: %lld: %lld [%lld: %lld] @ heapprofile",
                        &live_n, &live_b, &alloc_n, &alloc_b),
            4)
      << text.substr(0, 200);
  EXPECT_EQ(alloc_n, 4);
  EXPECT_EQ(live_n, 2);
  EXPECT_GE(live_b, 4000);
  EXPECT_NE(text.find("MAPPED_LIBRARIES:"), std::string::npos);
}

TEST(HeapProfileTest, UncountedAllocationsAreNotRecorded) {
  HeapProfileStart();
  auto v = MakeVector(5);  // counter not started
  HeapProfileStop();
  EXPECT_EQ(HeapProfileStackCount(), 0u);
}

TEST(HeapProfileTest, UnwritablePathIsAnError) {
  std::string error;
  EXPECT_FALSE(HeapProfileWrite("/nonexistent-dir/x.prof", &error));
  EXPECT_NE(error.find("/nonexistent-dir/x.prof"), std::string::npos);
}

}  // namespace
}  // namespace vsr::perf
