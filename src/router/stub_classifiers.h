// StubClassifiers: deterministic, model-free TextClassifiers for tests, benchmarks that
// isolate the router's own overhead, and demos on machines without the models.
//
// Domain: the label of the first configured (label, trigger words) pair whose trigger word
// occurs in the lower-cased text, else "other" (confidence 0.9 / 0.6). PII: EMAIL_ADDRESS
// for each '@'-word, US_SSN for ddd-dd-dddd. Jailbreak: "jailbreak" (0.95) when the text
// contains "ignore all previous instructions" or "jailbreak", else "benign" (0.95).
// Embedding: a 64-dimensional L2-normalised bag of hashed words. Token count: words.
// It is NOT a classifier: it only lets the pipeline run without inference.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "router/text_classifiers.h"

namespace vsr::router {

class StubClassifiers final : public TextClassifiers {
 public:
  // The default domain table covers the reference config's MMLU categories.
  StubClassifiers();
  explicit StubClassifiers(std::vector<std::pair<std::string, std::vector<std::string>>> domains);

  bool has_domain() const override { return true; }
  bool has_pii() const override { return true; }
  bool has_jailbreak() const override { return true; }
  bool has_embedder() const override { return true; }
  StatusOr<classification::ClassResult> Domain(std::string_view text) const override;
  StatusOr<std::vector<classification::Entity>> Pii(std::string_view text) const override;
  StatusOr<classification::ClassResult> Jailbreak(std::string_view text) const override;
  Status Embed(std::string_view text, std::vector<float>* out) const override;
  int64_t CountTokens(std::string_view text) const override;

  static constexpr size_t kDim = 64;

 private:
  std::vector<std::pair<std::string, std::vector<std::string>>> domains_;
};

}  // namespace vsr::router
