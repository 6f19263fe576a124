#include "perf/e2e/scenario_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "perf/e2e/load_generator.h"
#include "perf/e2e/process_sampler.h"
#include "perf/e2e/run_report.h"
#include "perf/lib/benchmark/e2e_baseline.h"

namespace vsr::e2e {

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxDistinctBodies = 50000;
constexpr size_t kMaxResourcePoints = 1000;

LoadPattern ConstantPattern(const std::string& name, double qps, std::chrono::nanoseconds d) {
  LoadPattern p;
  p.name = name;
  p.kind = PatternKind::kConstant;
  p.qps = qps;
  p.duration = d;
  return p;
}

double Ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }
double Round(double v) { return std::round(v * 1e4) / 1e4; }

class Runner {
 public:
  Runner(const ScenarioInputs& in, const ScenarioEndpoints& at, std::ostream& log)
      : in_(in), plan_(in.plan), at_(at), log_(log), start_(Clock::now()) {}

  // Starts new traffic: the next runs draw their prompts with a fresh seed, so repeated
  // prompts are the mix's repeats, not leftovers of an earlier run in the router's cache.
  // Runs that must send the same bytes (routed vs direct) share one traffic.
  void NewTraffic() { ++traffic_; }

  // One run: the pattern's schedule with the mix's bodies against `target`. The router's
  // /proc is sampled when `routed`.
  StatusOr<LoadRunResult> Run(const std::string& scenario, const std::string& name,
                              const HttpTarget& target, const LoadPattern& pattern,
                              const std::string& mix, bool routed, bool record = true) {
    auto schedule = BuildSchedule(pattern, plan_.max_requests_per_run);
    if (!schedule.ok()) return schedule.status();
    auto weights = ParseMixWeights(mix);
    if (!weights.ok()) return weights.status();
    PromptMixOptions mo;
    mo.weights = *weights;
    mo.seed = plan_.seed + 1000003 * traffic_;
    mo.model = plan_.model;
    mo.max_tokens = plan_.max_tokens;
    auto bodies = MakePromptMix(in_.corpus, mo, std::min(schedule->size(), kMaxDistinctBodies));
    if (!bodies.ok()) return bodies.status();

    LoadRunOptions o;
    o.target = target;
    o.schedule = std::move(*schedule);
    o.span = pattern.duration;
    o.bodies = std::move(bodies->bodies);
    o.timeout = plan_.timeout;
    o.max_connections = plan_.max_connections;
    o.warm_connections = plan_.warm_connections;
    o.threads = plan_.threads;
    o.max_run_time = std::chrono::duration_cast<std::chrono::milliseconds>(pattern.duration) +
                     plan_.timeout + std::chrono::seconds(5);

    std::optional<ProcessSampler> sampler;
    const double offset_s = std::chrono::duration<double>(Clock::now() - start_).count();
    if (routed && at_.router_pid > 0) {
      sampler.emplace(at_.router_pid, plan_.resource_interval);
      Status s = sampler->Start();
      if (!s.ok()) return s.WithContext("router process");
    }
    auto r = RunLoad(o);
    if (sampler) sampler->Stop();
    if (!r.ok()) return r.status();
    log_ << "  [" << scenario << "] " << name << " -> " << target.ToUrl() << ": " << RunLine(*r)
         << "\n"
         << std::flush;

    json run = {{"name", scenario + "/" + name}, {"scenario", scenario},
                {"target", target.ToUrl()},      {"mix", mix},
                {"traffic", traffic_},           {"pattern", PatternJson(pattern)},
                {"summary", RunSummary(*r)},     {"series", RunSeries(*r)}};
    if (sampler) {
      auto samples = sampler->samples();
      ProcSummary ps = Summarize(samples);
      run["resource"] = ResourceJson(ps);
      for (ProcSample s : samples) {
        s.t_s += offset_s;
        resource_samples_.push_back(s);
      }
    }
    if (record) runs_.push_back(std::move(run));
    std::this_thread::sleep_for(plan_.pause_between_runs);
    return r;
  }

