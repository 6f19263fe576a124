#include "inference/thread_pool.h"

#include <immintrin.h>

#include <chrono>

namespace vsr::inference {

ThreadPool::ThreadPool(int threads, int spin_us) : spin_us_(spin_us < 0 ? 0 : spin_us) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::RunTasks(int worker) {
  const Task& fn = *fn_;
  const int64_t n = n_;
  for (;;) {
    const int64_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= n) break;
    if (worker != 0) worker_took_.store(true, std::memory_order_relaxed);
    fn(i, worker);
  }
}

uint64_t ThreadPool::AwaitLoop(uint64_t seen) {
  auto fresh = [&](uint64_t g) { return g != seen && (g & 1) != 0; };
  uint64_t g = generation_.load();
  if (fresh(g) || stop_.load()) return g;
  // Spin a little: a forward pass issues many short loops back to back. The clock is read
  // every 64 pauses only.
  if (spin_us_ > 0) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(spin_us_);
    for (int spin = 1;; ++spin) {
      _mm_pause();
      g = generation_.load(std::memory_order_acquire);
      if (fresh(g) || stop_.load(std::memory_order_relaxed)) return g;
      if (spin % 64 == 0 && std::chrono::steady_clock::now() >= deadline) break;
    }
  }
  std::unique_lock<std::mutex> lock(mu_);
  sleepers_.fetch_add(1);  // seq_cst: pairs with the caller's store of generation_
  cv_.wait(lock, [&] {
    g = generation_.load();
    return fresh(g) || stop_.load();
  });
  sleepers_.fetch_sub(1);
  return g;
}

void ThreadPool::WorkerLoop(int worker) {
  uint64_t seen = 0;
  for (;;) {
    const uint64_t g = AwaitLoop(seen);
    if (stop_.load()) return;
    seen = g;
    // Join the loop only while it is still open. seq_cst on both sides (Dekker): either the
    // caller's close sees this increment and waits for us, or we see the close and skip.
    active_.fetch_add(1);
    if (generation_.load() == g) RunTasks(worker);
    active_.fetch_sub(1, std::memory_order_release);
  }
}

void ThreadPool::ParallelFor(int64_t n, Task fn) {
  if (n <= 0) return;
  std::unique_lock<std::mutex> run(run_mu_, std::try_to_lock);
  if (workers_.empty() || n == 1 || !run.owns_lock()) {
    for (int64_t i = 0; i < n; ++i) fn(i, 0);
    return;
  }
  fn_ = &fn;
  n_ = n;
  next_.store(0, std::memory_order_relaxed);
  worker_took_.store(false, std::memory_order_relaxed);
  generation_.fetch_add(1);  // open (odd); seq_cst: pairs with sleepers_ in AwaitLoop
  if (sleepers_.load() > 0) {
    { std::lock_guard<std::mutex> lock(mu_); }  // a sleeper is either waiting or will see it
    cv_.notify_all();
  }
  RunTasks(0);
  generation_.fetch_add(1);  // closed (even)
  // Wait only for workers that joined; they are finishing tasks already taken.
  for (int spin = 0; active_.load(std::memory_order_acquire) != 0; ++spin) {
    if (spin < 4096) {
      _mm_pause();
    } else {
      std::this_thread::yield();  // the worker was descheduled mid-task
    }
  }
  if (worker_took_.load(std::memory_order_relaxed)) loops_with_workers_.fetch_add(1);
  fn_ = nullptr;
}

}  // namespace vsr::inference
