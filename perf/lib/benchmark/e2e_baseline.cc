#include "perf/lib/benchmark/e2e_baseline.h"

#include <filesystem>

namespace vsr::perf {

std::string ResolveE2eBaseline(const std::string& path, const std::string& isa) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return path;
  return (std::filesystem::path(path) / (isa + ".json")).string();
}

namespace {

// A member's value as text ("" when absent): contexts hold strings and numbers.
std::string ValueText(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return "";
  const auto v = object.find(key);
  if (v == object.end() || v->is_null()) return "";
  return v->is_string() ? v->get<std::string>() : v->dump();
}

std::string ContextValue(const nlohmann::json& doc, const char* key) {
  return doc.is_object() && doc.contains("context") ? ValueText(doc["context"], key) : "";
}

void Append(std::string* reason, const std::string& part) {
  if (!reason->empty()) *reason += "; ";
  *reason += part;
}

}  // namespace

std::string RecordedIsa(const nlohmann::json& run) {
  const std::string isa = ContextValue(run, "isa");
  return isa.empty() ? "unknown" : isa;
}

std::string E2eNotComparableReason(const nlohmann::json& run, const nlohmann::json& baseline) {
  std::string reason;
  // A smoke run (short, capped rates) says nothing about a full run's numbers.
  const std::string bv = ValueText(baseline, "variant"), rv = ValueText(run, "variant");
  if (!bv.empty() && !rv.empty() && bv != rv) {
    Append(&reason, "variant " + bv + " in the baseline, " + rv + " here");
  }
  for (const char* key : {"cpu_model", "isa", "hardware_concurrency"}) {
    const std::string b = ContextValue(baseline, key), r = ContextValue(run, key);
    if (b.empty() || r.empty()) {
      Append(&reason,
             std::string(b.empty() ? "the baseline" : "this run") + " does not record " + key);
    } else if (b != r) {
      Append(&reason, std::string(key) + " " + b + " in the baseline, " + r + " here");
    }
  }
  return reason;
}

}  // namespace vsr::perf
