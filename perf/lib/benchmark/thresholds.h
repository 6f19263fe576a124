// Thresholds: perf/config/thresholds.yaml, the regression limits and the absolute SLOs.
//
// Regression limits: `benchmarks` is a list of {pattern, ...limits}; the first pattern that
// matches a benchmark name wins, names matching none use `default`, and a limit an entry
// omits is inherited from `default`. Allocations/op, bytes/op and instructions/op are
// deterministic and block; wall time is advisory unless the family sets block_on_time.
// SLOs (`slos`) are absolute limits on a benchmark counter (the seed's table); they are
// reported for every benchmark that exists and block only when marked `blocking: true`.
#pragma once

#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "common/status.h"

namespace vsr::perf {

struct Limits {
  double max_allocs_increase = 0.01;        // allocations/op above baseline (absolute)
  double max_bytes_increase_percent = 1.0;  // bytes/op
  double max_bytes_increase_abs = 16.0;     // and at least this many bytes
  double max_instructions_increase_percent = 2.0;
  double max_time_regression_percent = 15.0;  // median wall time, with the U test
};

struct LimitRule {
  std::string pattern;
  std::regex re;
  Limits limits;
};

struct Slo {
  std::string name;
  std::string benchmark;  // regex
  std::regex re;
  std::string counter;  // e.g. p95_us, hit_rate
  std::optional<double> max;
  std::optional<double> min;
  std::string unit;       // for display
  bool blocking = false;  // wall-time SLOs are advisory unless set (dedicated runners)
};

enum class MissingPolicy { kWarn, kFail };

struct Thresholds {
  std::string source;
  Limits defaults;
  std::vector<LimitRule> rules;
  std::map<std::string, bool> block_on_time;  // family -> blocks on wall time
  double alpha = 0.05;
  int min_time_samples = 3;
  MissingPolicy missing_baseline = MissingPolicy::kWarn;
  MissingPolicy missing_current = MissingPolicy::kFail;
  std::vector<Slo> slos;

  // Limits for a benchmark: first matching rule, else the defaults; `rule` gets the pattern
  // that matched ("default" when none did).
  const Limits& For(const std::string& benchmark, std::string* rule = nullptr) const;
  bool BlocksOnTime(const std::string& family) const;
};

StatusOr<Thresholds> LoadThresholds(const std::string& path);

}  // namespace vsr::perf
