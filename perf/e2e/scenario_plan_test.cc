#include "perf/e2e/scenario_plan.h"

#include <gtest/gtest.h>

namespace vsr::e2e {
namespace {

using namespace std::chrono_literals;

TEST(ScenarioPlanTest, ShippedVariantsLoad) {
  auto full = LoadScenarioPlan("perf/e2e/scenarios.yaml", "full");
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  EXPECT_EQ(full->variant, "full");
  EXPECT_EQ(full->latency_qps, 500);  // the classifier-path target's rate
  EXPECT_EQ(full->cache_hit.mix, "cache_hit");
  auto overhead = LoadScenarioPlan("perf/e2e/scenarios.yaml", "overhead");
  ASSERT_TRUE(overhead.ok()) << overhead.status().ToString();
  EXPECT_EQ(overhead->latency_qps, 1000);  // the overhead target's rate
  EXPECT_FALSE(overhead->run_patterns);
  auto smoke = LoadScenarioPlan("perf/e2e/scenarios.yaml", "smoke");
  ASSERT_TRUE(smoke.ok()) << smoke.status().ToString();
  EXPECT_EQ(smoke->throughput.step_duration, std::chrono::nanoseconds(3s));
  EXPECT_EQ(smoke->throughput.mix, "realistic");  // default kept
  EXPECT_EQ(smoke->cache_hit.mix, "cache_hit");
  EXPECT_EQ(smoke->pattern_max_duration, std::chrono::nanoseconds(4s));
}

TEST(ScenarioPlanTest, ErrorsNameFileAndKey) {
  auto unknown = ParseScenarioPlan("smoke: {latency_qsp: 5}", "s.yaml", "smoke");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("s.yaml: smoke"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("latency_qsp"), std::string::npos);
  auto nested = ParseScenarioPlan("smoke: {throughput: {step_factor: 0.5}}", "s.yaml", "smoke");
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.status().message().find("smoke.throughput: step_factor"), std::string::npos);
  EXPECT_FALSE(ParseScenarioPlan("smoke: {latency_qps: fast}", "s", "smoke").ok());
  EXPECT_FALSE(ParseScenarioPlan("smoke: {latency_mix: weird}", "s", "smoke").ok());
  EXPECT_FALSE(ParseScenarioPlan("smoke: {latency_duration: 2h}", "s", "smoke").ok());
  EXPECT_FALSE(
      ParseScenarioPlan("smoke: {throughput: {start_qps: 10, max_qps: 5}}", "s", "smoke").ok());
  EXPECT_FALSE(ParseScenarioPlan("full: {}", "s", "smoke").ok());
  EXPECT_FALSE(LoadScenarioPlan("/nonexistent", "smoke").ok());
}

TEST(E2eThresholdsTest, ReadsTheE2eSection) {
  auto t = ParseE2eThresholds(R"(
version: 1
default: {max_allocs_increase: 0}
e2e:
  throughput: {min_sustained_qps: 600, min_success_rate: 0.995, min_cache_hit_qps: 4000}
  latency: {max_p95_ms: 90, max_p99_ms: 140, max_router_overhead_p99_ms: 2}
  resource: {max_memory_mb: 1024, max_regression_percent: 30}
)",
                              "t.yaml");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->min_sustained_qps, 600);
  EXPECT_EQ(t->min_success_rate, 0.995);
  EXPECT_EQ(t->min_cache_hit_qps, 4000);
  EXPECT_EQ(t->max_p95_ms, 90);
  EXPECT_EQ(t->max_p99_ms, 140);
  EXPECT_EQ(t->max_router_overhead_p99_ms, 2);
  EXPECT_EQ(t->max_memory_mb, 1024);
  EXPECT_EQ(t->max_regression_percent_resource, 30);
  EXPECT_EQ(t->max_regression_percent_latency, 20);  // default kept
  EXPECT_EQ(ParseE2eThresholds("version: 1", "t").status().code(), StatusCode::kNotFound);
  auto bad = ParseE2eThresholds("e2e: {latency: {max_p99: 3}}", "t.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("max_p99"), std::string::npos);
  EXPECT_FALSE(ParseE2eThresholds("e2e: {throughput: {min_success_rate: 2}}", "t").ok());
}

}  // namespace
}  // namespace vsr::e2e
