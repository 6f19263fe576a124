#include "perf/e2e/scenario_plan.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "perf/e2e/load_pattern.h"
#include "perf/e2e/prompt_mix.h"

namespace vsr::e2e {

namespace {

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

StatusOr<YAML::Node> Parse(const std::string& yaml, const std::string& source) {
  try {
    return YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ": " + e.what());
  }
}

// Reads the keys of `node` with per-key setters; unknown keys and bad values are errors
// that name `where`.
using Setter = std::function<Status(const YAML::Node&)>;
Status ReadMap(const YAML::Node& node, const std::string& where,
               const std::map<std::string, Setter>& setters) {
  if (!node) return Status::OK();
  const std::string at = where.empty() ? "" : where + ": ";
  if (!node.IsMap()) return Status::InvalidArgument(at + "expected a mapping");
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    auto it = setters.find(key);
    if (it == setters.end()) return Status::InvalidArgument(at + "unknown key '" + key + "'");
    Status s;
    try {
      s = it->second(kv.second);
    } catch (const YAML::Exception&) {
      s = Status::InvalidArgument("bad value");
    }
    if (!s.ok()) return s.WithContext(where.empty() ? key : where + "." + key);
  }
  return Status::OK();
}

Setter Number(double* out, double lo, double hi) {
  return [=](const YAML::Node& n) {
    double v = n.as<double>();
    if (!(v >= lo && v <= hi)) {
      return Status::InvalidArgument("must be in [" + std::to_string(lo) + ", " +
                                     std::to_string(hi) + "]");
    }
    *out = v;
    return Status::OK();
  };
}

template <typename Int>
Setter Integer(Int* out, int64_t lo, int64_t hi) {
  return [=](const YAML::Node& n) {
    int64_t v = n.as<int64_t>();
    if (v < lo || v > hi) {
      return Status::InvalidArgument("must be in [" + std::to_string(lo) + ", " +
                                     std::to_string(hi) + "]");
    }
    *out = static_cast<Int>(v);
    return Status::OK();
  };
}

Setter Duration(std::chrono::nanoseconds* out) {
  return [=](const YAML::Node& n) {
    auto d = ParseDuration(n.as<std::string>());
    if (!d.ok()) return d.status();
    if (*d <= std::chrono::nanoseconds(0) || *d > kMaxPatternDuration) {
      return Status::InvalidArgument("must be in (0, 3600s]");
    }
    *out = *d;
    return Status::OK();
  };
}

Setter Millis(std::chrono::milliseconds* out) {
  return [=](const YAML::Node& n) {
    std::chrono::nanoseconds d{0};
    VSR_RETURN_IF_ERROR(Duration(&d)(n));
    *out = std::max(std::chrono::milliseconds(1),
                    std::chrono::duration_cast<std::chrono::milliseconds>(d));
    return Status::OK();
  };
}

Setter Mix(std::string* out) {
  return [=](const YAML::Node& n) {
    std::string v = n.as<std::string>();
    auto w = ParseMixWeights(v);
    if (!w.ok()) return w.status();
    *out = v;
    return Status::OK();
  };
}

Setter Bool(bool* out) {
  return [=](const YAML::Node& n) {
    *out = n.as<bool>();
    return Status::OK();
  };
}

Setter Text(std::string* out) {
  return [=](const YAML::Node& n) {
    *out = n.as<std::string>();
    return Status::OK();
  };
}

Setter Throughput(ThroughputPlan* t) {
  return [=](const YAML::Node& n) {
    VSR_RETURN_IF_ERROR(ReadMap(n, "",
                                {{"enabled", Bool(&t->enabled)},
                                 {"mix", Mix(&t->mix)},
                                 {"start_qps", Number(&t->start_qps, 1, kMaxQps)},
                                 {"max_qps", Number(&t->max_qps, 1, kMaxQps)},
                                 {"step_factor", Number(&t->step_factor, 1.01, 10)},
                                 {"step_duration", Duration(&t->step_duration)},
                                 {"refine_steps", Integer(&t->refine_steps, 0, 10)},
                                 {"min_achieved_ratio", Number(&t->min_achieved_ratio, 0, 1)}}));
    if (t->max_qps < t->start_qps) return Status::InvalidArgument("max_qps < start_qps");
    return Status::OK();
  };
}

}  // namespace

