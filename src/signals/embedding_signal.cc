#include "signals/embedding_signal.h"

#include <algorithm>
#include <cmath>

namespace vsr::signals {
namespace {

float Dot(const float* a, const float* b, size_t n) {
  float s = 0.0f;
  for (size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

}  // namespace

StatusOr<std::unique_ptr<EmbeddingSignal>> EmbeddingSignal::Create(
    const std::vector<config::EmbeddingRule>& rules, const EmbedFn& embed) {
  auto sig = std::make_unique<EmbeddingSignal>();
  for (const config::EmbeddingRule& rule : rules) {
    Rule r;
    r.first = sig->dim_ == 0 ? 0 : sig->candidates_.size() / sig->dim_;
    r.count = rule.candidates.size();
    r.mean = rule.aggregation_method == "mean";
    for (const std::string& cand : rule.candidates) {
      StatusOr<std::vector<float>> e = embed(cand);
      if (!e.ok()) {
        return e.status().WithContext("embedding rule '" + rule.name + "', candidate '" + cand +
                                      "'");
      }
      if (e->empty()) {
        return Status::InvalidArgument("embedding rule '" + rule.name + "': empty embedding for '" +
                                       cand + "'");
      }
      if (sig->dim_ == 0) sig->dim_ = e->size();
      if (e->size() != sig->dim_) {
        return Status::InvalidArgument("embedding rule '" + rule.name + "': dimension " +
                                       std::to_string(e->size()) + " differs from " +
                                       std::to_string(sig->dim_));
      }
      float norm = std::sqrt(Dot(e->data(), e->data(), e->size()));
      float inv = norm > 0.0f ? 1.0f / norm : 0.0f;
      for (float v : *e) sig->candidates_.push_back(v * inv);
    }
    sig->rules_.push_back(r);
  }
  return sig;
}

Status EmbeddingSignal::Score(std::span<const float> query, SignalResults* results) const {
  results->embedding_similarity.resize(rules_.size(), SignalResults::kNotComputed);
  if (rules_.empty()) return Status::OK();
  if (query.size() != dim_) {
    return Status::InvalidArgument("query embedding has dimension " + std::to_string(query.size()) +
                                   ", rules use " + std::to_string(dim_));
  }
  float qn = std::sqrt(Dot(query.data(), query.data(), dim_));
  float inv = qn > 0.0f ? 1.0f / qn : 0.0f;
  for (size_t r = 0; r < rules_.size(); ++r) {
    const Rule& rule = rules_[r];
    float best = -1.0f;
    float sum = 0.0f;
    for (size_t c = 0; c < rule.count; ++c) {
      float s = Dot(query.data(), &candidates_[(rule.first + c) * dim_], dim_) * inv;
      best = std::max(best, s);
      sum += s;
    }
    results->embedding_similarity[r] = rule.mean ? sum / static_cast<float>(rule.count) : best;
  }
  return Status::OK();
}

}  // namespace vsr::signals
