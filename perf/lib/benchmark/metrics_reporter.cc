#include "perf/lib/benchmark/metrics_reporter.h"

#include <valgrind/callgrind.h>

#include <string>
#include <utility>

#include "perf/lib/metrics/alloc_counter.h"
#include "perf/lib/metrics/runtime_metrics.h"

namespace vsr::perf {

MetricsReporter::MetricsReporter(std::unique_ptr<benchmark::BenchmarkReporter> inner,
                                 bool callgrind_markers)
    : inner_(std::move(inner)), callgrind_markers_(callgrind_markers) {}

bool MetricsReporter::ReportContext(const Context& context) {
  // Google Benchmark sets this reporter's streams; the wrapped one writes to the same.
  inner_->SetOutputStream(&GetOutputStream());
  inner_->SetErrorStream(&GetErrorStream());
  return inner_->ReportContext(context);
}

void MetricsReporter::ReportRuns(const std::vector<Run>& runs) {
  if (callgrind_markers_ && !runs.empty()) {
    std::string name = runs.front().benchmark_name();
    CALLGRIND_DUMP_STATS_AT(name.c_str());
  }
  {
    ScopedAllocPause pause;
    RuntimeMetrics rt = ReadRuntimeMetrics();
    std::vector<Run> out = runs;
    for (Run& run : out) {
      run.counters["peak_rss_mb"] = rt.peak_rss_mb;
      run.counters["process_cpu_s"] = rt.cpu_time_s;
      run.counters["os_threads"] = static_cast<double>(rt.threads);
      const benchmark::MemoryManager::Result* mem = run.memory_result;
      if (mem != nullptr && run.run_type == Run::RT_Iteration) {
        run.counters["allocs_per_op"] = run.allocs_per_iter;
        // allocs_per_iter = num_allocs / iterations of the memory run; recover the
        // iteration count from it to put bytes on the same per-op footing.
        double bytes_per_op = 0;
        // (CountingMemoryManager always sets total_allocated_bytes.)
        if (mem->num_allocs > 0 && run.allocs_per_iter > 0) {
          double iters = static_cast<double>(mem->num_allocs) / run.allocs_per_iter;
          bytes_per_op = static_cast<double>(mem->total_allocated_bytes) / iters;
        }
        run.counters["bytes_per_op"] = bytes_per_op;
        run.counters["peak_heap_bytes"] = static_cast<double>(mem->max_bytes_used);
      }
    }
    inner_->ReportRuns(out);
  }
  if (callgrind_markers_) CALLGRIND_ZERO_STATS;
}

void MetricsReporter::Finalize() { inner_->Finalize(); }

}  // namespace vsr::perf
