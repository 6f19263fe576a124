// Runner: runs the benchmark families of perf.yaml and builds a ResultSet.
//
// Per binary: (1) list its benchmarks and select them (suite filter, --filter regex, the
// seed's batch/cache-size lists); (2) a timing run with N repetitions (Google Benchmark JSON);
// (3) an allocation run at a fixed iteration count with the counting MemoryManager
// (allocs/op, bytes/op); (4) two runs under valgrind callgrind at fixed iteration counts
// N1 < N2, instructions/op = (I(N2) - I(N1)) / (N2 - N1), which cancels setup. Families whose
// binaries are not built are noted, not failed.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "perf/lib/benchmark/perf_config.h"
#include "perf/lib/benchmark/results.h"

namespace vsr::perf {

struct RunOptions {
  std::string suite = "quick";
  std::vector<std::string> families;  // empty: all enabled families
  std::string filter;                 // regex on benchmark names; empty: all
  int repetitions = 0;                // 0: the suite's
  bool instructions = true;
  bool allocations = true;
  bool timing = true;
  std::string bench_dir;                       // empty: perf.yaml's bench_dir
  std::string work_dir = "reports/.perftest";  // raw outputs and logs
  std::string profile_dir;                     // non-empty: CPU and heap profiles per binary
  bool verbose = false;
};

// Returns an error for bad options (unknown family, invalid regex) or when a benchmark
// binary cannot run at all; per-benchmark failures are recorded in the results.
StatusOr<ResultSet> RunBenchmarks(const PerfConfig& config, const RunOptions& options,
                                  std::ostream& log);

// Escapes regex metacharacters so `name` matches literally.
std::string RegexEscape(const std::string& name);

}  // namespace vsr::perf
