#include "perf/lib/benchmark/mann_whitney.h"

#include "perf/lib/benchmark/gbench_json.h"

#include <gtest/gtest.h>

namespace vsr::perf {
namespace {

TEST(MannWhitneyTest, IdenticalDistributionsAreNotSignificant) {
  UTestResult r = MannWhitneyU({10, 11, 12, 13, 14}, {10.5, 11.5, 12.5, 13.5, 14.5});
  EXPECT_TRUE(r.valid);
  EXPECT_GT(r.p_value, 0.3);
}

TEST(MannWhitneyTest, SeparatedSamplesAreSignificant) {
  UTestResult r = MannWhitneyU({10, 11, 12, 13, 14, 10, 11, 12}, {20, 21, 22, 23, 24, 20, 21, 22});
  EXPECT_TRUE(r.valid);
  EXPECT_LT(r.p_value, 0.01);
  EXPECT_EQ(r.u, 0);
}

TEST(MannWhitneyTest, AllTiesGiveNoEvidence) {
  UTestResult r = MannWhitneyU({5, 5, 5}, {5, 5, 5});
  EXPECT_TRUE(r.valid);
  EXPECT_DOUBLE_EQ(r.p_value, 1.0);
}

TEST(MannWhitneyTest, TooFewSamplesIsInvalid) { EXPECT_FALSE(MannWhitneyU({1}, {2, 3}).valid); }

TEST(MannWhitneyTest, Median) {
  EXPECT_DOUBLE_EQ(Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(Median({4, 1, 2, 3}), 2.5);
  EXPECT_DOUBLE_EQ(Median({}), 0);
}

TEST(GbenchJsonTest, NonFiniteCountersAreSkippedNotFatal) {
  std::string text = R"({"benchmarks": [{"name": "A", "run_name": "A", "run_type": "iteration",
    "real_time": 2.0, "cpu_time": 1.0, "time_unit": "us", "iterations": 5,
    "bad": NaN, "worse": -inf, "good": 3}]})";
  auto runs = ParseGbenchJson(text, "t.json");
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].real_time_ns[0], 2000.0);
  EXPECT_EQ((*runs)[0].counters.count("bad"), 0u);
  EXPECT_EQ((*runs)[0].counters.at("good")[0], 3.0);
}

}  // namespace
}  // namespace vsr::perf
