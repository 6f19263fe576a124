#include "perf/lib/benchmark/perf_config.h"

#include <algorithm>
#include <regex>

#include "perf/lib/benchmark/yaml_fields.h"

namespace vsr::perf {

const FamilyConfig* PerfConfig::Family(const std::string& name) const {
  for (const FamilyConfig& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

namespace {

Status CheckRegex(const std::string& file, const std::string& path, const std::string& re) {
  try {
    std::regex r(re);
  } catch (const std::regex_error& e) {
    return Status::InvalidArgument(file + ": " + path + ": invalid regex '" + re +
                                   "': " + e.what());
  }
  return Status::OK();
}

Status CheckIterations(const std::string& file, const std::string& path,
                       const std::vector<int64_t>& iters) {
  if (iters.empty()) return Status::OK();
  if (iters.size() != 2 || iters[0] < 1 || iters[1] <= iters[0]) {
    return Status::InvalidArgument(file + ": " + path +
                                   ": expected two iteration counts [N1, N2] with 0 < N1 < N2");
  }
  return Status::OK();
}

Status ParseFamilies(const std::string& file, const YAML::Node& node, PerfConfig* c) {
  if (!node.IsMap())
    return Status::InvalidArgument(YamlWhere(file, node, "families") + ": expected a map");
  for (const auto& kv : node) {
    FamilyConfig f;
    f.name = kv.first.as<std::string>();
    std::string path = "benchmark_config.families." + f.name;
    const YAML::Node& v = kv.second;
    VSR_RETURN_IF_ERROR(CheckKeys(file, v, path,
                                  {"binaries", "quick_filter", "instructions_filter",
                                   "instruction_iterations", "alloc_iterations", "enabled"}));
    VSR_RETURN_IF_ERROR(ReadField(file, v, path, "binaries", &f.binaries));
    VSR_RETURN_IF_ERROR(ReadField(file, v, path, "quick_filter", &f.quick_filter));
    VSR_RETURN_IF_ERROR(ReadField(file, v, path, "instructions_filter", &f.instructions_filter));
    VSR_RETURN_IF_ERROR(
        ReadField(file, v, path, "instruction_iterations", &f.instruction_iterations));
    VSR_RETURN_IF_ERROR(ReadField(file, v, path, "alloc_iterations", &f.alloc_iterations));
    VSR_RETURN_IF_ERROR(ReadField(file, v, path, "enabled", &f.enabled));
    if (f.binaries.empty()) {
      return Status::InvalidArgument(YamlWhere(file, v, path) + ": needs at least one binary");
    }
    VSR_RETURN_IF_ERROR(CheckRegex(file, path + ".quick_filter", f.quick_filter));
    VSR_RETURN_IF_ERROR(CheckRegex(file, path + ".instructions_filter", f.instructions_filter));
    VSR_RETURN_IF_ERROR(
        CheckIterations(file, path + ".instruction_iterations", f.instruction_iterations));
    if (f.alloc_iterations != 0 && (f.alloc_iterations < 2 || f.alloc_iterations > 16)) {
      return Status::InvalidArgument(file + ": " + path + ".alloc_iterations must be in [2, 16]");
    }
    c->families.push_back(std::move(f));
  }
  return Status::OK();
}

Status ParseE2e(const std::string& file, const YAML::Node& e2e, PerfConfig* c) {
  VSR_RETURN_IF_ERROR(CheckKeys(file, e2e, "benchmark_config.e2e", {"load_patterns"}));
  YAML::Node patterns = e2e["load_patterns"];
  if (!patterns) return Status::OK();
  if (!patterns.IsSequence()) {
    return Status::InvalidArgument(YamlWhere(file, patterns, "benchmark_config.e2e.load_patterns") +
                                   ": expected a list");
  }
  for (size_t i = 0; i < patterns.size(); ++i) {
    VSR_RETURN_IF_ERROR(CheckKeys(
        file, patterns[i], "benchmark_config.e2e.load_patterns[" + std::to_string(i) + "]",
        {"name", "kind", "qps", "start_qps", "end_qps", "duration", "interval"}));
  }
  c->e2e_load_patterns = patterns.size();
  return Status::OK();
}

}  // namespace

StatusOr<PerfConfig> LoadPerfConfig(const std::string& path) {
  auto root_or = LoadYamlFile(path);
  if (!root_or.ok()) return root_or.status();
  const YAML::Node& root = *root_or;
  PerfConfig c;
  c.source = path;
  c.suites["quick"] = SuiteConfig{3, 0.02};
  c.suites["full"] = SuiteConfig{10, 0.5};
  VSR_RETURN_IF_ERROR(
      CheckKeys(path, root, "(top)", {"benchmark_config", "profiling", "reporting"}));

  YAML::Node bc = root["benchmark_config"];
  if (!bc) return Status::InvalidArgument(path + ": missing benchmark_config");
  VSR_RETURN_IF_ERROR(CheckKeys(
      path, bc, "benchmark_config",
      {"bench_dir", "suites", "deterministic", "families", "classification", "cache", "e2e"}));
  VSR_RETURN_IF_ERROR(ReadField(path, bc, "benchmark_config", "bench_dir", &c.bench_dir));
  if (YAML::Node suites = bc["suites"]) {
    VSR_RETURN_IF_ERROR(CheckKeys(path, suites, "benchmark_config.suites", {"quick", "full"}));
    for (const char* name : {"quick", "full"}) {
      YAML::Node s = suites[name];
      if (!s) continue;
      std::string sp = std::string("benchmark_config.suites.") + name;
      VSR_RETURN_IF_ERROR(CheckKeys(path, s, sp, {"repetitions", "min_time_s"}));
      VSR_RETURN_IF_ERROR(ReadField(path, s, sp, "repetitions", &c.suites[name].repetitions));
      VSR_RETURN_IF_ERROR(ReadField(path, s, sp, "min_time_s", &c.suites[name].min_time_s));
      if (c.suites[name].repetitions < 1 || c.suites[name].min_time_s <= 0) {
        return Status::InvalidArgument(path + ": " + sp + ": repetitions >= 1 and min_time_s > 0");
      }
    }
  }
  if (YAML::Node d = bc["deterministic"]) {
    std::string dp = "benchmark_config.deterministic";
    VSR_RETURN_IF_ERROR(
        CheckKeys(path, d, dp,
                  {"alloc_iterations", "instructions", "instruction_iterations", "valgrind_jobs"}));
    VSR_RETURN_IF_ERROR(ReadField(path, d, dp, "alloc_iterations", &c.alloc_iterations));
    VSR_RETURN_IF_ERROR(ReadField(path, d, dp, "instructions", &c.instructions_enabled));
    VSR_RETURN_IF_ERROR(
        ReadField(path, d, dp, "instruction_iterations", &c.instruction_iterations));
    VSR_RETURN_IF_ERROR(ReadField(path, d, dp, "valgrind_jobs", &c.valgrind_jobs));
    VSR_RETURN_IF_ERROR(
        CheckIterations(path, dp + ".instruction_iterations", c.instruction_iterations));
    if (c.alloc_iterations < 2 || c.alloc_iterations > 16 || c.valgrind_jobs < 1) {
      return Status::InvalidArgument(
          path + ": " + dp +
          ": alloc_iterations must be in [2, 16] (Google Benchmark's memory "
          "run caps at 16) and valgrind_jobs >= 1");
    }
  }
  YAML::Node families = bc["families"];
  if (!families) return Status::InvalidArgument(path + ": missing benchmark_config.families");
  VSR_RETURN_IF_ERROR(ParseFamilies(path, families, &c));
  if (YAML::Node cl = bc["classification"]) {
    VSR_RETURN_IF_ERROR(
        CheckKeys(path, cl, "benchmark_config.classification", {"batch_sizes", "iterations"}));
    VSR_RETURN_IF_ERROR(ReadField(path, cl, "benchmark_config.classification", "batch_sizes",
                                  &c.classification_batch_sizes));
    VSR_RETURN_IF_ERROR(ReadField(path, cl, "benchmark_config.classification", "iterations",
                                  &c.classification_iterations));
    if (c.classification_iterations < 0) {
      return Status::InvalidArgument(path +
                                     ": benchmark_config.classification.iterations must be >= 0");
    }
  }
  if (YAML::Node ca = bc["cache"]) {
    VSR_RETURN_IF_ERROR(
        CheckKeys(path, ca, "benchmark_config.cache", {"cache_sizes", "concurrency_levels"}));
    VSR_RETURN_IF_ERROR(
        ReadField(path, ca, "benchmark_config.cache", "cache_sizes", &c.cache_sizes));
    VSR_RETURN_IF_ERROR(ReadField(path, ca, "benchmark_config.cache", "concurrency_levels",
                                  &c.cache_concurrency_levels));
  }
  if (YAML::Node e2e = bc["e2e"]) VSR_RETURN_IF_ERROR(ParseE2e(path, e2e, &c));

  if (YAML::Node p = root["profiling"]) {
    VSR_RETURN_IF_ERROR(CheckKeys(path, p, "profiling", {"cpu", "heap", "primary_family"}));
    VSR_RETURN_IF_ERROR(ReadField(path, p, "profiling", "cpu", &c.profile_cpu));
    VSR_RETURN_IF_ERROR(ReadField(path, p, "profiling", "heap", &c.profile_heap));
    VSR_RETURN_IF_ERROR(
        ReadField(path, p, "profiling", "primary_family", &c.profile_primary_family));
  }
  if (YAML::Node r = root["reporting"]) {
    VSR_RETURN_IF_ERROR(CheckKeys(path, r, "reporting", {"output_dir", "formats"}));
    VSR_RETURN_IF_ERROR(ReadField(path, r, "reporting", "output_dir", &c.output_dir));
    VSR_RETURN_IF_ERROR(ReadField(path, r, "reporting", "formats", &c.report_formats));
    for (const std::string& f : c.report_formats) {
      if (f != "json" && f != "markdown" && f != "html") {
        return Status::InvalidArgument(path + ": reporting.formats: unknown format '" + f +
                                       "' (json, markdown, html)");
      }
    }
  }
  return c;
}

bool SelectedByParameters(const PerfConfig& c, const std::string& name) {
  static const std::regex kSize("_Size(\\d+)(\\b|_|/|$)");
  static const std::regex kEntries("_(\\d+)Entries");
  static const std::regex kConcurrency("Concurrency_(\\d+)");
  auto allowed = [&](const std::regex& re, const std::vector<int64_t>& list) {
    std::smatch m;
    if (list.empty() || !std::regex_search(name, m, re)) return true;
    int64_t n = std::stoll(m[1].str());
    return std::find(list.begin(), list.end(), n) != list.end();
  };
  return allowed(kSize, c.classification_batch_sizes) && allowed(kEntries, c.cache_sizes) &&
         allowed(kConcurrency, c.cache_concurrency_levels);
}

}  // namespace vsr::perf
