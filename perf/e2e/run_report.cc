#include "perf/e2e/run_report.h"

#include <cstdio>

namespace vsr::e2e {

namespace {

double Ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }

// Rounds to 4 decimals so the report stays readable (sub-microsecond digits are noise).
double Round(double v) { return std::round(v * 1e4) / 1e4; }

}  // namespace

nlohmann::json LatencyMs(const LatencyHistogram& h) {
  return {{"p50_ms", Round(Ms(h.ValueAtQuantile(0.50)))},
          {"p90_ms", Round(Ms(h.ValueAtQuantile(0.90)))},
          {"p95_ms", Round(Ms(h.ValueAtQuantile(0.95)))},
          {"p99_ms", Round(Ms(h.ValueAtQuantile(0.99)))},
          {"max_ms", Round(Ms(h.max()))},
          {"mean_ms", Round(h.mean() / 1e6)}};
}

nlohmann::json RunSummary(const LoadRunResult& r) {
  nlohmann::json errors = nlohmann::json::object();
  for (size_t k = 0; k < kErrorKindCount; ++k) {
    errors[std::string(ErrorKindName(static_cast<ErrorKind>(k)))] = r.errors[k];
  }
  return {{"offered_qps", Round(r.offered_qps())},
          {"achieved_qps", Round(r.achieved_qps())},
          {"success_rate", Round(r.success_rate())},
          {"scheduled", r.scheduled},
          {"ok", r.ok},
          {"cache_hits", r.cache_hits},
          {"cache_hit_rate", r.ok == 0 ? 0.0 : Round(static_cast<double>(r.cache_hits) / r.ok)},
          {"unsent", r.unsent},
          {"errors", errors},
          {"latency_ms", LatencyMs(r.latency)},
          {"uncached_latency_ms", LatencyMs(r.latency_uncached)},
          {"send_lag_p99_ms", Round(Ms(r.send_lag.ValueAtQuantile(0.99)))},
          {"connections", r.connections_opened},
          {"aborted", r.aborted}};
}

nlohmann::json RunSeries(const LoadRunResult& r) {
  nlohmann::json timeline = nlohmann::json::array();
  const double width_s = static_cast<double>(r.timeline_bucket.count()) / 1000.0;
  for (size_t i = 0; i < r.timeline.size(); ++i) {
    const TimelineBucket& b = r.timeline[i];
    timeline.push_back({{"t_s", Round(static_cast<double>(i) * width_s)},
                        {"scheduled", b.scheduled},
                        {"ok", b.ok},
                        {"errors", b.errors},
                        {"p50_ms", Round(Ms(b.latency.ValueAtQuantile(0.5)))},
                        {"p99_ms", Round(Ms(b.latency.ValueAtQuantile(0.99)))},
                        {"max_ms", Round(Ms(b.latency.max()))}});
  }
  nlohmann::json curve = nlohmann::json::array();
  if (r.latency.count() > 0) {
    for (double q : kCurveQuantiles) {
      curve.push_back({{"q", q}, {"ms", Round(Ms(r.latency.ValueAtQuantile(q)))}});
    }
  }
  nlohmann::json statuses = nlohmann::json::object();
  for (const auto& [code, n] : r.status_counts) statuses[std::to_string(code)] = n;
  return {{"timeline", timeline}, {"percentile_curve", curve}, {"status_counts", statuses}};
}

nlohmann::json PatternJson(const LoadPattern& p) {
  nlohmann::json j = {{"name", p.name},
                      {"kind", std::string(PatternKindName(p.kind))},
                      {"duration_s", std::chrono::duration<double>(p.duration).count()}};
  if (p.kind == PatternKind::kRampUp) {
    j["start_qps"] = p.start_qps;
    j["end_qps"] = p.end_qps;
  } else {
    j["qps"] = p.qps;
  }
  if (p.kind == PatternKind::kBurst) {
    j["interval_s"] = std::chrono::duration<double>(p.interval).count();
  }
  return j;
}

std::string RunLine(const LoadRunResult& r) {
  char buf[512];
  std::snprintf(
      buf, sizeof(buf),
      "%llu sent, %.1f qps offered, %.1f achieved, ok %.2f%%, latency ms p50 %.3f "
      "p90 %.3f p99 %.3f max %.3f; errors connect %llu timeout %llu http %llu reset "
      "%llu other %llu; %llu conns%s",
      static_cast<unsigned long long>(r.sent), r.offered_qps(), r.achieved_qps(),
      100.0 * r.success_rate(), Ms(r.latency.ValueAtQuantile(0.5)),
      Ms(r.latency.ValueAtQuantile(0.9)), Ms(r.latency.ValueAtQuantile(0.99)), Ms(r.latency.max()),
      static_cast<unsigned long long>(r.errors[0]), static_cast<unsigned long long>(r.errors[1]),
      static_cast<unsigned long long>(r.errors[2]), static_cast<unsigned long long>(r.errors[3]),
      static_cast<unsigned long long>(r.errors[4]),
      static_cast<unsigned long long>(r.connections_opened),
      r.aborted ? " (ABORTED at max run time)" : "");
  return buf;
}

}  // namespace vsr::e2e
