// LoadPattern: an open-loop arrival pattern and the fixed send schedule it implies.
//
// The three patterns of perf/config/perf.yaml (benchmark_config.e2e.load_patterns):
//   constant  {qps, duration}                 evenly spaced sends at `qps`
//   ramp_up   {start_qps, end_qps, duration}  the rate rises linearly from start to end
//   burst     {qps, duration, interval?}      every `interval` (default 1s) a burst of
//                                             qps*interval sends leaves at the same instant
// BuildSchedule turns a pattern into send offsets from the start of the run, computed up
// front, so what the server does can never change when a request is sent (no coordinated
// omission). Every schedule is bounded by a request cap.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vsr::e2e {

enum class PatternKind { kConstant, kRampUp, kBurst };

std::string_view PatternKindName(PatternKind kind);

struct LoadPattern {
  std::string name;  // as written in perf.yaml (also the kind unless `kind` is given)
  PatternKind kind = PatternKind::kConstant;
  double qps = 0;        // constant, burst (average rate)
  double start_qps = 0;  // ramp_up
  double end_qps = 0;    // ramp_up
  std::chrono::nanoseconds duration{0};
  std::chrono::nanoseconds interval{std::chrono::seconds(1)};  // burst period

  // The mean rate over the pattern.
  double MeanQps() const;
  // The number of sends the pattern asks for (before any cap).
  uint64_t ExpectedRequests() const;
};

// Hard limits every pattern must respect (the load generator is bounded in time and count).
inline constexpr double kMaxQps = 200000;
inline constexpr std::chrono::seconds kMaxPatternDuration{3600};

// Checks rates, durations and interval; the error names the pattern and the field.
Status ValidatePattern(const LoadPattern& pattern);

// "60s", "2m", "500ms", "1.5s", "250us"; a bare number means seconds.
StatusOr<std::chrono::nanoseconds> ParseDuration(std::string_view text);

// Parses the patterns of a YAML document: either a `load_patterns` sequence found under
// `benchmark_config.e2e`, `e2e` or at the top level, or a bare sequence. Each entry needs
// `name`; the kind is `kind` if present, else the name. `source` names the document in errors.
StatusOr<std::vector<LoadPattern>> ParseLoadPatterns(std::string_view yaml,
                                                     const std::string& source);
// The same, read from a file.
StatusOr<std::vector<LoadPattern>> LoadPatternsFile(const std::string& path);

// Send offsets (non-decreasing, starting at or after 0) for the pattern, at most
// `max_requests` of them: a capped schedule is the prefix of the uncapped one.
StatusOr<std::vector<std::chrono::nanoseconds>> BuildSchedule(const LoadPattern& pattern,
                                                              uint64_t max_requests);

}  // namespace vsr::e2e
