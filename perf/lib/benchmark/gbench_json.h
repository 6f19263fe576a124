// Reads Google Benchmark's JSON output (--benchmark_out) into per-benchmark runs: the
// per-repetition real and CPU time (in ns per op) and the counters, aggregates skipped.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace vsr::perf {

struct GbenchRun {
  std::string name;  // run_name (without aggregate suffix)
  std::vector<double> real_time_ns;
  std::vector<double> cpu_time_ns;
  std::vector<int64_t> iterations;
  // One value per repetition: the benchmark's counters, the MetricsReporter's, and the
  // memory-manager fields allocs_per_iter, total_allocated_bytes, max_bytes_used.
  std::map<std::string, std::vector<double>> counters;
  std::string error;
};

// Runs in the order the file lists them.
StatusOr<std::vector<GbenchRun>> ParseGbenchJson(const std::string& text,
                                                 const std::string& source);

// Replaces the bare NaN / inf values Google Benchmark writes with null.
std::string SanitizeNonFinite(const std::string& text);

}  // namespace vsr::perf
