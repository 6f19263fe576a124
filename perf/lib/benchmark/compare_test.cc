#include "perf/lib/benchmark/compare.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vsr::perf {
namespace {

BenchmarkResult Bench(const std::string& name, double allocs, double bytes, double instr,
                      double time_ns) {
  BenchmarkResult b;
  b.name = name;
  b.family = "fam";
  b.metrics = {{kAllocsPerOp, allocs},
               {kBytesPerOp, bytes},
               {kInstructionsPerOp, instr},
               {kRealTimeNs, time_ns}};
  for (int i = 0; i < 5; ++i) b.time_samples_ns.push_back(time_ns * (1.0 + 0.01 * i));
  return b;
}

ResultSet Set(std::vector<BenchmarkResult> benches) {
  ResultSet r;
  r.context.machine = {"host", "Test CPU", "avx2", 2};
  r.benchmarks = std::move(benches);
  return r;
}

Thresholds Defaults() {
  Thresholds t;
  return t;
}

const MetricComparison* Metric(const Comparison& c, const std::string& bench,
                               const std::string& metric) {
  for (const auto& b : c.benchmarks) {
    if (b.name != bench) continue;
    for (const auto& m : b.metrics) {
      if (m.metric == metric) return &m;
    }
  }
  return nullptr;
}

TEST(CompareTest, IdenticalRunsPass) {
  ResultSet base = Set({Bench("A", 1, 64, 1000, 500), Bench("B", 0, 0, 200, 50)});
  Comparison c = Compare(base, {{"fam", base}}, Defaults());
  EXPECT_FALSE(c.blocking);
  EXPECT_EQ(c.regressions, 0);
  EXPECT_TRUE(c.new_benchmarks.empty());
  EXPECT_TRUE(c.missing_benchmarks.empty());
}

TEST(CompareTest, ExtraAllocationBlocks) {
  ResultSet base = Set({Bench("A", 1, 64, 1000, 500)});
  ResultSet cur = Set({Bench("A", 2, 72, 1000, 500)});
  Comparison c = Compare(cur, {{"fam", base}}, Defaults());
  EXPECT_TRUE(c.blocking);
  const MetricComparison* m = Metric(c, "A", kAllocsPerOp);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->verdict, Verdict::kRegression);
  EXPECT_NE(m->note.find("+1.00 allocations per op"), std::string::npos);
}

TEST(CompareTest, FivePercentMoreInstructionsBlocksOnePercentDoesNot) {
  ResultSet base = Set({Bench("A", 0, 0, 10000, 500)});
  Comparison five = Compare(Set({Bench("A", 0, 0, 10500, 500)}), {{"fam", base}}, Defaults());
  EXPECT_TRUE(five.blocking);
  EXPECT_EQ(Metric(five, "A", kInstructionsPerOp)->verdict, Verdict::kRegression);
  Comparison one = Compare(Set({Bench("A", 0, 0, 10100, 500)}), {{"fam", base}}, Defaults());
  EXPECT_FALSE(one.blocking);
}

TEST(CompareTest, FewerInstructionsIsAnImprovement) {
  ResultSet base = Set({Bench("A", 0, 0, 10000, 500)});
  Comparison c = Compare(Set({Bench("A", 0, 0, 9000, 500)}), {{"fam", base}}, Defaults());
  EXPECT_FALSE(c.blocking);
  EXPECT_EQ(Metric(c, "A", kInstructionsPerOp)->verdict, Verdict::kImproved);
}

TEST(CompareTest, DifferentCpuMakesInstructionsNotComparable) {
  ResultSet base = Set({Bench("A", 0, 0, 10000, 500)});
  ResultSet cur = Set({Bench("A", 0, 0, 13000, 500)});
  cur.context.machine.isa = "avx512";
  Comparison c = Compare(cur, {{"fam", base}}, Defaults());
  EXPECT_FALSE(c.blocking);
  const MetricComparison* m = Metric(c, "A", kInstructionsPerOp);
  EXPECT_EQ(m->verdict, Verdict::kNotComparable);
  EXPECT_NE(m->note.find("avx512"), std::string::npos);
}

TEST(CompareTest, SlowerTimeIsAdvisoryUnlessFamilyBlocks) {
  ResultSet base = Set({Bench("A", 0, 0, 1000, 500)});
  ResultSet cur = Set({Bench("A", 0, 0, 1000, 1000)});
  Thresholds t = Defaults();
  Comparison c = Compare(cur, {{"fam", base}}, t);
  EXPECT_FALSE(c.blocking);
  EXPECT_EQ(Metric(c, "A", kRealTimeNs)->verdict, Verdict::kWarning);
  EXPECT_LT(Metric(c, "A", kRealTimeNs)->p_value, 0.05);
  t.block_on_time["fam"] = true;
  EXPECT_TRUE(Compare(cur, {{"fam", base}}, t).blocking);
}

