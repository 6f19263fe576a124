// ThreadPool: a fixed set of worker threads for data-parallel loops inside one forward
// pass. ParallelFor(n, fn) runs fn(i, worker) for every i in [0, n) on the workers and the
// calling thread, and returns when all are done. `worker` in [0, size()) identifies the
// thread running the task (0 = the caller), so tasks can use per-thread scratch space.
//
// One loop runs at a time: a caller that finds the pool busy (another thread's forward pass
// is using it) runs its loop inline on its own thread, so concurrent callers never wait for
// each other and never deadlock. Workers spin briefly before sleeping, so the back-to-back
// loops of a forward pass do not pay a wake-up each.
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
  // `threads` counts the caller: threads - 1 workers are started (none when threads <= 1).
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

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

 private:
  void WorkerLoop(int worker);
  void RunTasks(int worker);

  std::vector<std::thread> workers_;
  std::mutex run_mu_;  // held by the caller whose loop is running

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<uint64_t> generation_{0};

  const Task* fn_ = nullptr;
  int64_t n_ = 0;
  std::atomic<int64_t> next_{0};
  std::atomic<int> busy_workers_{0};
};

}  // namespace vsr::inference
