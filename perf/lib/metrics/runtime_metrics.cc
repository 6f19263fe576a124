#include "perf/lib/metrics/runtime_metrics.h"

#include <sys/resource.h>

#include <cstdio>
#include <cstring>

namespace vsr::perf {

RuntimeMetrics ReadRuntimeMetrics() {
  RuntimeMetrics m;
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    m.peak_rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is KiB
    m.cpu_time_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                   static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  // stdio, not iostreams: a fixed buffer, so reading it allocates nothing we care about.
  if (FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof(line), f) != nullptr) {
      long long n = 0;
      if (std::sscanf(line, "Threads: %lld", &n) == 1) {
        m.threads = n;
        break;
      }
    }
    std::fclose(f);
  }
  return m;
}

}  // namespace vsr::perf
