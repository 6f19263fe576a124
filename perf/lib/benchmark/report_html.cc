#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "perf/lib/benchmark/report.h"

namespace vsr::perf {

namespace {

std::string Esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

const char* VerdictClass(const MetricComparison& m) {
  if (m.blocking) return "bad";
  switch (m.verdict) {
    case Verdict::kImproved:
      return "good";
    case Verdict::kWarning:
    case Verdict::kMissing:
      return "warn";
    case Verdict::kNew:
    case Verdict::kNotComparable:
      return "info";
    default:
      return "ok";
  }
}

// Baseline vs current, one row per benchmark, each row scaled to its larger value.
std::string PairChart(const Comparison& c, const std::string& metric) {
  struct Row {
    std::string name;
    double base, cur;
    bool bad;
  };
  std::vector<Row> rows;
  for (const BenchmarkComparison& b : c.benchmarks) {
    for (const MetricComparison& m : b.metrics) {
      if (m.metric == metric && m.has_baseline && m.has_current) {
        rows.push_back({b.name, m.baseline, m.current,
                        m.verdict == Verdict::kRegression || m.verdict == Verdict::kWarning});
      }
    }
  }
  if (rows.empty()) return "";
  const int label_w = 330, bar_w = 420, row_h = 30, width = label_w + bar_w + 170;
  int height = static_cast<int>(rows.size()) * row_h + 30;
  std::ostringstream s;
  s << "<h3>" << Esc(MetricLabel(metric)) << ": baseline vs current</h3>\n";
  s << "<svg class=\"chart\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
    << width << " " << height
    << "\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"12\">\n";
  s << "<rect x=\"" << label_w
    << "\" y=\"4\" width=\"12\" height=\"10\" fill=\"#9aa5b1\"/><text x=\"" << label_w + 16
    << "\" y=\"13\">baseline</text><rect x=\"" << label_w + 90
    << "\" y=\"4\" width=\"12\" height=\"10\" fill=\"#2f6fde\"/><text x=\"" << label_w + 106
    << "\" y=\"13\">current</text>\n";
  int y = 24;
  for (const Row& r : rows) {
    double mx = std::max({r.base, r.cur, 1e-12});
    double wb = bar_w * r.base / mx, wc = bar_w * r.cur / mx;
    std::string name = r.name.size() > 48 ? r.name.substr(0, 45) + "..." : r.name;
    s << "<text x=\"" << label_w - 8 << "\" y=\"" << y + 17 << "\" text-anchor=\"end\"><title>"
      << Esc(r.name) << "</title>" << Esc(name) << "</text>\n";
    s << "<rect x=\"" << label_w << "\" y=\"" << y + 3 << "\" width=\"" << Fmt("%.1f", wb)
      << "\" height=\"11\" fill=\"#9aa5b1\"><title>baseline " << Esc(FormatMetric(metric, r.base))
      << "</title></rect>\n";
    s << "<rect x=\"" << label_w << "\" y=\"" << y + 15 << "\" width=\"" << Fmt("%.1f", wc)
      << "\" height=\"11\" fill=\"" << (r.bad ? "#d64545" : "#2f6fde") << "\"><title>current "
      << Esc(FormatMetric(metric, r.cur)) << "</title></rect>\n";
    double pct = r.base != 0 ? (r.cur - r.base) / r.base * 100 : 0;
    s << "<text x=\"" << label_w + bar_w + 8 << "\" y=\"" << y + 19 << "\">"
      << Esc(FormatMetric(metric, r.cur)) << " (" << Fmt("%+.1f%%", pct) << ")</text>\n";
    y += row_h;
  }
  s << "</svg>\n";
  return s.str();
}

// Latency percentiles on a log axis: one line per benchmark with p50/p90/p95/p99/max marks.
std::string LatencyChart(const Comparison& c) {
  static const char* kKeys[] = {"p50_us", "p90_us", "p95_us", "p99_us", "max_us"};
  static const char* kColors[] = {"#2f6fde", "#20a39e", "#f0a202", "#d64545", "#6b2d5c"};
  std::vector<const BenchmarkComparison*> rows;
  double lo = 1e300, hi = 0;
  for (const BenchmarkComparison& b : c.benchmarks) {
    if (!b.counters.count("p50_us") || !b.counters.count("max_us")) continue;
    rows.push_back(&b);
    for (const char* k : kKeys) {
      if (b.counters.count(k) && b.counters.at(k) > 0) {
        lo = std::min(lo, b.counters.at(k));
        hi = std::max(hi, b.counters.at(k));
      }
    }
  }
  if (rows.empty() || hi <= 0) return "";
  double l0 = std::floor(std::log10(lo)), l1 = std::ceil(std::log10(hi));
  if (l1 <= l0) l1 = l0 + 1;
  const int label_w = 330, axis_w = 520, row_h = 24, width = label_w + axis_w + 40;
  int height = static_cast<int>(rows.size()) * row_h + 60;
  auto x_of = [&](double v) {
    return label_w + axis_w * (std::log10(std::max(v, lo)) - l0) / (l1 - l0);
  };
  std::ostringstream s;
  s << "<h3>Latency percentiles (current run, log scale, microseconds)</h3>\n";
  s << "<svg class=\"chart\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
    << width << " " << height
    << "\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"12\">\n";
  for (int i = 0; i < 5; ++i) {
    s << "<circle cx=\"" << label_w + i * 80 + 6 << "\" cy=\"10\" r=\"5\" fill=\"" << kColors[i]
      << "\"/><text x=\"" << label_w + i * 80 + 14 << "\" y=\"14\">"
      << std::string(kKeys[i]).substr(0, 3) << "</text>\n";
  }
  int y = 28;
  for (const BenchmarkComparison* b : rows) {
    std::string name = b->name.size() > 48 ? b->name.substr(0, 45) + "..." : b->name;
    s << "<text x=\"" << label_w - 8 << "\" y=\"" << y + 14 << "\" text-anchor=\"end\"><title>"
      << Esc(b->name) << "</title>" << Esc(name) << "</text>\n";
    double p50 = b->counters.at("p50_us"), mx = b->counters.at("max_us");
    s << "<line x1=\"" << Fmt("%.1f", x_of(p50)) << "\" x2=\"" << Fmt("%.1f", x_of(mx))
      << "\" y1=\"" << y + 10 << "\" y2=\"" << y + 10
      << "\" stroke=\"#bbb\" stroke-width=\"2\"/>\n";
    for (int i = 0; i < 5; ++i) {
      if (!b->counters.count(kKeys[i])) continue;
      double v = b->counters.at(kKeys[i]);
      s << "<circle cx=\"" << Fmt("%.1f", x_of(v)) << "\" cy=\"" << y + 10 << "\" r=\"5\" fill=\""
        << kColors[i] << "\"><title>" << kKeys[i] << " = " << Esc(FormatNumber(v))
        << " us</title></circle>\n";
    }
    y += row_h;
  }
  for (double e = l0; e <= l1; e += 1) {
    double x = label_w + axis_w * (e - l0) / (l1 - l0);
    s << "<line x1=\"" << Fmt("%.1f", x) << "\" x2=\"" << Fmt("%.1f", x) << "\" y1=\"22\" y2=\""
      << y << "\" stroke=\"#eee\"/><text x=\"" << Fmt("%.1f", x) << "\" y=\"" << y + 16
      << "\" text-anchor=\"middle\">" << Esc(FormatNumber(std::pow(10.0, e))) << "</text>\n";
  }
  s << "</svg>\n";
  return s.str();
}

// Line chart; `x_of` maps data x to [0, 1] (percentile curves use -log10(1 - q)).
std::string LineChart(const std::string& title, const std::vector<Series>& series,
                      bool percentile_x, const std::string& y_unit) {
  if (series.empty()) return "";
  static const char* kColors[] = {"#2f6fde", "#d64545", "#20a39e", "#f0a202", "#6b2d5c", "#3c9d5d"};
  auto xv = [&](double x) {
    return percentile_x ? -std::log10(std::max(1e-6, 1.0 - std::min(x, 0.999999))) : x;
  };
  double x0 = 1e300, x1 = -1e300, y1 = 0;
  for (const Series& s : series) {
    for (const auto& [x, y] : s.points) {
      x0 = std::min(x0, xv(x));
      x1 = std::max(x1, xv(x));
      y1 = std::max(y1, y);
    }
  }
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= 0) y1 = 1;
  const int left = 60, top = 30, w = 760, h = 260, width = left + w + 260, height = top + h + 40;
  std::ostringstream o;
  o << "<h3>" << Esc(title) << "</h3>\n<svg class=\"chart\" width=\"" << width << "\" height=\""
    << height << "\" viewBox=\"0 0 " << width << " " << height
    << "\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"12\">\n";
  o << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << w << "\" height=\"" << h
    << "\" fill=\"none\" stroke=\"#ccc\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    double y = top + h - h * i / 4.0;
    o << "<text x=\"" << left - 6 << "\" y=\"" << Fmt("%.1f", y + 4) << "\" text-anchor=\"end\">"
      << Esc(FormatNumber(y1 * i / 4.0)) << "</text>\n";
  }
  o << "<text x=\"" << left << "\" y=\"" << top - 10 << "\">" << Esc(y_unit) << "</text>\n";
  if (percentile_x) {
    for (double q : {0.5, 0.9, 0.99, 0.999}) {
      if (xv(q) < x0 || xv(q) > x1) continue;
      double x = left + w * (xv(q) - x0) / (x1 - x0);
      o << "<text x=\"" << Fmt("%.1f", x) << "\" y=\"" << top + h + 16
        << "\" text-anchor=\"middle\">p" << Esc(FormatNumber(q * 100)) << "</text>\n";
    }
  } else {
    o << "<text x=\"" << left << "\" y=\"" << top + h + 16 << "\">" << Esc(FormatNumber(x0))
      << " s</text><text x=\"" << left + w << "\" y=\"" << top + h + 16 << "\" text-anchor=\"end\">"
      << Esc(FormatNumber(x1)) << " s</text>\n";
  }
  for (size_t i = 0; i < series.size(); ++i) {
    const char* color = kColors[i % 6];
    o << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"";
    for (const auto& [x, y] : series[i].points) {
      o << Fmt("%.1f", left + w * (xv(x) - x0) / (x1 - x0)) << ","
        << Fmt("%.1f", top + h - h * y / y1) << " ";
    }
    o << "\"><title>" << Esc(series[i].name) << "</title></polyline>\n";
    o << "<rect x=\"" << left + w + 12 << "\" y=\"" << top + 14 * i
      << "\" width=\"10\" height=\"10\" fill=\"" << color << "\"/><text x=\"" << left + w + 26
      << "\" y=\"" << top + 14 * i + 9 << "\">" << Esc(series[i].name.substr(0, 34)) << "</text>\n";
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace

std::string RenderHtml(const ReportInput& in) {
  const Comparison& c = *in.comparison;
  const RunContext& ctx = in.current->context;
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
       "<title>vsr performance report</title>\n<style>\n"
       "body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em "
       "auto;max-width:1200px;color:#222;padding:0 1em}\n"
       "h1{margin-bottom:.2em} .ctx{color:#555} table{border-collapse:collapse;margin:1em "
       "0;font-size:14px}\n"
       "th,td{border:1px solid #ddd;padding:4px 8px} th{background:#f4f6f8;text-align:left} "
       "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
       ".bad{background:#fde2e2} .warn{background:#fff4d6} .good{background:#e3f6e8} "
       ".info{background:#eef3fb}\n"
       ".banner{padding:.8em 1em;border-radius:6px;font-size:1.2em;margin:1em 0} "
       ".banner.bad{border:1px solid #d64545} .banner.ok{background:#e3f6e8;border:1px solid "
       "#3c9d5d}\n"
       ".loud{border-left:4px solid #f0a202;background:#fff8e6;padding:.5em 1em;margin:.5em 0}\n"
       "svg.chart{display:block;margin:.5em 0 1.5em 0;max-width:100%;height:auto} "
       "code{font-size:13px}\n"
       "</style></head><body>\n";
  h << "<h1>Performance report</h1>\n<p class=\"ctx\">" << Esc(ctx.machine.cpu_model) << " ("
    << Esc(ctx.machine.isa) << ", " << ctx.machine.num_cpus << " CPUs) &middot; "
    << Esc(ctx.compiler) << " &middot; " << Esc(ctx.build_type) << " &middot; git <code>"
    << Esc(ctx.git_commit.substr(0, 12)) << "</code>" << (ctx.git_dirty ? " (dirty)" : "")
    << " &middot; suite " << Esc(ctx.suite) << " &times;" << ctx.repetitions << " &middot; "
    << Esc(ctx.date) << "</p>\n";
  h << "<div class=\"banner " << (c.blocking ? "bad" : "ok") << "\">"
    << (c.blocking ? "&#10060; Blocking regression" : "&#9989; No blocking regression") << ": "
    << c.regressions << " regression(s), " << c.warnings << " advisory warning(s), "
    << c.improvements << " improvement(s)</div>\n";
  if (!c.new_benchmarks.empty()) {
    h << "<div class=\"loud\"><b>Without a baseline (not gated):</b> ";
    for (size_t i = 0; i < c.new_benchmarks.size(); ++i)
      h << (i ? ", " : "") << "<code>" << Esc(c.new_benchmarks[i]) << "</code>";
    h << "</div>\n";
  }
  if (!c.missing_benchmarks.empty()) {
    h << "<div class=\"loud\"><b>In a baseline but not run:</b> ";
    for (size_t i = 0; i < c.missing_benchmarks.size(); ++i)
      h << (i ? ", " : "") << "<code>" << Esc(c.missing_benchmarks[i]) << "</code>";
    h << "</div>\n";
  }
  for (const std::string& m : c.messages) h << "<div class=\"loud\">" << Esc(m) << "</div>\n";

  h << "<h2>Component "
       "benchmarks</h2>\n<table><tr><th>Benchmark</th><th>Metric</th><th>Baseline</th><th>Current</"
       "th>"
       "<th>Change</th><th>Verdict</th></tr>\n";
  for (const BenchmarkComparison& b : c.benchmarks) {
    for (const MetricComparison& m : b.metrics) {
      h << "<tr class=\"" << VerdictClass(m) << "\"><td><code>" << Esc(b.name) << "</code></td><td>"
        << Esc(MetricLabel(m.metric)) << "</td><td class=\"n\">"
        << (m.has_baseline ? Esc(FormatMetric(m.metric, m.baseline)) : "")
        << "</td><td class=\"n\">" << (m.has_current ? Esc(FormatMetric(m.metric, m.current)) : "")
        << "</td><td class=\"n\">"
        << (m.has_baseline && m.has_current ? Fmt("%+.2f%%", m.change_percent) : "") << "</td><td>"
        << Esc(VerdictName(m.verdict)) << (m.p_value >= 0 ? Fmt(" (p=%.3f)", m.p_value) : "")
        << (m.note.empty() ? "" : ": " + Esc(m.note)) << "</td></tr>\n";
    }
  }
  h << "</table>\n";

  h << "<h2>Charts</h2>\n";
  h << PairChart(c, kInstructionsPerOp) << PairChart(c, kRealTimeNs) << PairChart(c, kAllocsPerOp);
  h << LatencyChart(c);

  if (!c.slos.empty()) {
    h << "<h2>SLOs</h2>\n<table><tr><th>SLO</th><th>Benchmark</th><th>Value</th><th>Limit</"
         "th><th>Status</th></tr>\n";
    for (const SloCheck& s : c.slos) {
      h << "<tr class=\""
        << (!s.measured  ? "info"
            : s.ok       ? "ok"
            : s.blocking ? "bad"
                         : "warn")
        << "\"><td>" << Esc(s.name) << "</td><td><code>" << Esc(s.benchmark)
        << "</code></td><td class=\"n\">"
        << (s.measured ? Esc(FormatNumber(s.value) + " " + s.unit) : "n/a")
        << "</td><td class=\"n\">" << (s.is_max ? "&lt; " : "&gt; ")
        << Esc(FormatNumber(s.limit) + " " + s.unit) << "</td><td>"
        << (!s.measured  ? Esc(s.note)
            : s.ok       ? "ok"
            : s.blocking ? "violated"
                         : "violated (advisory)")
        << "</td></tr>\n";
    }
    h << "</table>\n";
  }

  h << "<h2>Runtime metrics (current run)</h2>\n<table><tr><th>Benchmark</th><th>p50 "
       "us</th><th>p95 us</th><th>p99 us</th>"
       "<th>max us</th><th>qps</th><th>peak RSS MB</th><th>threads</th><th>peak heap "
       "bytes</th></tr>\n";
  for (const BenchmarkComparison& b : c.benchmarks) {
    if (b.counters.empty()) continue;
    auto v = [&](const char* k) {
      return b.counters.count(k) ? Esc(FormatNumber(b.counters.at(k))) : std::string();
    };
    h << "<tr><td><code>" << Esc(b.name) << "</code></td><td class=\"n\">" << v("p50_us")
      << "</td><td class=\"n\">" << v("p95_us") << "</td><td class=\"n\">" << v("p99_us")
      << "</td><td class=\"n\">" << v("max_us") << "</td><td class=\"n\">" << v("qps")
      << "</td><td class=\"n\">" << v("peak_rss_mb") << "</td><td class=\"n\">" << v("os_threads")
      << "</td><td class=\"n\">" << v("peak_heap_bytes") << "</td></tr>\n";
  }
  h << "</table>\n";

  if (!in.e2e.empty()) {
    h << "<h2>End-to-end (" << Esc(in.e2e_source)
      << ", advisory)</h2>\n<table><tr><th>Metric</th><th>Baseline</th>"
         "<th>Current</th><th>Change</th></tr>\n";
    for (const E2eRow& r : in.e2e) {
      h << "<tr><td>" << Esc(r.metric) << "</td><td class=\"n\">"
        << (r.has_baseline ? Esc(FormatNumber(r.baseline)) : "") << "</td><td class=\"n\">"
        << Esc(FormatNumber(r.current)) << "</td><td class=\"n\">"
        << (r.has_baseline && r.baseline != 0
                ? Fmt("%+.2f%%", (r.current - r.baseline) / r.baseline * 100)
                : "")
        << "</td></tr>\n";
    }
    h << "</table>\n";
    h << LineChart("End-to-end latency percentile curves", in.e2e_charts.percentile_curves, true,
                   "ms");
    h << LineChart("Router memory over time", in.e2e_charts.resource, false, "MB");
  }

  h << "<h2>CPU flame graph</h2>\n";
  if (in.flamegraph_svg.empty()) {
    h << "<p>No CPU profile was available (run <code>make perf-bench</code> to record "
         "reports/cpu.prof).</p>\n";
  } else {
    h << "<p class=\"ctx\">" << Esc(in.flamegraph_source)
      << "; width = share of CPU samples; hover for names.</p>\n"
      << in.flamegraph_svg;
  }
  h << "</body></html>\n";
  return h.str();
}

}  // namespace vsr::perf
