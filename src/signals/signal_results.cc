#include "signals/signal_results.h"

#include <algorithm>

namespace vsr::signals {

void SignalResults::Clear() {
  std::fill(keyword_matched.begin(), keyword_matched.end(), uint8_t{0});
  std::fill(embedding_similarity.begin(), embedding_similarity.end(), kNotComputed);
  num_domains_ = 0;
  num_pii_ = 0;
  jailbreak_evaluated = false;
  jailbreak_detected = false;
  jailbreak_confidence = 0.0f;
  token_count = -1;
}

void SignalResults::AddDomain(std::string_view label, float confidence) {
  if (num_domains_ == domains_.size()) domains_.emplace_back();
  DomainScore& d = domains_[num_domains_++];
  d.label.assign(label);
  d.confidence = confidence;
}

void SignalResults::AddPii(std::string_view type, float confidence) {
  if (num_pii_ == pii_.size()) pii_.emplace_back();
  PiiDetection& p = pii_[num_pii_++];
  p.type.assign(type);
  p.confidence = confidence;
}

}  // namespace vsr::signals
