#include "inference/thread_pool.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace vsr::inference {
namespace {

TEST(ThreadPoolTest, RunsEveryIndexOnce) {
  for (int threads : {1, 2, 4}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (int round = 0; round < 200; ++round) {
      std::vector<std::atomic<int>> hits(37);
      pool.ParallelFor(37, [&](int64_t i, int worker) {
        EXPECT_GE(worker, 0);
        EXPECT_LT(worker, threads);
        hits[i].fetch_add(1);
      });
      for (auto& h : hits) ASSERT_EQ(h.load(), 1);
    }
  }
}

TEST(ThreadPoolTest, ConcurrentCallersDoNotDeadlock) {
  ThreadPool pool(2);
  std::atomic<int64_t> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      for (int round = 0; round < 100; ++round) {
        pool.ParallelFor(16, [&](int64_t i, int) { total.fetch_add(i); });
      }
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 4 * 100 * (15 * 16 / 2));
}

TEST(ThreadPoolTest, ZeroSpinPoolRunsEveryIndexOnce) {
  ThreadPool pool(2, /*spin_us=*/0);
  EXPECT_EQ(pool.spin_us(), 0);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::atomic<int>> hits(9);
    pool.ParallelFor(9, [&](int64_t i, int) { hits[i].fetch_add(1); });
    for (auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
}

TEST(ThreadPoolTest, WorkersTakePartInLongLoops) {
  ThreadPool pool(2);
  for (int round = 0; round < 50; ++round) {
    pool.ParallelFor(8, [&](int64_t, int) {
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(300);
      while (std::chrono::steady_clock::now() < until) {
      }
    });
  }
  EXPECT_GT(pool.loops_with_workers(), 0u);
}

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

TEST(ThreadPoolTest, IdleWorkersBlockInsteadOfSpinning) {
  ThreadPool pool(3);  // two workers
  std::atomic<int64_t> sum{0};
  pool.ParallelFor(64, [&](int64_t i, int) { sum.fetch_add(i); });
  ASSERT_EQ(sum.load(), 63 * 64 / 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // past the spin window
  const double cpu0 = ProcessCpuSeconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  // Two spinning workers would burn ~0.6 CPU-seconds here.
  EXPECT_LT(ProcessCpuSeconds() - cpu0, 0.1);
}

}  // namespace
}  // namespace vsr::inference
