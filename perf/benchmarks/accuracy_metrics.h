// Accuracy metrics of the default models on their gold sets (models/gold/*.jsonl).
//
// Gold files are JSON Lines, one `{"text": ..., "label": ...}` per line. The label is a
// class name for the sequence tasks (domain, jailbreak) and, for PII, a list of entities
// `{"type": ..., "begin": ..., "end": ...}` with byte offsets into the text. Loaders return
// errors that name the file and the line; metrics are plain functions of predictions and
// gold labels, so they can be tested without a model.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "classification/results.h"
#include "common/status.h"

namespace vsr::perf {

struct GoldClassExample {
  std::string text;
  std::string label;
};

struct GoldSpan {
  std::string type;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const GoldSpan&) const = default;
};

struct GoldPiiExample {
  std::string text;
  std::vector<GoldSpan> entities;
};

StatusOr<std::vector<GoldClassExample>> LoadGoldClassFile(const std::string& path);
StatusOr<std::vector<GoldPiiExample>> LoadGoldPiiFile(const std::string& path);

// Fraction of predictions equal to the gold label (0 when empty). Sizes must match.
double Accuracy(const std::vector<std::string>& predicted,
                const std::vector<GoldClassExample>& gold);

struct BinaryScores {
  int64_t true_positives = 0, false_positives = 0, positives = 0, negatives = 0;
  double precision() const;
  double recall() const;
  double false_positive_rate() const;
};

// `positive_label` is the class counted as positive (e.g. "jailbreak").
BinaryScores ScoreBinary(const std::vector<std::string>& predicted,
                         const std::vector<GoldClassExample>& gold,
                         const std::string& positive_label);

struct EntityScores {
  int64_t true_positives = 0, false_positives = 0, false_negatives = 0;
  double precision() const;
  double recall() const;
  double f1() const;
};

// Strict entity matching: an entity counts when type, begin and end all equal a gold
// entity's (each gold entity matches at most once).
EntityScores ScoreEntities(const std::vector<std::vector<classification::Entity>>& predicted,
                           const std::vector<GoldPiiExample>& gold);

// The same matching, counted per entity type (true and false positives under the predicted
// type, false negatives under the gold type); the sum over types is ScoreEntities.
std::map<std::string, EntityScores> ScoreEntitiesByType(
    const std::vector<std::vector<classification::Entity>>& predicted,
    const std::vector<GoldPiiExample>& gold);

}  // namespace vsr::perf
