#include "router/classifier_signal_provider.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <future>

namespace vsr::router {

bool IsJailbreakLabel(std::string_view label) {
  std::string lower(label);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "jailbreak" || lower == "injection" || lower == "malicious" || lower == "unsafe";
}

StatusOr<std::unique_ptr<ClassifierSignalProvider>> ClassifierSignalProvider::Create(
    const config::RouterConfig& config, std::shared_ptr<const TextClassifiers> classifiers,
    bool parallel) {
  std::unique_ptr<ClassifierSignalProvider> p(new ClassifierSignalProvider());
  p->classifiers_ = std::move(classifiers);
  p->parallel_ = parallel;
  const auto& catalog = config.global.model_catalog;
  p->domain_threshold_ = catalog.domain.threshold;
  p->pii_threshold_ = catalog.pii.threshold;
  p->fallback_category_ = catalog.fallback_category;
  SignalNeeds needs = SignalNeeds::FromConfig(config);
  const auto& sig = config.routing.signals;
  if (!sig.keywords.empty()) {
    auto kw = signals::KeywordSignal::Create(sig.keywords);
    if (!kw.ok()) return kw.status().WithContext("keyword rules");
    p->keywords_ = std::move(kw).value();
  }
  const TextClassifiers* c = p->classifiers_.get();
  auto missing = [](std::string_view what) {
    return Status::FailedPrecondition(std::string("the decisions use ") + std::string(what) +
                                      " signals but no " + std::string(what) +
                                      " model is loaded (global.model_catalog)");
  };
  if (needs.domain && (c == nullptr || !c->has_domain())) return missing("domain");
  if (needs.pii && (c == nullptr || !c->has_pii())) return missing("pii");
  if (needs.jailbreak && (c == nullptr || !c->has_jailbreak())) return missing("jailbreak");
  if (needs.embedding) {
    if (c == nullptr || !c->has_embedder()) return missing("embedding");
    auto emb = signals::EmbeddingSignal::Create(
        sig.embeddings, [c](std::string_view text) -> StatusOr<std::vector<float>> {
          std::vector<float> v;
          VSR_RETURN_IF_ERROR(c->Embed(text, &v));
          return v;
        });
    if (!emb.ok()) return emb.status().WithContext("embedding rules");
    p->embeddings_ = std::move(emb).value();
  }
  return p;
}

Status ClassifierSignalProvider::ComputeDomain(std::string_view text,
                                               signals::SignalResults* out) const {
  StatusOr<classification::ClassResult> r = classifiers_->Domain(text);
  if (!r.ok()) return r.status().WithContext("domain classifier");
  if (r->confidence >= domain_threshold_ || fallback_category_.empty()) {
    out->AddDomain(r->label, r->confidence);
  } else {
    out->AddDomain(fallback_category_, r->confidence);
  }
  return Status::OK();
}

Status ClassifierSignalProvider::ComputePii(std::string_view text,
                                            signals::SignalResults* out) const {
  StatusOr<std::vector<classification::Entity>> r = classifiers_->Pii(text);
  if (!r.ok()) return r.status().WithContext("pii classifier");
  for (const auto& e : *r) {
    if (e.confidence >= pii_threshold_) out->AddPii(e.type, e.confidence);
  }
  return Status::OK();
}

Status ClassifierSignalProvider::ComputeJailbreak(std::string_view text,
                                                  signals::SignalResults* out) const {
  StatusOr<classification::ClassResult> r = classifiers_->Jailbreak(text);
  if (!r.ok()) return r.status().WithContext("jailbreak classifier");
  out->SetJailbreak(IsJailbreakLabel(r->label), r->confidence);
  return Status::OK();
}

Status ClassifierSignalProvider::ComputeEmbedding(std::string_view text,
                                                  signals::SignalResults* out) const {
  thread_local std::vector<float> query;
  VSR_RETURN_IF_ERROR(classifiers_->Embed(text, &query).WithContext("embedding model"));
  return embeddings_->Score(query, out);
}

Status ClassifierSignalProvider::Compute(const SignalInput& input, const SignalNeeds& needs,
                                         signals::SignalResults* out) const {
  out->Clear();
  std::string_view text = input.query;
  if (needs.keyword && keywords_) VSR_RETURN_IF_ERROR(keywords_->Match(text, out));
  if (needs.context)
    out->token_count =
        classifiers_ ? classifiers_->CountTokens(text) : static_cast<int64_t>(text.size() / 4);

  // Model-backed signals. Each writes a disjoint part of SignalResults... except that
  // AddDomain/AddPii share no state with SetJailbreak or embedding_similarity, so parallel
  // tasks each get their own SignalResults and the results are merged afterwards.
  using Fn = Status (ClassifierSignalProvider::*)(std::string_view, signals::SignalResults*) const;
  std::array<Fn, 4> tasks{};
  size_t n = 0;
  if (needs.domain) tasks[n++] = &ClassifierSignalProvider::ComputeDomain;
  if (needs.pii) tasks[n++] = &ClassifierSignalProvider::ComputePii;
  if (needs.jailbreak) tasks[n++] = &ClassifierSignalProvider::ComputeJailbreak;
  if (needs.embedding && embeddings_) tasks[n++] = &ClassifierSignalProvider::ComputeEmbedding;
  if (n < 2 || !parallel_) {
    for (size_t i = 0; i < n; ++i) VSR_RETURN_IF_ERROR((this->*tasks[i])(text, out));
    return Status::OK();
  }
  std::array<signals::SignalResults, 4> partial;
  std::array<std::future<Status>, 4> futures;
  for (size_t i = 1; i < n; ++i) {
    futures[i] = std::async(std::launch::async, [this, fn = tasks[i], text, r = &partial[i]] {
      return (this->*fn)(text, r);
    });
  }
  Status first = (this->*tasks[0])(text, &partial[0]);
  Status result = first;
  for (size_t i = 1; i < n; ++i) {
    Status s = futures[i].get();
    if (result.ok() && !s.ok()) result = s;
  }
  VSR_RETURN_IF_ERROR(result);
  for (size_t i = 0; i < n; ++i) {
    const signals::SignalResults& p = partial[i];
    for (const auto& d : p.domains()) out->AddDomain(d.label, d.confidence);
    for (const auto& d : p.pii()) out->AddPii(d.type, d.confidence);
    if (p.jailbreak_evaluated) out->SetJailbreak(p.jailbreak_detected, p.jailbreak_confidence);
    if (!p.embedding_similarity.empty()) out->embedding_similarity = p.embedding_similarity;
  }
  return Status::OK();
}

}  // namespace vsr::router
