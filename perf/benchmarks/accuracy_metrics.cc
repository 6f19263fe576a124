#include "perf/benchmarks/accuracy_metrics.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>

namespace vsr::perf {
namespace {

using Json = nlohmann::json;

// Calls `row(json, where)` for every non-empty line; `where` is "file:line" for errors.
Status ForEachLine(const std::string& path,
                   const std::function<Status(const Json&, const std::string&)>& row) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open gold file " + path);
  std::string line;
  int n = 0;
  int rows = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(n);
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      return Status::InvalidArgument(where + ": not a JSON object");
    }
    if (!j.contains("text") || !j["text"].is_string()) {
      return Status::InvalidArgument(where + ": missing string \"text\"");
    }
    if (!j.contains("label")) return Status::InvalidArgument(where + ": missing \"label\"");
    if (Status st = row(j, where); !st.ok()) return st;
    ++rows;
  }
  if (rows == 0) return Status::InvalidArgument(path + ": no examples");
  return Status::OK();
}

double Ratio(int64_t a, int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; }

}  // namespace

StatusOr<std::vector<GoldClassExample>> LoadGoldClassFile(const std::string& path) {
  std::vector<GoldClassExample> out;
  Status st = ForEachLine(path, [&](const Json& j, const std::string& where) {
    if (!j["label"].is_string()) return Status::InvalidArgument(where + ": label is not a string");
    out.push_back({j["text"].get<std::string>(), j["label"].get<std::string>()});
    return Status::OK();
  });
  if (!st.ok()) return st;
  return out;
}

StatusOr<std::vector<GoldPiiExample>> LoadGoldPiiFile(const std::string& path) {
  std::vector<GoldPiiExample> out;
  Status st = ForEachLine(path, [&](const Json& j, const std::string& where) {
    if (!j["label"].is_array()) return Status::InvalidArgument(where + ": label is not a list");
    GoldPiiExample ex{j["text"].get<std::string>(), {}};
    for (const Json& e : j["label"]) {
      if (!e.is_object() || !e.contains("type") || !e["type"].is_string() || !e.contains("begin") ||
          !e["begin"].is_number_unsigned() || !e.contains("end") ||
          !e["end"].is_number_unsigned()) {
        return Status::InvalidArgument(where + ": entity needs string type, unsigned begin/end");
      }
      GoldSpan s{e["type"].get<std::string>(), e["begin"].get<uint32_t>(),
                 e["end"].get<uint32_t>()};
      if (s.begin >= s.end || s.end > ex.text.size()) {
        return Status::InvalidArgument(where + ": entity span outside the text");
      }
      ex.entities.push_back(std::move(s));
    }
    out.push_back(std::move(ex));
    return Status::OK();
  });
  if (!st.ok()) return st;
  return out;
}

double Accuracy(const std::vector<std::string>& predicted,
                const std::vector<GoldClassExample>& gold) {
  int64_t ok = 0;
  const size_t n = std::min(predicted.size(), gold.size());
  for (size_t i = 0; i < n; ++i) ok += predicted[i] == gold[i].label;
  return Ratio(ok, static_cast<int64_t>(gold.size()));
}

double BinaryScores::precision() const {
  return Ratio(true_positives, true_positives + false_positives);
}
double BinaryScores::recall() const { return Ratio(true_positives, positives); }
double BinaryScores::false_positive_rate() const { return Ratio(false_positives, negatives); }

BinaryScores ScoreBinary(const std::vector<std::string>& predicted,
                         const std::vector<GoldClassExample>& gold,
                         const std::string& positive_label) {
  BinaryScores s;
  const size_t n = std::min(predicted.size(), gold.size());
  for (size_t i = 0; i < n; ++i) {
    const bool truth = gold[i].label == positive_label;
    const bool said = predicted[i] == positive_label;
    (truth ? s.positives : s.negatives) += 1;
    if (said) (truth ? s.true_positives : s.false_positives) += 1;
  }
  return s;
}

double EntityScores::precision() const {
  return Ratio(true_positives, true_positives + false_positives);
}
double EntityScores::recall() const {
  return Ratio(true_positives, true_positives + false_negatives);
}
double EntityScores::f1() const {
  const double p = precision(), r = recall();
  return p + r == 0.0 ? 0.0 : 2.0 * p * r / (p + r);
}

std::map<std::string, EntityScores> ScoreEntitiesByType(
    const std::vector<std::vector<classification::Entity>>& predicted,
    const std::vector<GoldPiiExample>& gold) {
  std::map<std::string, EntityScores> by_type;
  for (size_t i = 0; i < gold.size(); ++i) {
    std::vector<bool> used(gold[i].entities.size(), false);
    const auto& pred = i < predicted.size() ? predicted[i] : std::vector<classification::Entity>{};
    for (const classification::Entity& e : pred) {
      bool hit = false;
      for (size_t g = 0; g < gold[i].entities.size() && !hit; ++g) {
        const GoldSpan& t = gold[i].entities[g];
        if (!used[g] && t.type == e.type && t.begin == e.begin && t.end == e.end) {
          used[g] = true;
          hit = true;
        }
      }
      EntityScores& s = by_type[e.type];
      (hit ? s.true_positives : s.false_positives) += 1;
    }
    for (size_t g = 0; g < used.size(); ++g) {
      by_type[gold[i].entities[g].type].false_negatives += !used[g];
    }
  }
  return by_type;
}

EntityScores ScoreEntities(const std::vector<std::vector<classification::Entity>>& predicted,
                           const std::vector<GoldPiiExample>& gold) {
  EntityScores s;
  for (const auto& [type, t] : ScoreEntitiesByType(predicted, gold)) {
    s.true_positives += t.true_positives;
    s.false_positives += t.false_positives;
    s.false_negatives += t.false_negatives;
  }
  return s;
}

}  // namespace vsr::perf