StatusOr<ScenarioPlan> ParseScenarioPlan(const std::string& yaml, const std::string& source,
                                         const std::string& variant) {
  auto root = Parse(yaml, source);
  if (!root.ok()) return root.status();
  if (!root->IsMap() || !(*root)[variant]) {
    return Status::NotFound(source + ": no scenario variant '" + variant + "'");
  }
  ScenarioPlan p;
  p.variant = variant;
  p.cache_hit.mix = "cache_hit";
  VSR_RETURN_IF_ERROR(
      ReadMap((*root)[variant], source + ": " + variant,
              {{"warmup_qps", Number(&p.warmup_qps, 1, kMaxQps)},
               {"warmup_duration", Duration(&p.warmup_duration)},
               {"latency_qps", Number(&p.latency_qps, 1, kMaxQps)},
               {"latency_duration", Duration(&p.latency_duration)},
               {"latency_mix", Mix(&p.latency_mix)},
               {"throughput", Throughput(&p.throughput)},
               {"cache_hit", Throughput(&p.cache_hit)},
               {"run_patterns", Bool(&p.run_patterns)},
               {"pattern_max_duration", Duration(&p.pattern_max_duration)},
               {"pattern_mix", Mix(&p.pattern_mix)},
               {"resource_interval", Millis(&p.resource_interval)},
               {"timeout", Millis(&p.timeout)},
               {"max_connections", Integer(&p.max_connections, 1, 60000)},
               {"warm_connections", Integer(&p.warm_connections, 0, 10000)},
               {"threads", Integer(&p.threads, 1, 16)},
               {"max_requests_per_run", Integer(&p.max_requests_per_run, 1, 20000000)},
               {"pause_between_runs", Millis(&p.pause_between_runs)},
               {"seed", Integer(&p.seed, 0, INT64_MAX)},
               {"model", Text(&p.model)},
               {"max_tokens", Integer(&p.max_tokens, 1, 100000)}}));
  return p;
}

StatusOr<ScenarioPlan> LoadScenarioPlan(const std::string& path, const std::string& variant) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseScenarioPlan(*text, path, variant);
}

StatusOr<E2eThresholds> ParseE2eThresholds(const std::string& yaml, const std::string& source) {
  auto root = Parse(yaml, source);
  if (!root.ok()) return root.status();
  E2eThresholds t;
  if (!root->IsMap() || !(*root)["e2e"]) {
    return Status::NotFound(source + ": no e2e section");
  }
  const double kBig = 1e9;
  auto section = [&](std::map<std::string, Setter> setters) -> Setter {
    return [setters](const YAML::Node& n) { return ReadMap(n, "", setters); };
  };
  VSR_RETURN_IF_ERROR(ReadMap(
      (*root)["e2e"], source + ": e2e",
      {{"throughput", section({{"min_sustained_qps", Number(&t.min_sustained_qps, 0, kBig)},
                               {"min_success_rate", Number(&t.min_success_rate, 0, 1)},
                               {"min_cache_hit_qps", Number(&t.min_cache_hit_qps, 0, kBig)},
                               {"max_regression_percent",
                                Number(&t.max_regression_percent_throughput, 0, 1000)}})},
       {"latency",
        section({{"max_p95_ms", Number(&t.max_p95_ms, 0, kBig)},
                 {"max_p99_ms", Number(&t.max_p99_ms, 0, kBig)},
                 {"max_router_overhead_p99_ms", Number(&t.max_router_overhead_p99_ms, 0, kBig)},
                 {"max_regression_percent", Number(&t.max_regression_percent_latency, 0, 1000)}})},
       {"resource", section({{"max_memory_mb", Number(&t.max_memory_mb, 0, kBig)},
                             {"max_regression_percent",
                              Number(&t.max_regression_percent_resource, 0, 1000)}})}}));
  return t;
}

StatusOr<E2eThresholds> LoadE2eThresholds(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseE2eThresholds(*text, path);
}

}  // namespace vsr::e2e
