// JSON forms of load-generator results, as they appear in reports/e2e.json (schema in
// perf/e2e/README.md): a compact numeric summary of a run (for tables, thresholds and the
// baseline comparison) and its chart series (latency over time, percentile curve).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "perf/e2e/histogram.h"
#include "perf/e2e/load_generator.h"
#include "perf/e2e/load_pattern.h"

namespace vsr::e2e {

// Quantiles of the percentile curve.
inline constexpr double kCurveQuantiles[] = {0.0,  0.25,  0.5,   0.75,   0.9, 0.95,
                                             0.99, 0.995, 0.999, 0.9999, 1.0};

// {"p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms", "mean_ms"} of a nanosecond histogram.
nlohmann::json LatencyMs(const LatencyHistogram& h);

// {"offered_qps", "achieved_qps", "success_rate", "scheduled", "ok", "errors": {kind: n},
//  "cache_hits", "cache_hit_rate", "latency_ms": {...}, "send_lag_p99_ms", "connections",
//  "aborted", "unsent"}.
nlohmann::json RunSummary(const LoadRunResult& r);

// {"timeline": [{"t_s", "scheduled", "ok", "errors", "p50_ms", "p99_ms", "max_ms"}...],
//  "percentile_curve": [{"q", "ms"}...], "status_counts": {"200": n, ...}}.
nlohmann::json RunSeries(const LoadRunResult& r);

// {"kind", "qps" | "start_qps"+"end_qps", "duration_s", "interval_s"?}.
nlohmann::json PatternJson(const LoadPattern& p);

// A one-line human summary: "1000.0 qps offered, 998.7 achieved, ok 100.00%, p50 1.2 ms ...".
std::string RunLine(const LoadRunResult& r);

}  // namespace vsr::e2e
