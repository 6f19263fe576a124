// Runtime metrics of the current process, read from the kernel: peak resident set size,
// CPU time consumed and live thread count. Cheap enough to sample once per benchmark result.
#pragma once

#include <cstdint>

namespace vsr::perf {

struct RuntimeMetrics {
  double peak_rss_mb = 0;  // getrusage(RUSAGE_SELF).ru_maxrss, MiB
  double cpu_time_s = 0;   // user + system CPU time of the process so far, seconds
  int64_t threads = 0;     // "Threads:" from /proc/self/status (0 if unreadable)
};

RuntimeMetrics ReadRuntimeMetrics();

}  // namespace vsr::perf
