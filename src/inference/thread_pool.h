// ThreadPool: a fixed set of worker threads for data-parallel loops inside one forward
// pass. ParallelFor(n, fn) runs fn(i, worker) for every i in [0, n) on the workers and the
// calling thread, and returns when all are done. `worker` in [0, size()) identifies the
// thread running the task (0 = the caller), so tasks can use per-thread scratch space.
//
// One loop runs at a time: a caller that finds the pool busy (another thread's forward pass
// is using it) runs its loop inline on its own thread, so concurrent callers never wait for
// each other and never deadlock. The caller never waits for a worker that has not started:
// tasks are taken dynamically, and a worker that wakes after the caller took the last task
// skips the loop, so a descheduled worker (an oversubscribed machine) costs nothing.
// Idle workers spin for at most `spin_us` microseconds (the back-to-back loops of a forward
// pass then need no wake-up) and then block on a condition variable: an idle pool costs no
// CPU, and spin_us = 0 never spins (for processes with more threads than cores).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace vsr::inference {

class ThreadPool {
 public:
  static constexpr int kDefaultSpinUs = 50;

  // `threads` counts the caller: threads - 1 workers are started (none when threads <= 1).
  explicit ThreadPool(int threads, int spin_us = kDefaultSpinUs);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  int spin_us() const { return spin_us_; }

  // A non-owning reference to a callable void(int64_t i, int worker): no allocation per
  // loop (a std::function with captures would allocate).
  class Task {
   public:
    template <typename F>
    Task(const F& f)  // NOLINT: implicit by design, the callable outlives the call
        : obj_(&f),
          call_([](const void* o, int64_t i, int w) { (*static_cast<const F*>(o))(i, w); }) {}
    void operator()(int64_t i, int worker) const { call_(obj_, i, worker); }

   private:
    const void* obj_;
    void (*call_)(const void*, int64_t, int);
  };
  void ParallelFor(int64_t n, Task fn);

  // Loops in which at least one worker took a task (for tests and diagnostics).
  uint64_t loops_with_workers() const { return loops_with_workers_.load(); }

 private:
  void WorkerLoop(int worker);
  void RunTasks(int worker);
  // Waits until generation_ is a new open loop (odd, != seen) or the pool stops; returns it.
  uint64_t AwaitLoop(uint64_t seen);

  const int spin_us_;
  std::vector<std::thread> workers_;
  std::mutex run_mu_;  // held by the caller whose loop is running

  // Odd = a loop is open for workers to join, even = closed. Each loop moves it twice.
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  std::atomic<int> active_{0};    // workers inside the open loop
  std::atomic<int> sleepers_{0};  // workers blocked on cv_
  std::mutex mu_;
  std::condition_variable cv_;

  // The open loop; written by the caller before opening, read by workers that joined.
  const Task* fn_ = nullptr;
  int64_t n_ = 0;
  std::atomic<int64_t> next_{0};
  std::atomic<bool> worker_took_{false};
  std::atomic<uint64_t> loops_with_workers_{0};
};

}  // namespace vsr::inference
