#include <cstdio>
#include <sstream>

#include "perf/lib/benchmark/report.h"

namespace vsr::perf {

namespace {

std::string Change(const MetricComparison& m) {
  if (!m.has_baseline || !m.has_current) return "";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%+.2f%%", m.change_percent);
  return buf;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\";
    out += c;
  }
  return out;
}

const char* Icon(Verdict v, bool blocking) {
  if (blocking) return ":x:";
  switch (v) {
    case Verdict::kImproved:
      return ":rocket:";
    case Verdict::kWarning:
      return ":warning:";
    case Verdict::kNew:
      return ":new:";
    case Verdict::kNotComparable:
      return ":grey_question:";
    case Verdict::kMissing:
      return ":warning:";
    default:
      return ":white_check_mark:";
  }
}

}  // namespace

std::string RenderMarkdown(const ReportInput& in) {
  const Comparison& c = *in.comparison;
  const RunContext& ctx = in.current->context;
  std::ostringstream md;
  md << "<!-- vsr-perf-report -->\n";
  md << "## Performance report: "
     << (c.blocking ? ":x: blocking regression" : ":white_check_mark: no blocking regression")
     << "\n\n";
  md << c.regressions << " blocking regression(s), " << c.warnings << " advisory warning(s), "
     << c.improvements << " improvement(s), " << c.new_benchmarks.size()
     << " benchmark(s) without baseline, " << c.missing_benchmarks.size()
     << " baseline benchmark(s) not run.\n\n";
  md << "Measured on " << ctx.machine.cpu_model << " (" << ctx.machine.isa << ", "
     << ctx.machine.num_cpus << " CPUs), " << ctx.compiler << ", " << ctx.build_type << " ("
     << ctx.build_flags << "), git " << ctx.git_commit.substr(0, 12)
     << (ctx.git_dirty ? " (dirty)" : "") << ", suite " << ctx.suite << " x" << ctx.repetitions
     << ".\n\n";

  if (!c.new_benchmarks.empty()) {
    md << "> **Benchmarks without a baseline (not gated; run `make perf-baseline-update`):** ";
    for (size_t i = 0; i < c.new_benchmarks.size(); ++i)
      md << (i ? ", " : "") << "`" << c.new_benchmarks[i] << "`";
    md << "\n\n";
  }
  if (!c.missing_benchmarks.empty()) {
    md << "> **In a baseline but not run (removed or renamed?):** ";
    for (size_t i = 0; i < c.missing_benchmarks.size(); ++i)
      md << (i ? ", " : "") << "`" << c.missing_benchmarks[i] << "`";
    md << "\n\n";
  }
  for (const std::string& m : c.messages) md << "> " << Escape(m) << "\n>\n";
  if (!c.messages.empty()) md << "\n";

  md << "### Component benchmarks\n\n";
  md << "| Benchmark | Metric | Baseline | Current | Change | Verdict |\n";
  md << "|---|---|---:|---:|---:|---|\n";
  for (const BenchmarkComparison& b : c.benchmarks) {
    for (const MetricComparison& m : b.metrics) {
      md << "| `" << Escape(b.name) << "` | " << MetricLabel(m.metric) << " | "
         << (m.has_baseline ? FormatMetric(m.metric, m.baseline) : "") << " | "
         << (m.has_current ? FormatMetric(m.metric, m.current) : "") << " | " << Change(m) << " | "
         << Icon(m.verdict, m.blocking) << " " << VerdictName(m.verdict);
      if (m.p_value >= 0) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), " (p=%.3f)", m.p_value);
        md << buf;
      }
      if (!m.note.empty()) md << ": " << Escape(m.note);
      md << " |\n";
    }
  }
  md << "\n";

  if (!c.slos.empty()) {
    md << "### SLOs (perf/config/thresholds.yaml)\n\n";
    md << "| SLO | Benchmark | Value | Limit | Status |\n|---|---|---:|---:|---|\n";
    for (const SloCheck& s : c.slos) {
      md << "| " << Escape(s.name) << " | `" << Escape(s.benchmark) << "` | "
         << (s.measured ? FormatNumber(s.value) + " " + s.unit : "n/a") << " | "
         << (s.is_max ? "< " : "> ") << FormatNumber(s.limit) << " " << s.unit << " | "
         << (!s.measured  ? ":grey_question: " + s.note
             : s.ok       ? ":white_check_mark: ok"
             : s.blocking ? ":x: violated"
                          : ":warning: violated (advisory)")
         << " |\n";
    }
    md << "\n";
  }

  // Latency percentiles of every benchmark that reports them.
  bool any_latency = false;
  for (const BenchmarkComparison& b : c.benchmarks)
    any_latency = any_latency || b.counters.count("p95_us");
  if (any_latency) {
    md << "### Latency percentiles (current run, microseconds)\n\n";
    md << "| Benchmark | p50 | p90 | p95 | p99 | max | qps "
          "|\n|---|---:|---:|---:|---:|---:|---:|\n";
    for (const BenchmarkComparison& b : c.benchmarks) {
      if (!b.counters.count("p95_us")) continue;
      auto v = [&](const char* k) {
        return b.counters.count(k) ? FormatNumber(b.counters.at(k)) : "";
      };
      md << "| `" << Escape(b.name) << "` | " << v("p50_us") << " | " << v("p90_us") << " | "
         << v("p95_us") << " | " << v("p99_us") << " | " << v("max_us") << " | " << v("qps")
         << " |\n";
    }
    md << "\n";
  }

  if (!in.e2e.empty()) {
    md << "### End-to-end (" << in.e2e_source << ", advisory)\n\n";
    md << "| Metric | Baseline | Current | Change |\n|---|---:|---:|---:|\n";
    for (const E2eRow& r : in.e2e) {
      md << "| " << Escape(r.metric) << " | " << (r.has_baseline ? FormatNumber(r.baseline) : "")
         << " | " << FormatNumber(r.current) << " | ";
      if (r.has_baseline && r.baseline != 0) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%+.2f%%", (r.current - r.baseline) / r.baseline * 100);
        md << buf;
      }
      md << " |\n";
    }
    md << "\n";
  }
  md << "Deterministic metrics (allocs/op, bytes/op, instructions/op under callgrind) block; wall "
        "time is "
        "advisory (Mann-Whitney U) unless a family sets `block_on_time`. See perf/README.md.\n";
  return md.str();
}

}  // namespace vsr::perf
