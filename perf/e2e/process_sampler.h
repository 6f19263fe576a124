// ProcessSampler: watches another process (the router under load) through /proc/<pid> and
// records its resident memory, CPU use and thread count at a fixed interval on a background
// thread, for the performance-resource scenario. CPU% is the process's user+system CPU time
// over wall time between two samples (100% = one core busy, so it can exceed 100 on several
// cores). Reading /proc never blocks on the sampled process.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"

namespace vsr::e2e {

struct ProcReading {
  double rss_mb = 0;       // VmRSS, MiB
  double cpu_seconds = 0;  // utime + stime
  int64_t threads = 0;
};

// One reading of /proc/<pid>/stat and /proc/<pid>/status.
StatusOr<ProcReading> ReadProc(pid_t pid);

struct ProcSample {
  double t_s = 0;  // since Start()
  double rss_mb = 0;
  double cpu_percent = 0;  // over the interval before this sample
  int64_t threads = 0;
};

struct ProcSummary {
  size_t samples = 0;
  double rss_mb_peak = 0, rss_mb_avg = 0;
  double cpu_percent_peak = 0, cpu_percent_avg = 0;
  double threads_peak = 0, threads_avg = 0;
};

ProcSummary Summarize(const std::vector<ProcSample>& samples);

class ProcessSampler {
 public:
  static constexpr size_t kMaxSamples = 100000;

  ProcessSampler(pid_t pid, std::chrono::milliseconds interval);
  ~ProcessSampler();  // stops
  ProcessSampler(const ProcessSampler&) = delete;
  ProcessSampler& operator=(const ProcessSampler&) = delete;

  // Fails when the process cannot be read.
  Status Start();
  void Stop();
  // A copy of the samples so far (safe while running).
  std::vector<ProcSample> samples() const;

 private:
  void Loop();

  const pid_t pid_;
  const std::chrono::milliseconds interval_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<ProcSample> samples_;  // guarded by mu_
};

}  // namespace vsr::e2e
