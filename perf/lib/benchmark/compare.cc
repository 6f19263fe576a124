#include "perf/lib/benchmark/compare.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "perf/lib/benchmark/mann_whitney.h"

namespace vsr::perf {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kOk:
      return "ok";
    case Verdict::kImproved:
      return "improved";
    case Verdict::kRegression:
      return "REGRESSION";
    case Verdict::kWarning:
      return "slower (advisory)";
    case Verdict::kNotComparable:
      return "not comparable";
    case Verdict::kNew:
      return "NEW (no baseline)";
    case Verdict::kMissing:
      return "MISSING (in baseline, not run)";
    case Verdict::kError:
      return "ERROR";
  }
  return "?";
}

namespace {

// Higher is worse.
int Severity(Verdict v) {
  switch (v) {
    case Verdict::kError:
      return 7;
    case Verdict::kRegression:
      return 6;
    case Verdict::kMissing:
      return 5;
    case Verdict::kWarning:
      return 4;
    case Verdict::kNew:
      return 3;
    case Verdict::kNotComparable:
      return 2;
    case Verdict::kImproved:
      return 1;
    case Verdict::kOk:
      return 0;
  }
  return 0;
}

double ChangePercent(double base, double cur) {
  if (base == 0) return cur == 0 ? 0 : 100.0;
  return (cur - base) / std::fabs(base) * 100.0;
}

bool Has(const BenchmarkResult& b, const char* m) { return b.metrics.count(m) > 0; }

MetricComparison Deterministic(const char* metric, const BenchmarkResult& base,
                               const BenchmarkResult& cur) {
  MetricComparison mc;
  mc.metric = metric;
  mc.has_baseline = Has(base, metric);
  mc.has_current = Has(cur, metric);
  if (mc.has_baseline) mc.baseline = base.metrics.at(metric);
  if (mc.has_current) mc.current = cur.metrics.at(metric);
  mc.change_percent = ChangePercent(mc.baseline, mc.current);
  return mc;
}

void Judge(MetricComparison* mc, bool over, bool under, bool blocking_metric) {
  if (over) {
    mc->verdict = blocking_metric ? Verdict::kRegression : Verdict::kWarning;
    mc->blocking = blocking_metric;
  } else if (under) {
    mc->verdict = Verdict::kImproved;
  }
}

}  // namespace