  // Fails fast with a clear message when an endpoint does not answer 2xx at all.
  Status Probe(const std::string& what, const HttpTarget& target) {
    auto r =
        Run("probe", what, target, ConstantPattern("probe", 20, std::chrono::milliseconds(250)),
            "realistic", false, /*record=*/false);
    if (!r.ok()) return r.status();
    if (r->ok == 0) {
      std::string statuses;
      for (const auto& [code, n] : r->status_counts) {
        statuses += " " + std::to_string(code) + "x" + std::to_string(n);
      }
      return Status::Unavailable(what + " at " + target.ToUrl() +
                                 " answered no request with 2xx (" + RunLine(*r) +
                                 (statuses.empty() ? "" : "; statuses" + statuses) + ")");
    }
    return Status::OK();
  }

  bool StepPasses(const LoadRunResult& r) const {
    const auto& t = in_.thresholds;
    return !r.aborted && r.success_rate() >= t.min_success_rate &&
           Ms(r.latency.ValueAtQuantile(0.99)) <= t.max_p99_ms;
  }

  StatusOr<json> Throughput(const ThroughputPlan& tp, const std::string& label) {
    json steps = json::array();
    double best = 0, failed = 0;
    json best_summary = nullptr;
    std::string limited_by = "max_qps";
    auto step = [&](double qps) -> StatusOr<bool> {
      char name[64];
      std::snprintf(name, sizeof(name), "%s@%.0f", label.c_str(), qps);
      NewTraffic();
      auto r = Run("performance-throughput", name, at_.router,
                   ConstantPattern(name, qps, tp.step_duration), tp.mix, true);
      if (!r.ok()) return r.status();
      bool pass = StepPasses(*r) && r->achieved_qps() >= tp.min_achieved_ratio * qps;
      steps.push_back({{"qps", qps},
                       {"pass", pass},
                       {"achieved_qps", Round(r->achieved_qps())},
                       {"success_rate", Round(r->success_rate())},
                       {"p99_ms", Round(Ms(r->latency.ValueAtQuantile(0.99)))},
                       {"send_lag_p99_ms", Round(Ms(r->send_lag.ValueAtQuantile(0.99)))}});
      if (pass) {
        best = qps;
        best_summary = RunSummary(*r);
      } else if (Ms(r->send_lag.ValueAtQuantile(0.99)) > 10.0) {
        limited_by = "load_generator";  // the generator itself fell behind its schedule
      } else {
        limited_by = "slo";
      }
      return pass;
    };
    double qps = tp.start_qps;
    while (true) {
      auto pass = step(qps);
      if (!pass.ok()) return pass.status();
      if (!*pass) {
        failed = qps;
        break;
      }
      if (qps >= tp.max_qps) break;
      qps = std::min(qps * tp.step_factor, tp.max_qps);
    }
    for (int i = 0; i < tp.refine_steps && failed > 0 && best > 0; ++i) {
      double mid = std::round((best + failed) / 2);
      if (mid - best < 0.05 * best) break;
      auto pass = step(mid);
      if (!pass.ok()) return pass.status();
      if (!*pass) failed = mid;
    }
    if (failed == 0) limited_by = "max_qps";
    json out = {{"max_sustained_qps", best}, {"mix", tp.mix}, {"limited_by", limited_by}};
    if (!best_summary.is_null()) {
      out["success_rate"] = best_summary["success_rate"];
      out["achieved_qps"] = best_summary["achieved_qps"];
      out["cache_hit_rate"] = best_summary["cache_hit_rate"];
      out["latency_ms"] = best_summary["latency_ms"];
    }
    return json{{"summary", out}, {"steps", steps}};
  }

  static json ResourceJson(const ProcSummary& s) {
    return {{"samples", s.samples},
            {"rss_mb_peak", Round(s.rss_mb_peak)},
            {"rss_mb_avg", Round(s.rss_mb_avg)},
            {"cpu_percent_peak", Round(s.cpu_percent_peak)},
            {"cpu_percent_avg", Round(s.cpu_percent_avg)},
            {"threads_peak", Round(s.threads_peak)},
            {"threads_avg", Round(s.threads_avg)}};
  }

