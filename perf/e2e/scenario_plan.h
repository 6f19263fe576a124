// ScenarioPlan and E2eThresholds: what the e2e scenarios run and what they must meet.
//
// The plan comes from perf/e2e/scenarios.yaml, one variant per top-level key (`full` for
// `make perf-e2e`, `smoke` for CI); the thresholds from the `e2e` section of
// perf/config/thresholds.yaml. Both are validated with errors that name the file and key.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace vsr::e2e {

// A search for the highest sustained QPS: constant-rate steps from start_qps, multiplied by
// step_factor while a step passes (success rate and p99 within the thresholds, achieved QPS
// at least min_achieved_ratio of the offered rate), then `refine_steps` bisections between
// the last pass and the first failure.
struct ThroughputPlan {
  bool enabled = true;
  std::string mix = "realistic";
  double start_qps = 100;
  double max_qps = 4000;
  double step_factor = 1.5;
  std::chrono::nanoseconds step_duration{std::chrono::seconds(5)};
  int refine_steps = 1;
  double min_achieved_ratio = 0.95;
};

struct ScenarioPlan {
  std::string variant;
  // Warm-up against the router before anything is measured.
  double warmup_qps = 50;
  std::chrono::nanoseconds warmup_duration{std::chrono::seconds(2)};
  // performance-latency: one fixed rate, routed vs direct vs nginx.
  double latency_qps = 200;
  std::chrono::nanoseconds latency_duration{std::chrono::seconds(10)};
  std::string latency_mix = "realistic";
  // performance-throughput: the realistic mix, and the cache-hit path.
  ThroughputPlan throughput;
  ThroughputPlan cache_hit;
  // The perf.yaml load patterns, run against the router with durations capped.
  bool run_patterns = true;
  std::chrono::nanoseconds pattern_max_duration{std::chrono::seconds(30)};
  std::string pattern_mix = "realistic";
  // performance-resource sampling interval.
  std::chrono::milliseconds resource_interval{200};
  // Load-generator knobs shared by every run.
  std::chrono::milliseconds timeout{5000};
  size_t max_connections = 4096;
  size_t warm_connections = 16;
  int threads = 1;
  uint64_t max_requests_per_run = 2000000;
  std::chrono::milliseconds pause_between_runs{500};
  uint64_t seed = 42;
  std::string model = "auto";
  int max_tokens = 16;
};

StatusOr<ScenarioPlan> LoadScenarioPlan(const std::string& path, const std::string& variant);
StatusOr<ScenarioPlan> ParseScenarioPlan(const std::string& yaml, const std::string& source,
                                         const std::string& variant);

struct E2eThresholds {
  double min_sustained_qps = 500;
  double min_success_rate = 0.99;
  double min_cache_hit_qps = 5000;  // the cache-hit path's target; advisory
  double max_p95_ms = 100;
  double max_p99_ms = 150;
  double max_router_overhead_p99_ms = 1.0;  // the target; advisory
  double max_memory_mb = 2048;
  double max_regression_percent_throughput = 15;
  double max_regression_percent_latency = 20;
  double max_regression_percent_resource = 25;
};

// Reads the `e2e` section of a thresholds file; absent keys keep the defaults above.
StatusOr<E2eThresholds> LoadE2eThresholds(const std::string& path);
StatusOr<E2eThresholds> ParseE2eThresholds(const std::string& yaml, const std::string& source);

}  // namespace vsr::e2e
