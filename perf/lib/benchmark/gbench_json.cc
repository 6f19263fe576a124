#include "perf/lib/benchmark/gbench_json.h"

#include <regex>
#include <set>

#include "perf/lib/benchmark/results.h"

namespace vsr::perf {

namespace {

double ToNs(double value, const std::string& unit) {
  if (unit == "us") return value * 1e3;
  if (unit == "ms") return value * 1e6;
  if (unit == "s") return value * 1e9;
  return value;  // ns
}

const std::set<std::string>& NonCounterKeys() {
  static const std::set<std::string> keys = {"name",
                                             "family_index",
                                             "per_family_instance_index",
                                             "run_name",
                                             "run_type",
                                             "repetitions",
                                             "repetition_index",
                                             "threads",
                                             "iterations",
                                             "real_time",
                                             "cpu_time",
                                             "time_unit",
                                             "net_heap_growth",
                                             "error_occurred",
                                             "error_message",
                                             "aggregate_name",
                                             "aggregate_unit",
                                             "label"};
  return keys;
}

}  // namespace

// Google Benchmark prints non-finite counters as bare NaN / inf / -inf, which is not JSON;
// they become null (and are then skipped as non-numbers).
std::string SanitizeNonFinite(const std::string& text) {
  static const std::regex kNonFinite(R"((:\s*)-?(NaN|nan|inf|Infinity)(\s*[,}\n]))");
  return std::regex_replace(text, kNonFinite, "$1null$3");
}

StatusOr<std::vector<GbenchRun>> ParseGbenchJson(const std::string& text,
                                                 const std::string& source) {
  auto j = ParseJson(SanitizeNonFinite(text), source);
  if (!j.ok()) return j.status();
  if (!j->is_object() || !j->contains("benchmarks") || !(*j)["benchmarks"].is_array()) {
    return Status::Corruption(source + ": not Google Benchmark JSON (no \"benchmarks\" array)");
  }
  std::vector<GbenchRun> runs;
  std::map<std::string, size_t> index;
  try {
    for (const auto& b : (*j)["benchmarks"]) {
      if (b.value("run_type", "iteration") != "iteration") continue;
      std::string name = b.value("run_name", b.value("name", ""));
      if (name.empty()) return Status::Corruption(source + ": a benchmark without a name");
      auto [it, inserted] = index.emplace(name, runs.size());
      if (inserted) runs.push_back(GbenchRun{name, {}, {}, {}, {}, {}});
      GbenchRun& r = runs[it->second];
      if (b.value("error_occurred", false)) {
        r.error = b.value("error_message", "benchmark reported an error");
        continue;
      }
      std::string unit = b.value("time_unit", "ns");
      r.real_time_ns.push_back(ToNs(b.at("real_time").get<double>(), unit));
      r.cpu_time_ns.push_back(ToNs(b.at("cpu_time").get<double>(), unit));
      r.iterations.push_back(b.value("iterations", int64_t{0}));
      for (const auto& [key, value] : b.items()) {
        if (NonCounterKeys().count(key) || !value.is_number()) continue;
        r.counters[key].push_back(value.get<double>());
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(source + ": unexpected Google Benchmark JSON: " + e.what());
  }
  return runs;
}

}  // namespace vsr::perf
