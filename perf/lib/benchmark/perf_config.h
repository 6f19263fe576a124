// PerfConfig: perf/config/perf.yaml, the one place that says which benchmark families exist,
// which binaries make them up, how the quick and full suites run and what the families'
// parameters are (the seed's benchmark_config keys). Unknown keys are errors.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace vsr::perf {

struct SuiteConfig {
  int repetitions = 5;
  double min_time_s = 0.05;
};

struct FamilyConfig {
  std::string name;
  std::vector<std::string> binaries;            // file names in bench_dir
  std::string quick_filter = ".";               // regex: benchmarks of the quick suite
  std::string instructions_filter = ".";        // regex: benchmarks measured under callgrind
  std::vector<int64_t> instruction_iterations;  // {N1, N2}; empty = the default
  int64_t alloc_iterations = 0;                 // 0 = the default
  bool enabled = true;
};

struct PerfConfig {
  std::string source;
  std::string bench_dir = "build/bench";
  std::map<std::string, SuiteConfig> suites;  // "quick", "full"
  int64_t alloc_iterations = 16;
  bool instructions_enabled = true;
  std::vector<int64_t> instruction_iterations = {10, 30};
  int valgrind_jobs = 2;
  std::vector<FamilyConfig> families;
  // The seed's component parameters.
  std::vector<int64_t> classification_batch_sizes;
  int64_t classification_iterations = 0;
  std::vector<int64_t> cache_sizes;
  std::vector<int64_t> cache_concurrency_levels;
  size_t e2e_load_patterns = 0;  // validated here, run by the e2e load generator
  // Profiling and reporting.
  bool profile_cpu = true;
  bool profile_heap = true;
  std::string profile_primary_family = "decision";
  std::string output_dir = "reports";
  std::vector<std::string> report_formats = {"json", "markdown", "html"};

  const FamilyConfig* Family(const std::string& name) const;
};

StatusOr<PerfConfig> LoadPerfConfig(const std::string& path);

// True if `benchmark` passes the seed's parameter lists: a name carrying _Size<N>,
// _<N>Entries or Concurrency_<N> runs only when N is listed (empty lists allow all).
bool SelectedByParameters(const PerfConfig& config, const std::string& benchmark);

}  // namespace vsr::perf
