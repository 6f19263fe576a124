// ResultSet: the one versioned schema perftest writes (reports/current.json) and reads back
// (baselines in perf/testdata/baselines/<family>.json use the same schema, one family each).
//
// A result set carries where it was measured (machine, CPU model and ISA, compiler, build
// type, git) and, per benchmark, the gate metrics (allocs_per_op, bytes_per_op,
// instructions_per_op, real_time_ns, cpu_time_ns), the wall-time samples of each repetition
// and the benchmark's own counters (latency percentiles, qps, hit rate, RSS, threads).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace vsr::perf {

inline constexpr int kResultsSchemaVersion = 1;
inline constexpr const char* kResultsKind = "vsr-perf-results";

// Gate metric names (keys of BenchmarkResult::metrics).
inline constexpr const char* kAllocsPerOp = "allocs_per_op";
inline constexpr const char* kBytesPerOp = "bytes_per_op";
inline constexpr const char* kInstructionsPerOp = "instructions_per_op";
inline constexpr const char* kRealTimeNs = "real_time_ns";  // median over repetitions
inline constexpr const char* kCpuTimeNs = "cpu_time_ns";    // median over repetitions

struct MachineInfo {
  std::string hostname;
  std::string cpu_model;
  std::string isa;  // widest vector ISA the CPU offers: avx512, avx2, avx, sse4_2, baseline
  int num_cpus = 0;
};

struct RunContext {
  MachineInfo machine;
  std::string compiler;
  std::string build_type;
  std::string build_flags;  // CMAKE_CXX_FLAGS and VSR_NATIVE: they pick the code paths too
  std::string git_commit;
  std::string git_branch;
  bool git_dirty = false;
  std::string date;   // UTC, ISO 8601
  std::string suite;  // quick | full
  int repetitions = 0;
  std::map<std::string, std::vector<int64_t>> instruction_iterations;  // family -> {N1, N2}
};

struct BenchmarkResult {
  std::string name;
  std::string family;
  std::string binary;
  std::map<std::string, double> metrics;
  std::vector<double> time_samples_ns;  // real time per op, one per repetition
  std::map<std::string, double> counters;
  std::string error;  // set when the benchmark reported an error or could not run
};

struct ResultSet {
  int schema_version = kResultsSchemaVersion;
  RunContext context;
  std::vector<BenchmarkResult> benchmarks;
  std::vector<std::string> notes;  // e.g. families that are not built yet

  const BenchmarkResult* Find(const std::string& name) const;
};

nlohmann::json ToJson(const ResultSet& results);
// `source` names the document in error messages.
StatusOr<ResultSet> ResultSetFromJson(const nlohmann::json& j, const std::string& source);
StatusOr<ResultSet> LoadResultSet(const std::string& path);
Status SaveResultSet(const ResultSet& results, const std::string& path);

// Reads a whole file / writes one (creating parent directories).
StatusOr<std::string> ReadFile(const std::string& path);
Status WriteFile(const std::string& path, const std::string& content);
// Parses JSON text; errors name `source` and the parser's position.
StatusOr<nlohmann::json> ParseJson(const std::string& text, const std::string& source);

}  // namespace vsr::perf