TEST(CompareTest, RemovedBenchmarkIsMissingAndBlocks) {
  ResultSet base = Set({Bench("A", 0, 0, 1000, 500), Bench("Gone", 0, 0, 1000, 500)});
  Comparison c = Compare(Set({Bench("A", 0, 0, 1000, 500)}), {{"fam", base}}, Defaults());
  EXPECT_TRUE(c.blocking);
  ASSERT_EQ(c.missing_benchmarks.size(), 1u);
  EXPECT_EQ(c.missing_benchmarks[0], "Gone");
  EXPECT_EQ(c.benchmarks.front().name, "Gone");  // blocking rows first
}

TEST(CompareTest, NewBenchmarkIsListedButDoesNotBlockByDefault) {
  ResultSet base = Set({Bench("A", 0, 0, 1000, 500)});
  Comparison c = Compare(Set({Bench("A", 0, 0, 1000, 500), Bench("New", 3, 9, 9, 9)}),
                         {{"fam", base}}, Defaults());
  EXPECT_FALSE(c.blocking);
  ASSERT_EQ(c.new_benchmarks.size(), 1u);
  Thresholds strict = Defaults();
  strict.missing_baseline = MissingPolicy::kFail;
  EXPECT_TRUE(Compare(Set({Bench("New", 3, 9, 9, 9)}), {}, strict).blocking);
}

TEST(CompareTest, FirstMatchingRuleWinsAndOmittedLimitsInherit) {
  Thresholds t = Defaults();
  t.defaults.max_instructions_increase_percent = 2;
  LimitRule loose{"^A", std::regex("^A"), t.defaults};
  loose.limits.max_instructions_increase_percent = 20;
  LimitRule never{"^AB", std::regex("^AB"), t.defaults};
  never.limits.max_instructions_increase_percent = 0;
  t.rules = {loose, never};
  std::string rule;
  EXPECT_EQ(t.For("ABC", &rule).max_instructions_increase_percent, 20);
  EXPECT_EQ(rule, "^A");
  EXPECT_EQ(t.For("Z", &rule).max_instructions_increase_percent, 2);
  EXPECT_EQ(rule, "default");
  ResultSet base = Set({Bench("ABC", 0, 0, 1000, 500)});
  EXPECT_FALSE(Compare(Set({Bench("ABC", 0, 0, 1100, 500)}), {{"fam", base}}, t).blocking);
}

TEST(CompareTest, SlosAreCheckedForExistingBenchmarks) {
  Thresholds t = Defaults();
  Slo slo;
  slo.name = "p95";
  slo.benchmark = "^A$";
  slo.re = std::regex(slo.benchmark);
  slo.counter = "p95_us";
  slo.max = 1000;
  slo.blocking = true;
  t.slos.push_back(slo);
  Slo absent = slo;
  absent.re = std::regex("^Nope$");
  t.slos.push_back(absent);
  BenchmarkResult a = Bench("A", 0, 0, 1, 1);
  a.counters["p95_us"] = 1500;
  Comparison c = Compare(Set({a}), {}, t);
  EXPECT_TRUE(c.blocking);
  ASSERT_EQ(c.slos.size(), 2u);
  EXPECT_FALSE(c.slos[0].ok);
  EXPECT_FALSE(c.slos[1].measured);
  t.slos[0].blocking = false;  // advisory: reported, not failed
  Comparison advisory = Compare(Set({a}), {}, t);
  EXPECT_FALSE(advisory.blocking);
  EXPECT_FALSE(advisory.slos[0].ok);
}

TEST(CompareTest, MalformedBaselineIsAnErrorNamingTheFile) {
  std::string dir = ::testing::TempDir() + "/compare_test_baselines";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/fam.json")
      << "{\"kind\": \"vsr-perf-results\", \"schema_version\": 1, \"bench";
  auto b = LoadBaselines(dir);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("fam.json"), std::string::npos);
  EXPECT_NE(b.status().message().find("malformed JSON"), std::string::npos);
  std::ofstream(dir + "/fam.json") << "{\"kind\": \"other\"}";
  auto k = LoadBaselines(dir);
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.status().message().find("kind"), std::string::npos);
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(LoadBaselines(dir).ok());  // no directory: no baselines
}

TEST(CompareTest, ResultSetRoundTrips) {
  ResultSet r = Set({Bench("A", 1, 2, 3, 4)});
  r.benchmarks[0].counters["p95_us"] = 7;
  r.context.instruction_iterations["fam"] = {10, 30};
  auto back = ResultSetFromJson(ToJson(r), "x");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->benchmarks[0].metrics.at(kInstructionsPerOp), 3);
  EXPECT_EQ(back->benchmarks[0].counters.at("p95_us"), 7);
  EXPECT_EQ(back->context.machine.isa, "avx2");
  EXPECT_EQ(back->context.instruction_iterations.at("fam")[1], 30);
}

}  // namespace
}  // namespace vsr::perf
