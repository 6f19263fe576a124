// ClassifierSignalProvider: the production SignalProvider.
//
// Keyword rules run through signals::KeywordSignal (one vectorscan pass); domain, PII and
// jailbreak through the TextClassifiers' models; embedding rules through
// signals::EmbeddingSignal on the prompt's embedding; context rules on the token count.
// Only the signal types in SignalNeeds run. When two or more model-backed signals are needed
// and `parallel` is set, they run concurrently (one task per model; the caller's thread
// takes the first), which pays off because each is a full transformer forward pass; cheap
// signals (keywords, context) always run inline. Thread-safe.
#pragma once

#include <memory>

#include "config/config.h"
#include "router/signal_provider.h"
#include "router/text_classifiers.h"
#include "signals/embedding_signal.h"
#include "signals/keyword_signal.h"

namespace vsr::router {

class ClassifierSignalProvider final : public SignalProvider {
 public:
  // Compiles the keyword rules and embeds the embedding rules' candidates. Fails when the
  // config needs a model signal whose model `classifiers` lacks.
  static StatusOr<std::unique_ptr<ClassifierSignalProvider>> Create(
      const config::RouterConfig& config, std::shared_ptr<const TextClassifiers> classifiers,
      bool parallel = true);

  Status Compute(const SignalInput& input, const SignalNeeds& needs,
                 signals::SignalResults* out) const override;

 private:
  ClassifierSignalProvider() = default;
  Status ComputeDomain(std::string_view text, signals::SignalResults* out) const;
  Status ComputePii(std::string_view text, signals::SignalResults* out) const;
  Status ComputeJailbreak(std::string_view text, signals::SignalResults* out) const;
  Status ComputeEmbedding(std::string_view text, signals::SignalResults* out) const;

  std::shared_ptr<const TextClassifiers> classifiers_;
  std::unique_ptr<signals::KeywordSignal> keywords_;
  std::unique_ptr<signals::EmbeddingSignal> embeddings_;
  float domain_threshold_ = 0.5f;
  float pii_threshold_ = 0.5f;
  std::string fallback_category_;
  bool parallel_ = true;
};

}  // namespace vsr::router
