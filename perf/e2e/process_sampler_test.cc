#include "perf/e2e/process_sampler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace vsr::e2e {
namespace {

using namespace std::chrono_literals;

TEST(ProcessSamplerTest, ReadsThisProcess) {
  auto r = ReadProc(getpid());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GT(r->rss_mb, 0.5);
  EXPECT_GE(r->threads, 1);
  EXPECT_GE(r->cpu_seconds, 0.0);
}

TEST(ProcessSamplerTest, MissingProcessIsAnError) {
  EXPECT_FALSE(ReadProc(-1).ok());
  ProcessSampler s(999999999, 10ms);
  EXPECT_FALSE(s.Start().ok());
}

TEST(ProcessSamplerTest, SeesCpuMemoryAndThreadsOfABusyProcess) {
  ProcessSampler sampler(getpid(), 50ms);
  ASSERT_TRUE(sampler.Start().ok());
  std::atomic<bool> stop{false};
  std::thread spinner([&] {
    volatile uint64_t x = 0;
    while (!stop.load()) x = x + 1;
  });
  std::vector<char> ballast(64 << 20, 1);  // touched: shows up in RSS
  std::this_thread::sleep_for(400ms);
  stop = true;
  spinner.join();
  sampler.Stop();
  auto samples = sampler.samples();
  ASSERT_GE(samples.size(), 4u);
  ProcSummary s = Summarize(samples);
  EXPECT_EQ(s.samples, samples.size());
  EXPECT_GT(s.cpu_percent_peak, 30.0);  // one thread spinning
  EXPECT_GE(s.threads_peak, 3.0);       // main, sampler, spinner
  EXPECT_GT(s.rss_mb_peak, 64.0);
  EXPECT_LE(s.rss_mb_avg, s.rss_mb_peak);
  EXPECT_LE(s.cpu_percent_avg, s.cpu_percent_peak);
  EXPECT_GT(samples.back().t_s, samples.front().t_s);
  EXPECT_EQ(ballast[12345], 1);
}

TEST(ProcessSamplerTest, SummaryOfNothingIsZero) {
  ProcSummary s = Summarize({});
  EXPECT_EQ(s.samples, 0u);
  EXPECT_EQ(s.rss_mb_peak, 0.0);
}

}  // namespace
}  // namespace vsr::e2e
