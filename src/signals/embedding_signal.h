// EmbeddingSignal: similarity of the prompt to each routing.signals.embeddings rule.
//
// At construction every candidate phrase of every rule is embedded once (through the embed
// function the caller supplies, normally classification::Embedder) and L2-normalised. Score()
// takes the prompt's embedding and writes, per rule, the aggregated cosine similarity to the
// rule's candidates ("max"/"any": the best candidate; "mean": their average) into
// SignalResults::embedding_similarity. The decision engine compares it with the rule's
// threshold. Score() is const, thread-safe and allocation-free once the output is sized.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/config.h"
#include "signals/signal_results.h"

namespace vsr::signals {

class EmbeddingSignal {
 public:
  using EmbedFn = std::function<StatusOr<std::vector<float>>(std::string_view text)>;

  // Embeds every candidate of `rules` with `embed`. All embeddings must share one dimension.
  static StatusOr<std::unique_ptr<EmbeddingSignal>> Create(
      const std::vector<config::EmbeddingRule>& rules, const EmbedFn& embed);

  // `query` is the prompt's embedding (any norm; it is normalised here).
  Status Score(std::span<const float> query, SignalResults* results) const;

  size_t num_rules() const { return rules_.size(); }
  size_t dim() const { return dim_; }

 private:
  struct Rule {
    size_t first = 0;  // first candidate row in candidates_
    size_t count = 0;
    bool mean = false;
  };
  std::vector<Rule> rules_;
  std::vector<float> candidates_;  // rows of dim_ floats, L2-normalised
  size_t dim_ = 0;
};

}  // namespace vsr::signals
