// Report rendering: one comparison, three forms.
//   JSON      machine-readable (reports/report.json)
//   Markdown  the PR-comment body: verdict, metric table (baseline, current, % change,
//             verdict; regressions first), SLOs, loud lists, e2e summary
//   HTML      one self-contained page: the same tables plus inline-SVG charts (baseline vs
//             current per benchmark, latency percentiles) and a CPU flame graph
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "perf/lib/benchmark/compare.h"
#include "perf/lib/benchmark/results.h"

namespace vsr::perf {

struct E2eRow {
  std::string metric;  // flattened path in e2e.json
  bool has_baseline = false;
  double baseline = 0;
  double current = 0;
};

// A named line for the end-to-end charts (x, y pairs).
struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;
};

// From vsr-e2e-results: the latency percentile curve of each run (x = percentile q in
// [0, 1), y = ms) and the router's RSS over time (x = s, y = MB).
struct E2eCharts {
  std::vector<Series> percentile_curves;
  std::vector<Series> resource;
};
E2eCharts E2eChartData(const nlohmann::json& e2e);

struct ReportInput {
  const ResultSet* current = nullptr;
  const Comparison* comparison = nullptr;
  std::vector<E2eRow> e2e;  // empty when reports/e2e.json is absent
  std::string e2e_source;
  E2eCharts e2e_charts;
  std::string flamegraph_svg;     // empty when no profile could be folded
  std::string flamegraph_source;  // e.g. the binary the profile came from
};

// Flattens the numeric leaves of e2e.json ("scenario.latency_ms.p95": 12.5, ...) and pairs
// them with the baseline's.
std::vector<E2eRow> E2eRows(const nlohmann::json& current, const nlohmann::json* baseline);

nlohmann::json RenderJson(const ReportInput& in);
std::string RenderMarkdown(const ReportInput& in);
std::string RenderHtml(const ReportInput& in);

// Renders folded stacks ("a;b;c 42" per line, as `google-pprof --collapsed` prints) as a
// flame graph SVG. Returns "" for empty input.
std::string RenderFlameGraph(const std::string& folded, const std::string& title);

// Number formatting shared by the renderers ("12.3k", "4.56M").
std::string FormatNumber(double v);
std::string FormatMetric(const std::string& metric, double v);
std::string MetricLabel(const std::string& metric);

}  // namespace vsr::perf
