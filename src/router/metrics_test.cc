#include "router/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace vsr::router {
namespace {

TEST(Metrics, CountersRenderInPrometheusFormat) {
  CounterFamily c("llm_x_total", "Things.", {"model", "code"});
  c.Inc({"m\"1", "200"});
  c.Inc({"m\"1", "200"}, 2);
  c.Inc({"a", "500"});
  EXPECT_EQ(c.Value({"m\"1", "200"}), 3u);
  EXPECT_EQ(c.Value({"nope", "200"}), 0u);
  std::string out;
  c.Render(&out);
  EXPECT_EQ(out,
            "# HELP llm_x_total Things.\n# TYPE llm_x_total counter\n"
            "llm_x_total{model=\"a\",code=\"500\"} 1\n"
            "llm_x_total{model=\"m\\\"1\",code=\"200\"} 3\n");
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  HistogramFamily h("llm_lat_seconds", "Latency.", {}, {0.1, 1.0});
  h.Observe({}, 0.05);
  h.Observe({}, 0.5);
  h.Observe({}, 5);
  std::string out;
  h.Render(&out);
  EXPECT_NE(out.find("llm_lat_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("llm_lat_seconds_bucket{le=\"1\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("llm_lat_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("llm_lat_seconds_count 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("llm_lat_seconds_sum 5.55\n"), std::string::npos) << out;
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
  RouterMetrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 1000; ++i) {
        m.requests.Inc({i % 2 ? "a" : "b"});
        m.pipeline_latency.Observe({}, 0.001 * t);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(m.requests.Value({"a"}) + m.requests.Value({"b"}), 4000u);
  EXPECT_EQ(m.pipeline_latency.Count({}), 4000u);
  EXPECT_NE(m.Render().find("llm_model_requests_total{model=\"a\"} 2000"), std::string::npos);
}

}  // namespace
}  // namespace vsr::router
