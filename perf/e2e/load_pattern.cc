#include "perf/e2e/load_pattern.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace vsr::e2e {

namespace {

using std::chrono::nanoseconds;

double Seconds(nanoseconds d) { return std::chrono::duration<double>(d).count(); }

StatusOr<PatternKind> KindFromName(std::string_view name) {
  if (name == "constant") return PatternKind::kConstant;
  if (name == "ramp_up" || name == "ramp") return PatternKind::kRampUp;
  if (name == "burst") return PatternKind::kBurst;
  return Status::InvalidArgument("unknown load pattern kind '" + std::string(name) +
                                 "' (expected constant, ramp_up or burst)");
}

StatusOr<double> ReadNumber(const YAML::Node& node, const std::string& where) {
  try {
    return node.as<double>();
  } catch (const YAML::Exception&) {
    return Status::InvalidArgument(where + ": expected a number");
  }
}

StatusOr<LoadPattern> ParseOne(const YAML::Node& node, const std::string& where) {
  if (!node.IsMap()) return Status::InvalidArgument(where + ": expected a mapping");
  LoadPattern p;
  if (!node["name"]) return Status::InvalidArgument(where + ": missing 'name'");
  p.name = node["name"].as<std::string>();
  std::string at = where + " (" + p.name + ")";
  auto kind = KindFromName(node["kind"] ? node["kind"].as<std::string>() : p.name);
  if (!kind.ok()) return kind.status().WithContext(at);
  p.kind = *kind;
  for (const char* key : {"qps", "start_qps", "end_qps"}) {
    if (!node[key]) continue;
    auto v = ReadNumber(node[key], at + "." + key);
    if (!v.ok()) return v.status();
    double& field = std::string_view(key) == "qps"         ? p.qps
                    : std::string_view(key) == "start_qps" ? p.start_qps
                                                           : p.end_qps;
    field = *v;
  }
  if (!node["duration"]) return Status::InvalidArgument(at + ": missing 'duration'");
  auto d = ParseDuration(node["duration"].as<std::string>());
  if (!d.ok()) return d.status().WithContext(at + ".duration");
  p.duration = *d;
  if (node["interval"]) {
    auto i = ParseDuration(node["interval"].as<std::string>());
    if (!i.ok()) return i.status().WithContext(at + ".interval");
    p.interval = *i;
  }
  Status s = ValidatePattern(p);
  if (!s.ok()) return s.WithContext(where);
  return p;
}

}  // namespace

std::string_view PatternKindName(PatternKind kind) {
  switch (kind) {
    case PatternKind::kConstant:
      return "constant";
    case PatternKind::kRampUp:
      return "ramp_up";
    case PatternKind::kBurst:
      return "burst";
  }
  return "unknown";
}

double LoadPattern::MeanQps() const {
  return kind == PatternKind::kRampUp ? (start_qps + end_qps) / 2 : qps;
}

uint64_t LoadPattern::ExpectedRequests() const {
  if (kind == PatternKind::kBurst) {
    uint64_t per_burst = static_cast<uint64_t>(std::llround(qps * Seconds(interval)));
    uint64_t bursts = static_cast<uint64_t>(std::ceil(Seconds(duration) / Seconds(interval)));
    return per_burst * bursts;
  }
  return static_cast<uint64_t>(std::floor(MeanQps() * Seconds(duration) + 1e-9));
}

Status ValidatePattern(const LoadPattern& p) {
  const std::string at = "load pattern '" + p.name + "'";
  auto check_rate = [&](double v, const char* field, bool allow_zero) -> Status {
    if (!std::isfinite(v) || v < 0 || (!allow_zero && v == 0) || v > kMaxQps) {
      return Status::InvalidArgument(at + ": " + field + " must be in (" +
                                     (allow_zero ? "[0" : "(0") + ", " +
                                     std::to_string(static_cast<int>(kMaxQps)) + "]");
    }
    return Status::OK();
  };
  if (p.duration <= nanoseconds(0) || p.duration > kMaxPatternDuration) {
    return Status::InvalidArgument(at + ": duration must be in (0, 3600s]");
  }
  switch (p.kind) {
    case PatternKind::kConstant:
      return check_rate(p.qps, "qps", false);
    case PatternKind::kRampUp:
      VSR_RETURN_IF_ERROR(check_rate(p.start_qps, "start_qps", true));
      VSR_RETURN_IF_ERROR(check_rate(p.end_qps, "end_qps", true));
      if (p.start_qps + p.end_qps <= 0) {
        return Status::InvalidArgument(at + ": start_qps and end_qps cannot both be 0");
      }
      return Status::OK();
    case PatternKind::kBurst:
      VSR_RETURN_IF_ERROR(check_rate(p.qps, "qps", false));
      if (p.interval <= nanoseconds(0) || p.interval > p.duration) {
        return Status::InvalidArgument(at + ": interval must be in (0, duration]");
      }
      if (std::llround(p.qps * Seconds(p.interval)) < 1) {
        return Status::InvalidArgument(at + ": qps * interval must be at least 1 request");
      }
      return Status::OK();
  }
  return Status::InvalidArgument(at + ": unknown kind");
}

