// SignalResults: everything the router learned about one request, for the decision engine.
//
// The router fills one SignalResults per request (keyword matches from KeywordSignal, the
// domain label(s) from the domain classifier, similarities from EmbeddingSignal, PII entities,
// the jailbreak verdict, the token count) and hands it to DecisionEngine::Evaluate, which only
// reads it. Per-rule vectors are indexed by the rule's position in the config
// (routing.signals.keywords[i], routing.signals.embeddings[i]).
//
// Reuse promise: Clear() keeps every buffer, and the Add* / Set* methods reuse the storage of
// earlier entries, so a SignalResults reused across requests stops allocating once it has
// seen its largest request (string values up to their previous capacity).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vsr::signals {

struct DomainScore {
  std::string label;  // a classifier label: a domain name or one of its mmlu_categories
  float confidence = 0.0f;
};

struct PiiDetection {
  std::string type;  // entity type, e.g. "EMAIL_ADDRESS"
  float confidence = 0.0f;
};

class SignalResults {
 public:
  // Similarity value of an embedding rule that was not computed for this request.
  static constexpr float kNotComputed = -2.0f;

  // Forgets the request; keeps every buffer.
  void Clear();

  // --- keyword: one flag per routing.signals.keywords rule (1 = the rule matched).
  // KeywordSignal::Match resizes and fills it; tests may set it by hand.
  std::vector<uint8_t> keyword_matched;

  // --- domain: labels from the domain classifier, best first (usually one).
  void AddDomain(std::string_view label, float confidence);
  std::span<const DomainScore> domains() const { return {domains_.data(), num_domains_}; }

  // --- embedding: aggregated similarity per routing.signals.embeddings rule, or kNotComputed.
  // EmbeddingSignal fills it; tests may set it by hand.
  std::vector<float> embedding_similarity;

  // --- PII: entities the token classifier found (any order, duplicates allowed).
  void AddPii(std::string_view type, float confidence);
  std::span<const PiiDetection> pii() const { return {pii_.data(), num_pii_}; }

  // --- jailbreak: the prompt-guard verdict. `detected` means the classifier's label is the
  // jailbreak class; `confidence` is that label's probability.
  void SetJailbreak(bool detected, float confidence) {
    jailbreak_evaluated = true;
    jailbreak_detected = detected;
    jailbreak_confidence = confidence;
  }
  bool jailbreak_evaluated = false;
  bool jailbreak_detected = false;
  float jailbreak_confidence = 0.0f;

  // --- context: the request's prompt length in tokens; -1 = unknown (no context rule matches).
  int64_t token_count = -1;

 private:
  std::vector<DomainScore> domains_;  // [0, num_domains_) are live; the rest keep capacity
  size_t num_domains_ = 0;
  std::vector<PiiDetection> pii_;
  size_t num_pii_ = 0;
};

}  // namespace vsr::signals

namespace vsr {
using signals::SignalResults;
}  // namespace vsr
