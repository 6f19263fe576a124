#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "perf/lib/benchmark/perf_config.h"
#include "perf/lib/benchmark/thresholds.h"

namespace vsr::perf {
namespace {

std::string Write(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(PerfConfigTest, TheRepositoryConfigLoads) {
  auto c = LoadPerfConfig("perf/config/perf.yaml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_NE(c->Family("decision"), nullptr);
  EXPECT_NE(c->Family("classification"), nullptr);
  EXPECT_FALSE(c->classification_batch_sizes.empty());
  EXPECT_FALSE(c->cache_sizes.empty());
  EXPECT_GT(c->e2e_load_patterns, 0u);
}

TEST(PerfConfigTest, UnknownKeyIsAnErrorWithLine) {
  auto c = LoadPerfConfig(
      Write("pc1.yaml", "benchmark_config:\n  families:\n    d: {binaries: [x]}\n  bogus: 1\n"));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("pc1.yaml:4"), std::string::npos) << c.status().message();
  EXPECT_NE(c.status().message().find("benchmark_config.bogus"), std::string::npos);
}

TEST(PerfConfigTest, MalformedYamlAndMissingFileAndBadRegex) {
  EXPECT_FALSE(LoadPerfConfig(Write("pc2.yaml", "benchmark_config: [unclosed\n")).ok());
  auto missing = LoadPerfConfig("/nonexistent/perf.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto re = LoadPerfConfig(Write(
      "pc3.yaml", "benchmark_config:\n  families:\n    d: {binaries: [x], quick_filter: \"(\"}\n"));
  ASSERT_FALSE(re.ok());
  EXPECT_NE(re.status().message().find("invalid regex"), std::string::npos);
  auto iters = LoadPerfConfig(Write(
      "pc4.yaml",
      "benchmark_config:\n  families:\n    d: {binaries: [x], instruction_iterations: [5, 5]}\n"));
  EXPECT_FALSE(iters.ok());
}

TEST(PerfConfigTest, ParameterListsSelectBenchmarks) {
  PerfConfig c;
  c.classification_batch_sizes = {1, 10};
  c.cache_sizes = {1000};
  c.cache_concurrency_levels = {1, 10};
  EXPECT_TRUE(SelectedByParameters(c, "BenchmarkClassifyBatch_Size1"));
  EXPECT_TRUE(SelectedByParameters(c, "BenchmarkClassifyBatch_Size10"));
  EXPECT_FALSE(SelectedByParameters(c, "BenchmarkClassifyBatch_Size100"));
  EXPECT_TRUE(SelectedByParameters(c, "BenchmarkCacheSearch_1000Entries"));
  EXPECT_FALSE(SelectedByParameters(c, "BenchmarkCacheSearch_10000Entries"));
  EXPECT_FALSE(SelectedByParameters(c, "BenchmarkCacheConcurrency_50"));
  EXPECT_TRUE(SelectedByParameters(c, "BenchmarkPrioritySelection"));
}

TEST(ThresholdsTest, TheRepositoryThresholdsLoad) {
  auto t = LoadThresholds("perf/config/thresholds.yaml");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_GE(t->slos.size(), 5u);
}

TEST(ThresholdsTest, RulesInheritOmittedLimits) {
  auto t = LoadThresholds(
      Write("th1.yaml",
            "default:\n  max_instructions_increase_percent: 3\n  max_time_regression_percent: 7\n"
            "benchmarks:\n  - pattern: '^Fast'\n    max_time_regression_percent: 30\n"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->For("FastThing").max_time_regression_percent, 30);
  EXPECT_EQ(t->For("FastThing").max_instructions_increase_percent, 3);
  EXPECT_EQ(t->For("Slow").max_time_regression_percent, 7);
}

TEST(ThresholdsTest, BadInputsAreClearErrors) {
  auto unknown = LoadThresholds(Write("th2.yaml", "default:\n  max_cats: 3\n"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("default.max_cats"), std::string::npos);
  auto regex = LoadThresholds(Write("th3.yaml", "benchmarks:\n  - pattern: '[a-'\n"));
  ASSERT_FALSE(regex.ok());
  EXPECT_NE(regex.status().message().find("invalid regex"), std::string::npos);
  auto policy = LoadThresholds(Write("th4.yaml", "policy:\n  missing_baseline: maybe\n"));
  ASSERT_FALSE(policy.ok());
  auto type = LoadThresholds(Write("th5.yaml", "default:\n  max_allocs_increase: lots\n"));
  ASSERT_FALSE(type.ok());
  EXPECT_NE(type.status().message().find("wrong type"), std::string::npos);
}

}  // namespace
}  // namespace vsr::perf
