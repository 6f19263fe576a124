#include "perf/lib/benchmark/mann_whitney.h"

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

}  // namespace
}  // namespace vsr::perf