Comparison Compare(const ResultSet& current, const std::map<std::string, ResultSet>& baselines,
                   const Thresholds& th) {
  Comparison out;
  std::set<std::string> families_run;
  for (const BenchmarkResult& b : current.benchmarks) families_run.insert(b.family);
  for (const std::string& note : current.notes) out.messages.push_back(note);

  for (const BenchmarkResult& cur : current.benchmarks) {
    BenchmarkComparison bc;
    bc.name = cur.name;
    bc.family = cur.family;
    bc.counters = cur.counters;
    const Limits& lim = th.For(cur.name, &bc.rule);
    const ResultSet* base_set = nullptr;
    if (auto it = baselines.find(cur.family); it != baselines.end()) base_set = &it->second;
    const BenchmarkResult* base = base_set ? base_set->Find(cur.name) : nullptr;

    if (!cur.error.empty()) {
      MetricComparison mc;
      mc.metric = "run";
      mc.verdict = Verdict::kError;
      mc.blocking = true;
      mc.note = cur.error;
      bc.metrics.push_back(mc);
    } else if (base == nullptr) {
      MetricComparison mc;
      mc.metric = "baseline";
      mc.verdict = Verdict::kNew;
      mc.blocking = th.missing_baseline == MissingPolicy::kFail;
      mc.note = base_set ? "no entry in perf/testdata/baselines/" + cur.family + ".json"
                         : "no baseline file perf/testdata/baselines/" + cur.family + ".json";
      bc.metrics.push_back(mc);
      out.new_benchmarks.push_back(cur.name);
      for (const auto& [k, v] : cur.metrics) {
        MetricComparison m;
        m.metric = k;
        m.has_current = true;
        m.current = v;
        m.verdict = Verdict::kNew;
        bc.metrics.push_back(m);
      }
    } else {
      bc.baseline_counters = base->counters;
      // allocations/op: exact, absolute limit.
      MetricComparison a = Deterministic(kAllocsPerOp, *base, cur);
      a.limit_percent = lim.max_allocs_increase;
      if (a.has_baseline && a.has_current) {
        Judge(&a, a.current - a.baseline > lim.max_allocs_increase,
              a.baseline - a.current > lim.max_allocs_increase, true);
        if (a.verdict == Verdict::kRegression) {
          char buf[160];
          std::snprintf(buf, sizeof(buf), "%+.2f allocations per op (limit +%.2f)",
                        a.current - a.baseline, lim.max_allocs_increase);
          a.note = buf;
        }
        bc.metrics.push_back(a);
      }
      // bytes/op: percent limit with an absolute floor.
      MetricComparison by = Deterministic(kBytesPerOp, *base, cur);
      by.limit_percent = lim.max_bytes_increase_percent;
      if (by.has_baseline && by.has_current) {
        double allowed = std::max(lim.max_bytes_increase_abs,
                                  std::fabs(by.baseline) * lim.max_bytes_increase_percent / 100.0);
        Judge(&by, by.current - by.baseline > allowed, by.baseline - by.current > allowed, true);
        bc.metrics.push_back(by);
      }
      // instructions/op: percent limit, only on the same CPU model and ISA.
      MetricComparison in = Deterministic(kInstructionsPerOp, *base, cur);
      in.limit_percent = lim.max_instructions_increase_percent;
      if (in.has_baseline && in.has_current) {
        const MachineInfo& bm = base_set->context.machine;
        const MachineInfo& cm = current.context.machine;
        const std::string& bf = base_set->context.build_flags;
        const std::string& cf = current.context.build_flags;
        if (bm.cpu_model != cm.cpu_model || bm.isa != cm.isa) {
          in.verdict = Verdict::kNotComparable;
          in.note = "baseline measured on " + bm.cpu_model + " (" + bm.isa + "), this run on " +
                    cm.cpu_model + " (" + cm.isa + "): instruction counts differ by code path";
        } else if (bf != cf) {
          in.verdict = Verdict::kNotComparable;
          in.note = "baseline built with '" + bf + "', this run with '" + cf +
                    "': instruction counts differ by code path";
        } else {
          double lim_pct = lim.max_instructions_increase_percent;
          Judge(&in, in.change_percent > lim_pct, in.change_percent < -lim_pct, true);
        }
        bc.metrics.push_back(in);
      } else if (in.has_baseline && !in.has_current) {
        in.verdict = Verdict::kWarning;
        in.note = "instructions/op not measured in this run";
        bc.metrics.push_back(in);
      }
      // wall time: U test + median change; advisory unless the family blocks on time.
      MetricComparison t = Deterministic(kRealTimeNs, *base, cur);
      t.limit_percent = lim.max_time_regression_percent;
      if (t.has_baseline && t.has_current) {
        size_t nb = base->time_samples_ns.size(), nc = cur.time_samples_ns.size();
        bool block = th.BlocksOnTime(cur.family);
        if (nb < static_cast<size_t>(th.min_time_samples) ||
            nc < static_cast<size_t>(th.min_time_samples)) {
          t.note = "too few repetitions for the U test (" + std::to_string(nb) + " vs " +
                   std::to_string(nc) + ")";
        } else {
          UTestResult u = MannWhitneyU(base->time_samples_ns, cur.time_samples_ns);
          t.p_value = u.p_value;
          bool significant = u.valid && u.p_value < th.alpha;
          Judge(&t, significant && t.change_percent > lim.max_time_regression_percent,
                significant && t.change_percent < -lim.max_time_regression_percent, block);
        }
        bc.metrics.push_back(t);
      }
    }
    for (const MetricComparison& m : bc.metrics) {
      if (Severity(m.verdict) > Severity(bc.verdict)) bc.verdict = m.verdict;
      bc.blocking = bc.blocking || m.blocking;
      if (m.verdict == Verdict::kRegression) ++out.regressions;
      if (m.verdict == Verdict::kWarning) ++out.warnings;
      if (m.verdict == Verdict::kImproved) ++out.improvements;
      if (m.verdict == Verdict::kNotComparable &&
          std::find(out.messages.begin(), out.messages.end(),
                    "instructions/op not compared: " + m.note) == out.messages.end()) {
        out.messages.push_back("instructions/op not compared: " + m.note);
      }
    }
    out.blocking = out.blocking || bc.blocking;
    out.benchmarks.push_back(std::move(bc));
  }

  // Baselines of families that ran, whose benchmarks did not.
  for (const auto& [family, base_set] : baselines) {
    if (!families_run.count(family)) {
      out.messages.push_back("family " + family +
                             ": has a baseline but did not run (not built, or filtered out)");
      continue;
    }
    for (const BenchmarkResult& b : base_set.benchmarks) {
      if (current.Find(b.name) != nullptr) continue;
      BenchmarkComparison bc;
      bc.name = b.name;
      bc.family = family;
      bc.baseline_counters = b.counters;
      MetricComparison mc;
      mc.metric = "baseline";
      mc.verdict = Verdict::kMissing;
      mc.blocking = th.missing_current == MissingPolicy::kFail;
      mc.note = "in perf/testdata/baselines/" + family +
                ".json but not in this run (removed or renamed?)";
      bc.metrics.push_back(mc);
      bc.verdict = Verdict::kMissing;
      bc.blocking = mc.blocking;
      out.blocking = out.blocking || bc.blocking;
      out.missing_benchmarks.push_back(b.name);
      out.benchmarks.push_back(std::move(bc));
    }
  }

  // Absolute SLOs, for every benchmark that exists.
  for (const Slo& slo : th.slos) {
    bool any = false;
    for (const BenchmarkResult& b : current.benchmarks) {
      if (!std::regex_search(b.name, slo.re) || !b.counters.count(slo.counter)) continue;
      any = true;
      SloCheck c;
      c.name = slo.name;
      c.benchmark = b.name;
      c.counter = slo.counter;
      c.unit = slo.unit;
      c.is_max = slo.max.has_value();
      c.limit = slo.max ? *slo.max : *slo.min;
      auto it = b.counters.find(slo.counter);
      if (it == b.counters.end()) {
        c.note = "counter " + slo.counter + " not reported by the benchmark";
        c.ok = true;
      } else {
        c.measured = true;
        c.value = it->second;
        c.ok = (!slo.max || c.value <= *slo.max) && (!slo.min || c.value >= *slo.min);
        c.blocking = slo.blocking;
        if (!c.ok && slo.blocking) out.blocking = true;
        if (!c.ok && !slo.blocking) ++out.warnings;
      }
      out.slos.push_back(c);
    }
    if (!any) {
      SloCheck c;
      c.name = slo.name;
      c.benchmark = slo.benchmark;
      c.counter = slo.counter;
      c.unit = slo.unit;
      c.is_max = slo.max.has_value();
      c.limit = slo.max ? *slo.max : *slo.min;
      c.note = "no benchmark matching " + slo.benchmark + " reports " + slo.counter +
               " (family not built yet?)";
      out.slos.push_back(c);
    }
  }

  std::stable_sort(out.benchmarks.begin(), out.benchmarks.end(),
                   [](const BenchmarkComparison& a, const BenchmarkComparison& b) {
                     if (a.blocking != b.blocking) return a.blocking;
                     return Severity(a.verdict) > Severity(b.verdict);
                   });
  return out;
}

StatusOr<std::map<std::string, ResultSet>> LoadBaselines(const std::string& dir) {
  std::map<std::string, ResultSet> out;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  if (!std::filesystem::is_directory(dir, ec))
    return Status::InvalidArgument(dir + ": not a directory");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    std::string family = p.stem().string();
    if (family == "e2e") continue;  // end-to-end baseline: a different schema, see report
    auto rs = LoadResultSet(p.string());
    if (!rs.ok()) return rs.status().WithContext("baseline");
    for (const BenchmarkResult& b : rs->benchmarks) {
      if (b.family != family) {
        return Status::Corruption(p.string() + ": benchmark " + b.name + " belongs to family " +
                                  b.family + ", not " + family);
      }
    }
    out.emplace(family, std::move(*rs));
  }
  return out;
}

}  // namespace vsr::perf
