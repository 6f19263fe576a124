#include "perf/lib/metrics/runtime_metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace vsr::perf {
namespace {

TEST(RuntimeMetricsTest, ReadsPlausibleValues) {
  RuntimeMetrics m = ReadRuntimeMetrics();
  EXPECT_GT(m.peak_rss_mb, 0.5);
  EXPECT_GE(m.cpu_time_s, 0.0);
  EXPECT_GE(m.threads, 1);
}

TEST(RuntimeMetricsTest, SeesAnExtraThreadAndMoreMemory) {
  RuntimeMetrics before = ReadRuntimeMetrics();
  std::vector<char> big(64 << 20, 1);  // touched: 64 MiB resident
  RuntimeMetrics during;
  std::thread t([&] { during = ReadRuntimeMetrics(); });
  t.join();
  EXPECT_EQ(during.threads, before.threads + 1);
  EXPECT_GE(during.peak_rss_mb, before.peak_rss_mb + 60.0 - 1e-9);
  EXPECT_EQ(big[12345], 1);
}

}  // namespace
}  // namespace vsr::perf