  json ResourceSeries() const {
    json out = json::array();
    size_t stride = resource_samples_.size() / kMaxResourcePoints + 1;
    for (size_t i = 0; i < resource_samples_.size(); i += stride) {
      const ProcSample& s = resource_samples_[i];
      out.push_back({{"t_s", Round(s.t_s)},
                     {"rss_mb", Round(s.rss_mb)},
                     {"cpu_percent", Round(s.cpu_percent)},
                     {"threads", s.threads}});
    }
    return out;
  }

  const std::vector<ProcSample>& resource_samples() const { return resource_samples_; }
  json& runs() { return runs_; }

 private:
  const ScenarioInputs& in_;
  const ScenarioPlan& plan_;
  const ScenarioEndpoints& at_;
  std::ostream& log_;
  const Clock::time_point start_;
  json runs_ = json::array();
  std::vector<ProcSample> resource_samples_;
  uint64_t traffic_ = 0;
};

// Latency added by a proxy hop: its latency minus the direct latency, quantile by quantile,
// over the requests that reached the backend (the router's cache hits skip the backend and
// would make the difference meaningless).
json Overhead(const LoadRunResult& routed, const LoadRunResult& direct) {
  auto diff = [&](double q) {
    return Round(Ms(routed.latency_uncached.ValueAtQuantile(q)) -
                 Ms(direct.latency.ValueAtQuantile(q)));
  };
  return {{"p50", diff(0.5)}, {"p99", diff(0.99)}};
}

const json* At(const json& doc, const std::string& pointer) {
  json::json_pointer p(pointer);
  if (!doc.contains(p)) return nullptr;
  const json& v = doc.at(p);
  return v.is_number() ? &v : nullptr;
}

}  // namespace

