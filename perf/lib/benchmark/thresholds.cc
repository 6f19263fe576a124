#include "perf/lib/benchmark/thresholds.h"

#include "perf/lib/benchmark/yaml_fields.h"

namespace vsr::perf {

const Limits& Thresholds::For(const std::string& benchmark, std::string* rule) const {
  for (const LimitRule& r : rules) {
    if (std::regex_search(benchmark, r.re)) {
      if (rule) *rule = r.pattern;
      return r.limits;
    }
  }
  if (rule) *rule = "default";
  return defaults;
}

bool Thresholds::BlocksOnTime(const std::string& family) const {
  auto it = block_on_time.find(family);
  return it != block_on_time.end() && it->second;
}

namespace {

constexpr std::initializer_list<const char*> kLimitKeys = {
    "max_allocs_increase", "max_bytes_increase_percent", "max_bytes_increase_abs",
    "max_instructions_increase_percent", "max_time_regression_percent"};

Status ReadLimits(const std::string& file, const YAML::Node& n, const std::string& path,
                  Limits* l) {
  VSR_RETURN_IF_ERROR(ReadField(file, n, path, "max_allocs_increase", &l->max_allocs_increase));
  VSR_RETURN_IF_ERROR(
      ReadField(file, n, path, "max_bytes_increase_percent", &l->max_bytes_increase_percent));
  VSR_RETURN_IF_ERROR(
      ReadField(file, n, path, "max_bytes_increase_abs", &l->max_bytes_increase_abs));
  VSR_RETURN_IF_ERROR(ReadField(file, n, path, "max_instructions_increase_percent",
                                &l->max_instructions_increase_percent));
  VSR_RETURN_IF_ERROR(
      ReadField(file, n, path, "max_time_regression_percent", &l->max_time_regression_percent));
  for (double v : {l->max_allocs_increase, l->max_bytes_increase_percent, l->max_bytes_increase_abs,
                   l->max_instructions_increase_percent, l->max_time_regression_percent}) {
    if (v < 0) return Status::InvalidArgument(YamlWhere(file, n, path) + ": limits must be >= 0");
  }
  return Status::OK();
}

StatusOr<std::regex> CompileRegex(const std::string& file, const YAML::Node& n,
                                  const std::string& path, const std::string& pattern) {
  try {
    return std::regex(pattern);
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument(YamlWhere(file, n, path) + ": invalid regex '" + pattern +
                                   "': " + e.what());
  }
}

Status ReadPolicy(const std::string& file, const YAML::Node& n, const char* key, MissingPolicy* p) {
  std::string v;
  VSR_RETURN_IF_ERROR(ReadField(file, n, "policy", key, &v));
  if (v.empty()) return Status::OK();
  if (v == "warn") {
    *p = MissingPolicy::kWarn;
  } else if (v == "fail") {
    *p = MissingPolicy::kFail;
  } else {
    return Status::InvalidArgument(YamlWhere(file, n[key], std::string("policy.") + key) +
                                   ": expected warn or fail, got '" + v + "'");
  }
  return Status::OK();
}

}  // namespace

StatusOr<Thresholds> LoadThresholds(const std::string& path) {
  auto root_or = LoadYamlFile(path);
  if (!root_or.ok()) return root_or.status();
  const YAML::Node& root = *root_or;
  Thresholds t;
  t.source = path;
  VSR_RETURN_IF_ERROR(CheckKeys(path, root, "(top)",
                                {"version", "default", "benchmarks", "families", "statistics",
                                 "policy", "slos", "e2e"}));  // e2e: validated by vsr-loadgen
  int version = 1;
  VSR_RETURN_IF_ERROR(ReadField(path, root, "(top)", "version", &version));
  if (version != 1)
    return Status::InvalidArgument(path + ": version " + std::to_string(version) +
                                   " is not supported");
  if (YAML::Node d = root["default"]) {
    VSR_RETURN_IF_ERROR(CheckKeys(path, d, "default", kLimitKeys));
    VSR_RETURN_IF_ERROR(ReadLimits(path, d, "default", &t.defaults));
  }
  if (YAML::Node bs = root["benchmarks"]) {
    if (!bs.IsSequence())
      return Status::InvalidArgument(YamlWhere(path, bs, "benchmarks") + ": expected a list");
    for (size_t i = 0; i < bs.size(); ++i) {
      std::string p = "benchmarks[" + std::to_string(i) + "]";
      const YAML::Node& n = bs[i];
      VSR_RETURN_IF_ERROR(CheckKeys(
          path, n, p,
          {"pattern", "max_allocs_increase", "max_bytes_increase_percent", "max_bytes_increase_abs",
           "max_instructions_increase_percent", "max_time_regression_percent"}));
      LimitRule r;
      VSR_RETURN_IF_ERROR(ReadField(path, n, p, "pattern", &r.pattern));
      if (r.pattern.empty())
        return Status::InvalidArgument(YamlWhere(path, n, p) + ": needs a pattern");
      auto re = CompileRegex(path, n, p + ".pattern", r.pattern);
      if (!re.ok()) return re.status();
      r.re = std::move(*re);
      r.limits = t.defaults;  // omitted limits inherit the default
      VSR_RETURN_IF_ERROR(ReadLimits(path, n, p, &r.limits));
      t.rules.push_back(std::move(r));
    }
  }
  if (YAML::Node fs = root["families"]) {
    if (!fs.IsMap())
      return Status::InvalidArgument(YamlWhere(path, fs, "families") + ": expected a map");
    for (const auto& kv : fs) {
      std::string fam = kv.first.as<std::string>();
      VSR_RETURN_IF_ERROR(CheckKeys(path, kv.second, "families." + fam, {"block_on_time"}));
      bool block = false;
      VSR_RETURN_IF_ERROR(ReadField(path, kv.second, "families." + fam, "block_on_time", &block));
      t.block_on_time[fam] = block;
    }
  }
  if (YAML::Node s = root["statistics"]) {
    VSR_RETURN_IF_ERROR(CheckKeys(path, s, "statistics", {"alpha", "min_time_samples"}));
    VSR_RETURN_IF_ERROR(ReadField(path, s, "statistics", "alpha", &t.alpha));
    VSR_RETURN_IF_ERROR(ReadField(path, s, "statistics", "min_time_samples", &t.min_time_samples));
    if (!(t.alpha > 0 && t.alpha < 1) || t.min_time_samples < 2) {
      return Status::InvalidArgument(path + ": statistics: alpha in (0,1), min_time_samples >= 2");
    }
  }
  if (YAML::Node p = root["policy"]) {
    VSR_RETURN_IF_ERROR(CheckKeys(path, p, "policy", {"missing_baseline", "missing_current"}));
    VSR_RETURN_IF_ERROR(ReadPolicy(path, p, "missing_baseline", &t.missing_baseline));
    VSR_RETURN_IF_ERROR(ReadPolicy(path, p, "missing_current", &t.missing_current));
  }
  if (YAML::Node slos = root["slos"]) {
    if (!slos.IsSequence())
      return Status::InvalidArgument(YamlWhere(path, slos, "slos") + ": expected a list");
    for (size_t i = 0; i < slos.size(); ++i) {
      std::string p = "slos[" + std::to_string(i) + "]";
      const YAML::Node& n = slos[i];
      VSR_RETURN_IF_ERROR(CheckKeys(
          path, n, p, {"name", "benchmark", "counter", "max", "min", "unit", "blocking"}));
      Slo s;
      VSR_RETURN_IF_ERROR(ReadField(path, n, p, "name", &s.name));
      VSR_RETURN_IF_ERROR(ReadField(path, n, p, "benchmark", &s.benchmark));
      VSR_RETURN_IF_ERROR(ReadField(path, n, p, "counter", &s.counter));
      VSR_RETURN_IF_ERROR(ReadField(path, n, p, "unit", &s.unit));
      VSR_RETURN_IF_ERROR(ReadField(path, n, p, "blocking", &s.blocking));
      if (n["max"]) {
        double v = 0;
        VSR_RETURN_IF_ERROR(ReadField(path, n, p, "max", &v));
        s.max = v;
      }
      if (n["min"]) {
        double v = 0;
        VSR_RETURN_IF_ERROR(ReadField(path, n, p, "min", &v));
        s.min = v;
      }
      if (s.name.empty() || s.benchmark.empty() || s.counter.empty() || (!s.max && !s.min)) {
        return Status::InvalidArgument(YamlWhere(path, n, p) +
                                       ": needs name, benchmark, counter and max or min");
      }
      auto re = CompileRegex(path, n, p + ".benchmark", s.benchmark);
      if (!re.ok()) return re.status();
      s.re = std::move(*re);
      t.slos.push_back(std::move(s));
    }
  }
  return t;
}

}  // namespace vsr::perf
