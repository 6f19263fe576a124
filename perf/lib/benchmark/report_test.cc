#include "perf/lib/benchmark/report.h"

#include <gtest/gtest.h>

namespace vsr::perf {
namespace {

struct Fixture {
  ResultSet base, cur;
  Comparison cmp;
  ReportInput in;
  Fixture() {
    BenchmarkResult a;
    a.name = "BenchmarkA";
    a.family = "fam";
    a.metrics = {{kAllocsPerOp, 0}, {kInstructionsPerOp, 1000}, {kRealTimeNs, 100}};
    a.counters = {{"p50_us", 1}, {"p90_us", 2}, {"p95_us", 3}, {"p99_us", 4}, {"max_us", 9}};
    BenchmarkResult ok = a;
    ok.name = "BenchmarkOk";
    base.benchmarks = {a, ok};
    base.context.machine = {"h", "cpu", "avx2", 2};
    cur = base;
    cur.benchmarks[0].metrics[kInstructionsPerOp] = 1200;
    cmp = Compare(cur, {{"fam", base}}, Thresholds{});
    in.current = &cur;
    in.comparison = &cmp;
  }
};

TEST(ReportTest, MarkdownPutsRegressionsFirst) {
  Fixture f;
  std::string md = RenderMarkdown(f.in);
  EXPECT_NE(md.find("blocking regression"), std::string::npos);
  size_t reg = md.find("`BenchmarkA` | instructions/op | 1000 | 1200 | +20.00%");
  size_t ok = md.find("`BenchmarkOk`");
  ASSERT_NE(reg, std::string::npos) << md;
  ASSERT_NE(ok, std::string::npos);
  EXPECT_LT(reg, ok);
  EXPECT_NE(md.find("| p50 | p90 | p95 | p99 | max | qps |"), std::string::npos);
}

TEST(ReportTest, HtmlIsSelfContainedWithCharts) {
  Fixture f;
  f.in.flamegraph_svg = RenderFlameGraph("main;run;work 30\nmain;run;other 10\n", "cpu");
  std::string html = RenderHtml(f.in);
  EXPECT_EQ(html.find("<script src"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("instructions/op: baseline vs current"), std::string::npos);
  EXPECT_NE(html.find("Latency percentiles"), std::string::npos);
  EXPECT_NE(html.find("work (75.0%)"), std::string::npos);
}

TEST(ReportTest, JsonSummaryAndE2eRows) {
  Fixture f;
  nlohmann::json cur = {{"scenarios", {{{"name", "throughput"}, {"qps", 120.0}}}}};
  nlohmann::json base = {{"scenarios", {{{"name", "throughput"}, {"qps", 100.0}}}}};
  f.in.e2e = E2eRows(cur, &base);
  ASSERT_EQ(f.in.e2e.size(), 1u);
  EXPECT_EQ(f.in.e2e[0].metric, "scenarios.throughput.qps");
  EXPECT_TRUE(f.in.e2e[0].has_baseline);
  nlohmann::json j = RenderJson(f.in);
  EXPECT_TRUE(j["summary"]["blocking"].get<bool>());
  EXPECT_EQ(j["e2e"][0]["current"].get<double>(), 120.0);
}

TEST(ReportTest, E2eChartsFromRunsAndResourceSamples) {
  Fixture f;
  nlohmann::json e2e = {
      {"summary", {{"qps", 1.0}}},
      {"runs",
       {{{"name", "latency/router"},
         {"series",
          {{"percentile_curve", {{{"q", 0.5}, {"ms", 1.0}}, {{"q", 0.99}, {"ms", 4.0}}}}}}}}},
      {"resource_samples", {{{"t_s", 0}, {"rss_mb", 30}}, {{"t_s", 1}, {"rss_mb", 31}}}}};
  f.in.e2e = E2eRows(e2e, nullptr);
  f.in.e2e_charts = E2eChartData(e2e);
  ASSERT_EQ(f.in.e2e_charts.percentile_curves.size(), 1u);
  ASSERT_EQ(f.in.e2e_charts.resource.size(), 1u);
  std::string html = RenderHtml(f.in);
  EXPECT_NE(html.find("End-to-end latency percentile curves"), std::string::npos);
  EXPECT_NE(html.find("latency/router"), std::string::npos);
  EXPECT_NE(html.find("Router memory over time"), std::string::npos);
}

TEST(ReportTest, EmptyFoldedInputGivesNoFlameGraph) { EXPECT_EQ(RenderFlameGraph("", "x"), ""); }

}  // namespace
}  // namespace vsr::perf
