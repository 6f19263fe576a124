// UnifiedClassifier: one call classifies a batch of texts for domain (sequence
// classification), PII (token classification) and jailbreak (sequence classification),
// in the manner of upstream's ClassifyBatch. Any of the three models may be absent (its
// part of the result is then empty). Thread-safe.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "classification/embedder.h"
#include "classification/results.h"
#include "classification/sequence_classifier.h"
#include "classification/token_classifier.h"
#include "common/status.h"

namespace vsr::classification {

struct UnifiedClassifierPaths {
  std::string domain_model_dir;     // empty: no domain classification
  std::string pii_model_dir;        // empty: no PII detection
  std::string jailbreak_model_dir;  // empty: no jailbreak detection
};

class UnifiedClassifier {
 public:
  static StatusOr<std::unique_ptr<UnifiedClassifier>> Load(const UnifiedClassifierPaths& paths,
                                                           const EngineOptions& options = {});

  StatusOr<std::vector<UnifiedResult>> ClassifyBatch(std::span<const std::string_view> texts) const;

  const SequenceClassifier* domain() const { return domain_.get(); }
  const TokenClassifier* pii() const { return pii_.get(); }
  const SequenceClassifier* jailbreak() const { return jailbreak_.get(); }

 private:
  UnifiedClassifier() = default;
  std::unique_ptr<SequenceClassifier> domain_;
  std::unique_ptr<TokenClassifier> pii_;
  std::unique_ptr<SequenceClassifier> jailbreak_;
};

}  // namespace vsr::classification
