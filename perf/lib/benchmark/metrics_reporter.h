// MetricsReporter: wraps a Google Benchmark reporter and adds the project's per-result
// counters before forwarding each result:
//   allocs_per_op, bytes_per_op, peak_heap_bytes  (from the counting MemoryManager run)
//   peak_rss_mb, process_cpu_s, os_threads        (runtime metrics of the process)
// Under valgrind callgrind with markers enabled it also dumps the instruction counters at
// the end of each benchmark (named after it) and zeroes them once the result is printed,
// so perftest can attribute instructions to benchmarks one by one.
#pragma once

#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

namespace vsr::perf {

class MetricsReporter : public benchmark::BenchmarkReporter {
 public:
  MetricsReporter(std::unique_ptr<benchmark::BenchmarkReporter> inner, bool callgrind_markers);

  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> inner_;
  bool callgrind_markers_;
};

}  // namespace vsr::perf