StatusOr<json> RunScenarios(const ScenarioInputs& in, const ScenarioEndpoints& at,
                            std::ostream& log) {
  const ScenarioPlan& plan = in.plan;
  Runner runner(in, at, log);
  json doc = {{"schema", "vsr-e2e-results"},
              {"schema_version", kE2eSchemaVersion},
              {"variant", plan.variant}};
  json context = json::object();
  for (const auto& [k, v] : in.context) context[k] = v;
  context["router_url"] = at.router.ToUrl();
  context["direct_url"] = at.direct.ToUrl();
  if (at.nginx) context["nginx_url"] = at.nginx->ToUrl();
  context["hardware_concurrency"] = std::thread::hardware_concurrency();
  context["seed"] = plan.seed;
  doc["context"] = context;
  json summary = json::object();

  log << "e2e: probing endpoints\n";
  VSR_RETURN_IF_ERROR(runner.Probe("router", at.router));
  VSR_RETURN_IF_ERROR(runner.Probe("mock backend", at.direct));
  if (at.nginx) VSR_RETURN_IF_ERROR(runner.Probe("nginx", *at.nginx));

  log << "e2e: warm-up\n";
  runner.NewTraffic();
  auto warm = runner.Run("warmup", "router", at.router,
                         ConstantPattern("warmup", plan.warmup_qps, plan.warmup_duration),
                         plan.latency_mix, false, /*record=*/false);
  if (!warm.ok()) return warm.status();

  // performance-latency: the same traffic routed, direct and through nginx.
  log << "e2e: performance-latency at " << plan.latency_qps << " qps\n";
  {
    LoadPattern p = ConstantPattern("latency", plan.latency_qps, plan.latency_duration);
    runner.NewTraffic();  // the same bytes to the router, the mock and nginx
    auto routed = runner.Run("performance-latency", "router", at.router, p, plan.latency_mix, true);
    if (!routed.ok()) return routed.status();
    auto direct =
        runner.Run("performance-latency", "direct", at.direct, p, plan.latency_mix, false);
    if (!direct.ok()) return direct.status();
    json lat = {{"qps", plan.latency_qps},
                {"router", RunSummary(*routed)["latency_ms"]},
                {"router_uncached", RunSummary(*routed)["uncached_latency_ms"]},
                {"router_success_rate", Round(routed->success_rate())},
                {"router_cache_hit_rate", RunSummary(*routed)["cache_hit_rate"]},
                {"router_achieved_qps", Round(routed->achieved_qps())},
                {"direct", RunSummary(*direct)["latency_ms"]},
                {"router_overhead_ms", Overhead(*routed, *direct)}};
    if (at.nginx) {
      auto nginx =
          runner.Run("performance-latency", "nginx", *at.nginx, p, plan.latency_mix, false);
      if (!nginx.ok()) return nginx.status();
      lat["nginx"] = RunSummary(*nginx)["latency_ms"];
      lat["nginx_success_rate"] = Round(nginx->success_rate());
      lat["nginx_overhead_ms"] = Overhead(*nginx, *direct);
    }
    summary["performance-latency"] = lat;
  }

  // performance-throughput: realistic mix, then the cache-hit path.
  json throughput = json::object();
  json steps = json::object();
  for (const auto& [label, tp] :
       {std::pair<std::string, const ThroughputPlan*>{"realistic", &plan.throughput},
        std::pair<std::string, const ThroughputPlan*>{"cache_hit", &plan.cache_hit}}) {
    if (!tp->enabled) continue;
    log << "e2e: performance-throughput (" << label << " mix) from " << tp->start_qps << " qps\n";
    auto t = runner.Throughput(*tp, label);
    if (!t.ok()) return t.status();
    steps[label] = (*t)["steps"];
    const json& s = (*t)["summary"];
    if (label == "realistic") {
      for (const auto& [k, v] : s.items()) throughput[k] = v;
    } else {
      throughput["cache_hit_max_sustained_qps"] = s["max_sustained_qps"];
      throughput["cache_hit_limited_by"] = s["limited_by"];
    }
  }
  if (!throughput.empty()) summary["performance-throughput"] = throughput;

  // The perf.yaml patterns against the router, durations capped by the plan.
  if (plan.run_patterns && !in.patterns.empty()) {
    json patterns = json::object();
    for (LoadPattern p : in.patterns) {
      p.duration = std::min(p.duration, plan.pattern_max_duration);
      if (p.kind == PatternKind::kBurst) p.interval = std::min(p.interval, p.duration);
      log << "e2e: pattern " << p.name << "\n";
      runner.NewTraffic();
      auto r = runner.Run("patterns", p.name, at.router, p, plan.pattern_mix, true);
      if (!r.ok()) return r.status();
      json s = RunSummary(*r);
      patterns[p.name] = {{"offered_qps", s["offered_qps"]},
                          {"achieved_qps", s["achieved_qps"]},
                          {"success_rate", s["success_rate"]},
                          {"latency_ms", s["latency_ms"]}};
    }
    summary["patterns"] = patterns;
  }

  // performance-resource: every routed run's /proc samples together.
  if (at.router_pid > 0) {
    summary["performance-resource"] = Runner::ResourceJson(Summarize(runner.resource_samples()));
  }

  doc["summary"] = summary;
  doc["throughput_steps"] = steps;
  doc["resource_samples"] = runner.ResourceSeries();
  doc["runs"] = std::move(runner.runs());
  AddChecks(in.thresholds, plan.variant == "smoke", &doc);
  if (in.baseline) AddBaselineComparison(in.thresholds, *in.baseline, &doc);
  return doc;
}

