#include "perf/e2e/load_pattern.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

namespace vsr::e2e {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

LoadPattern Constant(double qps, nanoseconds d) {
  LoadPattern p;
  p.name = "constant";
  p.qps = qps;
  p.duration = d;
  return p;
}

TEST(ParseDurationTest, Units) {
  EXPECT_EQ(*ParseDuration("60s"), nanoseconds(60s));
  EXPECT_EQ(*ParseDuration("2m"), nanoseconds(120s));
  EXPECT_EQ(*ParseDuration("500ms"), nanoseconds(500ms));
  EXPECT_EQ(*ParseDuration("1.5s"), nanoseconds(1500ms));
  EXPECT_EQ(*ParseDuration("250us"), nanoseconds(250us));
  EXPECT_EQ(*ParseDuration("3"), nanoseconds(3s));
  EXPECT_FALSE(ParseDuration("").ok());
  EXPECT_FALSE(ParseDuration("fast").ok());
  EXPECT_FALSE(ParseDuration("10 parsecs").ok());
  EXPECT_FALSE(ParseDuration("-1s").ok());
}

TEST(BuildScheduleTest, ConstantIsEvenlySpaced) {
  auto s = BuildSchedule(Constant(100, 2s), 1000000);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 200u);
  EXPECT_EQ((*s)[0], nanoseconds(0));
  EXPECT_EQ((*s)[1], nanoseconds(10ms));
  EXPECT_EQ((*s)[199], nanoseconds(1990ms));
}

TEST(BuildScheduleTest, CapKeepsThePrefix) {
  auto full = BuildSchedule(Constant(100, 2s), 1000000);
  auto capped = BuildSchedule(Constant(100, 2s), 50);
  ASSERT_TRUE(capped.ok());
  ASSERT_EQ(capped->size(), 50u);
  EXPECT_TRUE(std::equal(capped->begin(), capped->end(), full->begin()));
}

TEST(BuildScheduleTest, RampUpRateRisesLinearly) {
  LoadPattern p;
  p.name = "ramp_up";
  p.kind = PatternKind::kRampUp;
  p.start_qps = 10;
  p.end_qps = 100;
  p.duration = 10s;
  auto s = BuildSchedule(p, 1000000);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->size(), 550u);  // mean 55 qps over 10 s
  EXPECT_TRUE(std::is_sorted(s->begin(), s->end()));
  EXPECT_LE(s->back(), nanoseconds(10s));
  // Sends in the first and the last second: about 14.5 and 95.5.
  auto in = [&](nanoseconds lo, nanoseconds hi) {
    return std::count_if(s->begin(), s->end(), [&](nanoseconds t) { return t >= lo && t < hi; });
  };
  EXPECT_NEAR(in(0s, 1s), 14.5, 1.5);
  EXPECT_NEAR(in(9s, 10s), 95.5, 1.5);
}

TEST(BuildScheduleTest, RampDownAndFromZeroWork) {
  LoadPattern p;
  p.name = "ramp_up";
  p.kind = PatternKind::kRampUp;
  p.start_qps = 0;
  p.end_qps = 50;
  p.duration = 4s;
  auto up = BuildSchedule(p, 1000000);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->size(), 100u);
  EXPECT_TRUE(std::is_sorted(up->begin(), up->end()));
  p.start_qps = 50;
  p.end_qps = 0;
  auto down = BuildSchedule(p, 1000000);
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->size(), 100u);
  EXPECT_TRUE(std::is_sorted(down->begin(), down->end()));
  EXPECT_LE(down->back(), nanoseconds(4s));
}

TEST(BuildScheduleTest, BurstSendsGroupsAtEachInterval) {
  LoadPattern p;
  p.name = "burst";
  p.kind = PatternKind::kBurst;
  p.qps = 20;
  p.interval = 500ms;
  p.duration = 2s;
  auto s = BuildSchedule(p, 1000000);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 40u);  // 4 bursts of 10
  EXPECT_EQ((*s)[0], nanoseconds(0));
  EXPECT_EQ((*s)[9], nanoseconds(0));
  EXPECT_EQ((*s)[10], nanoseconds(500ms));
  EXPECT_EQ((*s)[39], nanoseconds(1500ms));
}

TEST(ValidatePatternTest, RejectsBadValues) {
  EXPECT_FALSE(ValidatePattern(Constant(0, 1s)).ok());
  EXPECT_FALSE(ValidatePattern(Constant(-5, 1s)).ok());
  EXPECT_FALSE(ValidatePattern(Constant(1e9, 1s)).ok());
  EXPECT_FALSE(ValidatePattern(Constant(10, 0s)).ok());
  EXPECT_FALSE(ValidatePattern(Constant(10, 2h)).ok());
  LoadPattern b = Constant(10, 1s);
  b.kind = PatternKind::kBurst;
  b.interval = 2s;
  EXPECT_FALSE(ValidatePattern(b).ok());
  b.interval = 10ms;  // 0.1 requests per burst
  EXPECT_FALSE(ValidatePattern(b).ok());
  EXPECT_TRUE(ValidatePattern(Constant(10, 1s)).ok());
}

TEST(ParseLoadPatternsTest, ReadsPerfYamlLayout) {
  const char* yaml = R"(
benchmark_config:
  e2e:
    load_patterns:
      - name: constant
        qps: 50
        duration: 60s
      - name: ramp_up
        start_qps: 10
        end_qps: 100
        duration: 2m
      - name: spike
        kind: burst
        qps: 200
        duration: 30s
        interval: 500ms
)";
  auto ps = ParseLoadPatterns(yaml, "perf.yaml");
  ASSERT_TRUE(ps.ok()) << ps.status().ToString();
  ASSERT_EQ(ps->size(), 3u);
  EXPECT_EQ((*ps)[0].kind, PatternKind::kConstant);
  EXPECT_EQ((*ps)[0].ExpectedRequests(), 3000u);
  EXPECT_EQ((*ps)[1].kind, PatternKind::kRampUp);
  EXPECT_EQ((*ps)[1].duration, nanoseconds(120s));
  EXPECT_EQ((*ps)[2].name, "spike");
  EXPECT_EQ((*ps)[2].kind, PatternKind::kBurst);
  EXPECT_EQ((*ps)[2].interval, nanoseconds(500ms));
}

TEST(ParseLoadPatternsTest, ErrorsNameSourceAndEntry) {
  auto bad_kind =
      ParseLoadPatterns("load_patterns: [{name: zigzag, qps: 1, duration: 1s}]", "x.yaml");
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_NE(bad_kind.status().message().find("x.yaml: load_patterns[0]"), std::string::npos);
  EXPECT_NE(bad_kind.status().message().find("zigzag"), std::string::npos);
  auto bad_qps = ParseLoadPatterns("- {name: constant, qps: lots, duration: 1s}", "y.yaml");
  ASSERT_FALSE(bad_qps.ok());
  EXPECT_NE(bad_qps.status().message().find("qps"), std::string::npos);
  EXPECT_FALSE(ParseLoadPatterns("- {name: constant, qps: 1}", "z").ok());
  EXPECT_FALSE(ParseLoadPatterns("other: 1", "z").ok());
  EXPECT_FALSE(ParseLoadPatterns("[unclosed", "z").ok());
  EXPECT_FALSE(LoadPatternsFile("/nonexistent/perf.yaml").ok());
}

}  // namespace
}  // namespace vsr::e2e
