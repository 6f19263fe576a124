#include "perf/lib/benchmark/report.h"

#include <cmath>
#include <cstdio>

namespace vsr::perf {

using nlohmann::json;

std::string FormatNumber(double v) {
  char buf[64];
  double a = std::fabs(v);
  if (a >= 1e9) {
    std::snprintf(buf, sizeof(buf), "%.3gG", v / 1e9);
  } else if (a >= 1e6) {
    std::snprintf(buf, sizeof(buf), "%.3gM", v / 1e6);
  } else if (a >= 1e4) {
    std::snprintf(buf, sizeof(buf), "%.3gk", v / 1e3);
  } else if (a >= 100 || v == std::floor(v)) {
    std::snprintf(buf, sizeof(buf), "%.0f", v);
  } else {
    std::snprintf(buf, sizeof(buf), "%.3g", v);
  }
  return buf;
}

std::string MetricLabel(const std::string& m) {
  if (m == kAllocsPerOp) return "allocs/op";
  if (m == kBytesPerOp) return "bytes/op";
  if (m == kInstructionsPerOp) return "instructions/op";
  if (m == kRealTimeNs) return "time/op";
  if (m == kCpuTimeNs) return "cpu/op";
  return m;
}

std::string FormatMetric(const std::string& m, double v) {
  char buf[64];
  if (m == kRealTimeNs || m == kCpuTimeNs) {
    if (v >= 1e9) {
      std::snprintf(buf, sizeof(buf), "%.3g s", v / 1e9);
    } else if (v >= 1e6) {
      std::snprintf(buf, sizeof(buf), "%.3g ms", v / 1e6);
    } else if (v >= 1e3) {
      std::snprintf(buf, sizeof(buf), "%.3g us", v / 1e3);
    } else {
      std::snprintf(buf, sizeof(buf), "%.3g ns", v);
    }
    return buf;
  }
  if (m == kAllocsPerOp) {
    std::snprintf(buf, sizeof(buf), "%.2f", v);
    return buf;
  }
  return FormatNumber(v);
}

namespace {

void Flatten(const json& j, const std::string& prefix,
             std::vector<std::pair<std::string, double>>* out) {
  if (j.is_number()) {
    out->push_back({prefix, j.get<double>()});
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) Flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      std::string key = std::to_string(i);
      if (j[i].is_object() && j[i].contains("name") && j[i]["name"].is_string()) {
        key = j[i]["name"].get<std::string>();
      }
      Flatten(j[i], prefix.empty() ? key : prefix + "." + key, out);
    }
  }
}

}  // namespace

std::vector<E2eRow> E2eRows(const json& current, const json* baseline) {
  // vsr-e2e-results keeps the numbers to compare under "summary"; other documents are
  // flattened whole.
  auto numbers = [](const json& doc) {
    return doc.is_object() && doc.contains("summary") ? doc["summary"] : doc;
  };
  std::vector<std::pair<std::string, double>> cur, base;
  Flatten(numbers(current), "", &cur);
  if (baseline) Flatten(numbers(*baseline), "", &base);
  std::vector<E2eRow> rows;
  for (const auto& [k, v] : cur) {
    if (k.find("schema") != std::string::npos || k.find("version") != std::string::npos) continue;
    E2eRow r;
    r.metric = k;
    r.current = v;
    for (const auto& [bk, bv] : base) {
      if (bk == k) {
        r.has_baseline = true;
        r.baseline = bv;
      }
    }
    rows.push_back(r);
  }
  return rows;
}

E2eCharts E2eChartData(const json& e2e) {
  E2eCharts c;
  if (!e2e.is_object()) return c;
  try {
    if (e2e.contains("runs") && e2e["runs"].is_array()) {
      for (const json& run : e2e["runs"]) {
        if (!run.is_object() || !run.contains("series")) continue;
        const json& curve = run["series"].value("percentile_curve", json::array());
        Series s;
        s.name = run.value("name", "run");
        for (const json& p : curve) {
          if (p.contains("q") && p.contains("ms") && p["q"].is_number() && p["ms"].is_number()) {
            s.points.push_back({p["q"].get<double>(), p["ms"].get<double>()});
          }
        }
        if (!s.points.empty()) c.percentile_curves.push_back(std::move(s));
      }
    }
    if (e2e.contains("resource_samples") && e2e["resource_samples"].is_array()) {
      Series rss{"router RSS (MB)", {}};
      for (const json& p : e2e["resource_samples"]) {
        if (p.contains("t_s") && p.contains("rss_mb") && p["t_s"].is_number() &&
            p["rss_mb"].is_number()) {
          rss.points.push_back({p["t_s"].get<double>(), p["rss_mb"].get<double>()});
        }
      }
      if (!rss.points.empty()) c.resource.push_back(std::move(rss));
    }
  } catch (const json::exception&) {
    // A chart is a convenience: a document of another shape simply has none.
  }
  return c;
}

json RenderJson(const ReportInput& in) {
  const Comparison& c = *in.comparison;
  json benches = json::array();
  for (const BenchmarkComparison& b : c.benchmarks) {
    json metrics = json::array();
    for (const MetricComparison& m : b.metrics) {
      json jm = {
          {"metric", m.metric}, {"verdict", VerdictName(m.verdict)}, {"blocking", m.blocking}};
      if (m.has_baseline) jm["baseline"] = m.baseline;
      if (m.has_current) jm["current"] = m.current;
      if (m.has_baseline && m.has_current) jm["change_percent"] = m.change_percent;
      if (m.p_value >= 0) jm["p_value"] = m.p_value;
      if (!m.note.empty()) jm["note"] = m.note;
      metrics.push_back(jm);
    }
    benches.push_back({{"name", b.name},
                       {"family", b.family},
                       {"threshold_rule", b.rule},
                       {"verdict", VerdictName(b.verdict)},
                       {"blocking", b.blocking},
                       {"metrics", metrics},
                       {"counters", b.counters}});
  }
  json slos = json::array();
  for (const SloCheck& s : c.slos) {
    json js = {{"name", s.name},   {"benchmark", s.benchmark},         {"counter", s.counter},
               {"limit", s.limit}, {"kind", s.is_max ? "max" : "min"}, {"measured", s.measured},
               {"ok", s.ok}};
    if (s.measured) js["value"] = s.value;
    if (!s.note.empty()) js["note"] = s.note;
    slos.push_back(js);
  }
  json e2e = nullptr;
  if (!in.e2e.empty()) {
    e2e = json::array();
    for (const E2eRow& r : in.e2e) {
      json jr = {{"metric", r.metric}, {"current", r.current}};
      if (r.has_baseline) jr["baseline"] = r.baseline;
      e2e.push_back(jr);
    }
  }
  return {{"schema_version", 1},
          {"kind", "vsr-perf-report"},
          {"context", ToJson(*in.current)["context"]},
          {"summary",
           {{"blocking", c.blocking},
            {"regressions", c.regressions},
            {"advisory_warnings", c.warnings},
            {"improvements", c.improvements},
            {"new_benchmarks", c.new_benchmarks},
            {"missing_benchmarks", c.missing_benchmarks},
            {"messages", c.messages}}},
          {"benchmarks", benches},
          {"slos", slos},
          {"e2e", e2e}};
}

}  // namespace vsr::perf