void AddChecks(const E2eThresholds& t, bool smoke, json* doc) {
  json checks = json::array();
  bool passed = true;
  auto check = [&](const std::string& name, const std::string& pointer, const char* op,
                   double threshold, bool blocking) {
    const json* v = At(*doc, pointer);
    json c = {{"name", name},
              {"metric", pointer},
              {"op", op},
              {"threshold", threshold},
              {"blocking", blocking}};
    if (!v) {
      c["pass"] = false;
      c["note"] = "metric missing";
    } else {
      double x = v->get<double>();
      c["value"] = x;
      c["pass"] = std::string(op) == ">=" ? x >= threshold : x <= threshold;
    }
    if (blocking && !c["pass"].get<bool>()) passed = false;
    checks.push_back(c);
  };
  // Smoke runs are short and capped low: only correctness-like checks block there.
  const bool full = !smoke;
  check("throughput.min_sustained_qps", "/summary/performance-throughput/max_sustained_qps",
        ">=", t.min_sustained_qps, full);
  check("throughput.min_success_rate", "/summary/performance-latency/router_success_rate",
        ">=", t.min_success_rate, true);
  check("latency.max_p95_ms", "/summary/performance-latency/router/p95_ms", "<=", t.max_p95_ms,
        full);
  check("latency.max_p99_ms", "/summary/performance-latency/router/p99_ms", "<=", t.max_p99_ms,
        full);
  // Targets that only the stub-classifier `overhead` variant can reach on 2 cores: advisory.
  if (doc->contains(
          json::json_pointer("/summary/performance-throughput/cache_hit_max_sustained_qps"))) {
    check("throughput.min_cache_hit_qps",
          "/summary/performance-throughput/cache_hit_max_sustained_qps", ">=", t.min_cache_hit_qps,
          false);
  }
  check("latency.max_router_overhead_p99_ms", "/summary/performance-latency/router_overhead_ms/p99",
        "<=", t.max_router_overhead_p99_ms, false);
  if (doc->contains(json::json_pointer("/summary/performance-resource"))) {
    check("resource.max_memory_mb", "/summary/performance-resource/rss_mb_peak",
          "<=", t.max_memory_mb, true);
  }
  (*doc)["checks"] = checks;
  (*doc)["passed"] = passed;
}

void AddBaselineComparison(const E2eThresholds& t, const json& baseline, json* doc) {
  const std::string not_comparable = perf::E2eNotComparableReason(*doc, baseline);
  if (!not_comparable.empty()) {
    (*doc)["comparison"] = {
        {"advisory", true}, {"not_comparable", not_comparable}, {"metrics", json::array()}};
    return;
  }
  struct Key {
    const char* pointer;
    bool higher_is_better;
    double limit_percent;
  };
  const Key keys[] = {
      {"/summary/performance-throughput/max_sustained_qps", true,
       t.max_regression_percent_throughput},
      {"/summary/performance-throughput/cache_hit_max_sustained_qps", true,
       t.max_regression_percent_throughput},
      {"/summary/performance-latency/router/p50_ms", false, t.max_regression_percent_latency},
      {"/summary/performance-latency/router/p95_ms", false, t.max_regression_percent_latency},
      {"/summary/performance-latency/router/p99_ms", false, t.max_regression_percent_latency},
      {"/summary/performance-latency/router_overhead_ms/p50", false,
       t.max_regression_percent_latency},
      {"/summary/performance-latency/router_overhead_ms/p99", false,
       t.max_regression_percent_latency},
      {"/summary/performance-resource/rss_mb_peak", false, t.max_regression_percent_resource},
      {"/summary/performance-resource/cpu_percent_avg", false, t.max_regression_percent_resource},
  };
  json out = json::array();
  for (const Key& k : keys) {
    const json* cur = At(*doc, k.pointer);
    const json* base = At(baseline, k.pointer);
    if (!cur || !base) continue;
    double c = cur->get<double>(), b = base->get<double>();
    json row = {
        {"metric", k.pointer}, {"baseline", b}, {"current", c}, {"limit_percent", k.limit_percent}};
    if (b > 0) {
      double change = (c - b) / b * 100.0;
      row["change_percent"] = Round(change);
      row["regression"] = k.higher_is_better ? -change > k.limit_percent : change > k.limit_percent;
    } else {
      row["regression"] = false;  // no meaningful percentage from a zero/negative baseline
    }
    out.push_back(row);
  }
  (*doc)["comparison"] = {{"advisory", true}, {"metrics", out}};
}

}  // namespace vsr::e2e