StatusOr<nanoseconds> ParseDuration(std::string_view text) {
  std::string s(text);
  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(s, &used);
  } catch (const std::exception&) {
    return Status::InvalidArgument("bad duration '" + s + "' (expected e.g. 60s, 2m, 500ms)");
  }
  std::string_view unit = std::string_view(s).substr(used);
  double scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1e9;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "us") {
    scale = 1e3;
  } else if (unit == "m") {
    scale = 60e9;
  } else if (unit == "h") {
    scale = 3600e9;
  } else {
    return Status::InvalidArgument("bad duration unit in '" + s + "' (use h, m, s, ms, us)");
  }
  double ns = value * scale;
  if (!std::isfinite(ns) || ns < 0 || ns > 1e18) {
    return Status::InvalidArgument("duration '" + s + "' out of range");
  }
  return nanoseconds(static_cast<int64_t>(std::llround(ns)));
}

StatusOr<std::vector<LoadPattern>> ParseLoadPatterns(std::string_view yaml,
                                                     const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(source + ": " + e.what());
  }
  YAML::Node list;
  if (root.IsSequence()) {
    list = root;
  } else if (root.IsMap()) {
    for (YAML::Node parent :
         {root["benchmark_config"] ? root["benchmark_config"]["e2e"] : YAML::Node(), root["e2e"],
          root}) {
      if (parent && parent.IsMap() && parent["load_patterns"]) {
        list = parent["load_patterns"];
        break;
      }
    }
  }
  if (!list || !list.IsSequence()) {
    return Status::NotFound(source + ": no load_patterns sequence");
  }
  std::vector<LoadPattern> out;
  for (size_t i = 0; i < list.size(); ++i) {
    auto p = ParseOne(list[i], source + ": load_patterns[" + std::to_string(i) + "]");
    if (!p.ok()) return p.status();
    out.push_back(std::move(*p));
  }
  return out;
}

StatusOr<std::vector<LoadPattern>> LoadPatternsFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseLoadPatterns(ss.str(), path);
}

StatusOr<std::vector<nanoseconds>> BuildSchedule(const LoadPattern& p, uint64_t max_requests) {
  VSR_RETURN_IF_ERROR(ValidatePattern(p));
  const uint64_t n = std::min(p.ExpectedRequests(), max_requests);
  std::vector<nanoseconds> out;
  out.reserve(n);
  const double duration_s = Seconds(p.duration);
  switch (p.kind) {
    case PatternKind::kConstant:
      for (uint64_t i = 0; i < n; ++i) {
        out.emplace_back(static_cast<int64_t>(std::llround(1e9 * i / p.qps)));
      }
      break;
    case PatternKind::kRampUp: {
      // Cumulative sends N(t) = a t + (b - a) t^2 / (2D); the i-th send is at N(t) = i.
      const double a = p.start_qps, b = p.end_qps, k = (b - a) / (2 * duration_s);
      for (uint64_t i = 0; i < n; ++i) {
        // Written as 2i / (a + sqrt(a^2 + 4ki)): stable for k ~ 0, k < 0 and a = 0.
        double disc = std::max(0.0, a * a + 4 * k * static_cast<double>(i));
        double denom = a + std::sqrt(disc);
        double t = i == 0 ? 0.0 : 2.0 * static_cast<double>(i) / denom;
        t = std::clamp(t, 0.0, duration_s);
        out.emplace_back(static_cast<int64_t>(std::llround(t * 1e9)));
      }
      break;
    }
    case PatternKind::kBurst: {
      const uint64_t per_burst = static_cast<uint64_t>(std::llround(p.qps * Seconds(p.interval)));
      for (uint64_t i = 0; i < n; ++i)
        out.push_back(p.interval * static_cast<int64_t>(i / per_burst));
      break;
    }
  }
  return out;
}

}  // namespace vsr::e2e
