// Compare: a current ResultSet against the baselines of the families it covers, under the
// Thresholds. Produces one verdict per benchmark and metric, the SLO checks, and the loud
// lists of benchmarks without a baseline and baselines without a current result.
//
// Verdicts: a deterministic metric (allocs/op, bytes/op, instructions/op) over its limit is
// a blocking regression; instructions/op measured on a different CPU model or ISA than the
// baseline is reported as not comparable instead. Wall time is a regression only when the
// Mann-Whitney U test says the samples differ (p < alpha) and the median moved more than
// its limit; it blocks only for families with block_on_time. SLO violations block when the
// SLO is marked blocking.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "perf/lib/benchmark/results.h"
#include "perf/lib/benchmark/thresholds.h"

namespace vsr::perf {

enum class Verdict {
  kOk,
  kImproved,
  kRegression,
  kWarning,
  kNotComparable,
  kNew,
  kMissing,
  kError
};
const char* VerdictName(Verdict v);

struct MetricComparison {
  std::string metric;
  bool has_baseline = false;
  bool has_current = false;
  double baseline = 0;
  double current = 0;
  double change_percent = 0;  // (current - baseline) / baseline * 100; 0 when baseline is 0
  double limit_percent = 0;   // the limit that applied (percent, or absolute for allocs)
  double p_value = -1;        // time only
  Verdict verdict = Verdict::kOk;
  bool blocking = false;  // this verdict fails `check`
  std::string note;
};

struct BenchmarkComparison {
  std::string name;
  std::string family;
  std::string rule;                // thresholds rule that applied
  Verdict verdict = Verdict::kOk;  // worst of the metrics
  bool blocking = false;
  std::vector<MetricComparison> metrics;
  std::map<std::string, double> counters;           // current
  std::map<std::string, double> baseline_counters;  // baseline
};

struct SloCheck {
  std::string name;
  std::string benchmark;
  std::string counter;
  std::string unit;
  bool measured = false;
  bool ok = true;
  double value = 0;
  double limit = 0;
  bool is_max = true;
  bool blocking = false;  // a violation fails `check`
  std::string note;
};

struct Comparison {
  std::vector<BenchmarkComparison> benchmarks;  // regressions first
  std::vector<SloCheck> slos;
  std::vector<std::string> new_benchmarks;      // no baseline
  std::vector<std::string> missing_benchmarks;  // baseline, but no current result
  std::vector<std::string> messages;            // loud notes (CPU mismatch, families not built)
  bool blocking = false;
  int regressions = 0;
  int warnings = 0;
  int improvements = 0;
};

// `baselines` maps family -> baseline result set (a family without one is simply absent).
Comparison Compare(const ResultSet& current, const std::map<std::string, ResultSet>& baselines,
                   const Thresholds& thresholds);

// Loads every <family>.json in `dir` (a missing directory means no baselines). A malformed
// file is an error that names it.
StatusOr<std::map<std::string, ResultSet>> LoadBaselines(const std::string& dir);

}  // namespace vsr::perf
