#include "perf/lib/benchmark/results.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace vsr::perf {

using nlohmann::json;

const BenchmarkResult* ResultSet::Find(const std::string& name) const {
  for (const BenchmarkResult& b : benchmarks) {
    if (b.name == name) return &b;
  }
  return nullptr;
}

json ToJson(const ResultSet& r) {
  const RunContext& c = r.context;
  json ctx = {{"machine",
               {{"hostname", c.machine.hostname},
                {"cpu_model", c.machine.cpu_model},
                {"isa", c.machine.isa},
                {"num_cpus", c.machine.num_cpus}}},
              {"compiler", c.compiler},
              {"build_type", c.build_type},
              {"build_flags", c.build_flags},
              {"git", {{"commit", c.git_commit}, {"branch", c.git_branch}, {"dirty", c.git_dirty}}},
              {"date", c.date},
              {"suite", c.suite},
              {"repetitions", c.repetitions},
              {"instruction_iterations", c.instruction_iterations}};
  json benches = json::array();
  for (const BenchmarkResult& b : r.benchmarks) {
    json jb = {{"name", b.name},
               {"family", b.family},
               {"binary", b.binary},
               {"metrics", b.metrics},
               {"time_samples_ns", b.time_samples_ns},
               {"counters", b.counters}};
    if (!b.error.empty()) jb["error"] = b.error;
    benches.push_back(std::move(jb));
  }
  return {{"schema_version", r.schema_version},
          {"kind", kResultsKind},
          {"context", ctx},
          {"benchmarks", benches},
          {"notes", r.notes}};
}

namespace {

// Typed field access with errors that say where.
template <typename T>
Status Get(const json& obj, const char* key, const std::string& where, T* out,
           bool required = true) {
  if (!obj.is_object()) return Status::Corruption(where + ": expected an object");
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (!required) return Status::OK();
    return Status::Corruption(where + ": missing \"" + key + "\"");
  }
  try {
    *out = it->get<T>();
  } catch (const json::exception& e) {
    return Status::Corruption(where + ": \"" + key + "\" has the wrong type (" + e.what() + ")");
  }
  return Status::OK();
}

}  // namespace

StatusOr<ResultSet> ResultSetFromJson(const json& j, const std::string& source) {
  ResultSet r;
  if (!j.is_object())
    return Status::Corruption(source + ": not a perftest result file (not an object)");
  std::string kind;
  VSR_RETURN_IF_ERROR(Get(j, "kind", source, &kind));
  if (kind != kResultsKind) {
    return Status::Corruption(source + ": kind is \"" + kind + "\", expected \"" + kResultsKind +
                              "\"");
  }
  VSR_RETURN_IF_ERROR(Get(j, "schema_version", source, &r.schema_version));
  if (r.schema_version != kResultsSchemaVersion) {
    return Status::Corruption(source + ": schema_version " + std::to_string(r.schema_version) +
                              " is not supported (this perftest reads " +
                              std::to_string(kResultsSchemaVersion) + ")");
  }
  json ctx;
  VSR_RETURN_IF_ERROR(Get(j, "context", source, &ctx));
  std::string where = source + ": context";
  RunContext& c = r.context;
  json machine, git;
  VSR_RETURN_IF_ERROR(Get(ctx, "machine", where, &machine));
  VSR_RETURN_IF_ERROR(Get(machine, "hostname", where + ".machine", &c.machine.hostname, false));
  VSR_RETURN_IF_ERROR(Get(machine, "cpu_model", where + ".machine", &c.machine.cpu_model));
  VSR_RETURN_IF_ERROR(Get(machine, "isa", where + ".machine", &c.machine.isa));
  VSR_RETURN_IF_ERROR(Get(machine, "num_cpus", where + ".machine", &c.machine.num_cpus, false));
  VSR_RETURN_IF_ERROR(Get(ctx, "compiler", where, &c.compiler, false));
  VSR_RETURN_IF_ERROR(Get(ctx, "build_type", where, &c.build_type, false));
  VSR_RETURN_IF_ERROR(Get(ctx, "build_flags", where, &c.build_flags, false));
  VSR_RETURN_IF_ERROR(Get(ctx, "git", where, &git, false));
  if (!git.is_null()) {
    VSR_RETURN_IF_ERROR(Get(git, "commit", where + ".git", &c.git_commit, false));
    VSR_RETURN_IF_ERROR(Get(git, "branch", where + ".git", &c.git_branch, false));
    VSR_RETURN_IF_ERROR(Get(git, "dirty", where + ".git", &c.git_dirty, false));
  }
  VSR_RETURN_IF_ERROR(Get(ctx, "date", where, &c.date, false));
  VSR_RETURN_IF_ERROR(Get(ctx, "suite", where, &c.suite, false));
  VSR_RETURN_IF_ERROR(Get(ctx, "repetitions", where, &c.repetitions, false));
  VSR_RETURN_IF_ERROR(Get(ctx, "instruction_iterations", where, &c.instruction_iterations, false));

  json benches;
  VSR_RETURN_IF_ERROR(Get(j, "benchmarks", source, &benches));
  if (!benches.is_array()) return Status::Corruption(source + ": \"benchmarks\" is not an array");
  for (size_t i = 0; i < benches.size(); ++i) {
    const json& jb = benches[i];
    std::string at = source + ": benchmarks[" + std::to_string(i) + "]";
    BenchmarkResult b;
    VSR_RETURN_IF_ERROR(Get(jb, "name", at, &b.name));
    if (b.name.empty()) return Status::Corruption(at + ": empty name");
    VSR_RETURN_IF_ERROR(Get(jb, "family", at, &b.family));
    VSR_RETURN_IF_ERROR(Get(jb, "binary", at, &b.binary, false));
    VSR_RETURN_IF_ERROR(Get(jb, "metrics", at, &b.metrics));
    VSR_RETURN_IF_ERROR(Get(jb, "time_samples_ns", at, &b.time_samples_ns, false));
    VSR_RETURN_IF_ERROR(Get(jb, "counters", at, &b.counters, false));
    VSR_RETURN_IF_ERROR(Get(jb, "error", at, &b.error, false));
    if (r.Find(b.name) != nullptr)
      return Status::Corruption(at + ": duplicate benchmark " + b.name);
    r.benchmarks.push_back(std::move(b));
  }
  VSR_RETURN_IF_ERROR(Get(j, "notes", source, &r.notes, false));
  return r;
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + ": no such file");
  if (std::filesystem::is_directory(path, ec))
    return Status::InvalidArgument(path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteFile(const std::string& path, const std::string& content) {
  std::error_code ec;
  std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IOError(path + ": cannot write");
    out << content;
    if (!out) return Status::IOError(path + ": write failed");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::IOError(path + ": " + ec.message());
  return Status::OK();
}

StatusOr<json> ParseJson(const std::string& text, const std::string& source) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    return Status::Corruption(source + ": malformed JSON: " + e.what());
  }
}

StatusOr<ResultSet> LoadResultSet(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  auto j = ParseJson(*text, path);
  if (!j.ok()) return j.status();
  return ResultSetFromJson(*j, path);
}

Status SaveResultSet(const ResultSet& results, const std::string& path) {
  return WriteFile(path, ToJson(results).dump(2) + "\n");
}

}  // namespace vsr::perf
