#include "classification/unified_classifier.h"

namespace vsr::classification {

StatusOr<std::unique_ptr<UnifiedClassifier>> UnifiedClassifier::Load(
    const UnifiedClassifierPaths& paths, const EngineOptions& options) {
  std::unique_ptr<UnifiedClassifier> u(new UnifiedClassifier());
  if (!paths.domain_model_dir.empty()) {
    auto m = SequenceClassifier::Load(paths.domain_model_dir, options);
    if (!m.ok()) return m.status().WithContext("domain classifier");
    u->domain_ = std::move(m).value();
  }
  if (!paths.pii_model_dir.empty()) {
    auto m = TokenClassifier::Load(paths.pii_model_dir, options);
    if (!m.ok()) return m.status().WithContext("PII classifier");
    u->pii_ = std::move(m).value();
  }
  if (!paths.jailbreak_model_dir.empty()) {
    auto m = SequenceClassifier::Load(paths.jailbreak_model_dir, options);
    if (!m.ok()) return m.status().WithContext("jailbreak classifier");
    u->jailbreak_ = std::move(m).value();
  }
  return u;
}

StatusOr<std::vector<UnifiedResult>> UnifiedClassifier::ClassifyBatch(
    std::span<const std::string_view> texts) const {
  std::vector<UnifiedResult> out(texts.size());
  if (domain_) {
    auto r = domain_->ClassifyBatch(texts);
    if (!r.ok()) return r.status().WithContext("domain classifier");
    for (size_t i = 0; i < texts.size(); ++i) out[i].domain = std::move((*r)[i]);
  }
  if (pii_) {
    auto r = pii_->ClassifyBatch(texts);
    if (!r.ok()) return r.status().WithContext("PII classifier");
    for (size_t i = 0; i < texts.size(); ++i) out[i].pii = std::move((*r)[i]);
  }
  if (jailbreak_) {
    auto r = jailbreak_->ClassifyBatch(texts);
    if (!r.ok()) return r.status().WithContext("jailbreak classifier");
    for (size_t i = 0; i < texts.size(); ++i) out[i].jailbreak = std::move((*r)[i]);
  }
  return out;
}

}  // namespace vsr::classification
