#include "router/model_classifiers.h"

#include <atomic>

#include "tokenizer/tokenizer.h"

namespace vsr::router {

namespace {
template <typename T>
Status LoadOne(const std::string& dir, std::string_view what, const inference::EngineOptions& opts,
               std::unique_ptr<T>* out) {
  if (dir.empty()) return Status::OK();
  auto r = T::Load(dir, opts);
  if (!r.ok()) {
    return r.status().WithContext(std::string(what) + " model '" + dir + "'");
  }
  *out = std::move(r).value();
  return Status::OK();
}
}  // namespace

StatusOr<std::unique_ptr<ModelClassifiers>> ModelClassifiers::Load(
    const config::ModelCatalogConfig& catalog) {
  static std::atomic<uint64_t> next_id{1};
  std::unique_ptr<ModelClassifiers> m(new ModelClassifiers());
  m->id_ = next_id.fetch_add(1, std::memory_order_relaxed);
  classification::EngineOptions opts;
  opts.threads = catalog.threads;
  if (!inference::SetWeightFormat(catalog.weights, &opts)) {
    return Status::InvalidArgument(
        "global.model_catalog.weights: expected f32, bf16 or int8, got '" + catalog.weights + "'");
  }
  VSR_RETURN_IF_ERROR(LoadOne(catalog.domain.model_dir, "domain", opts, &m->domain_));
  VSR_RETURN_IF_ERROR(LoadOne(catalog.pii.model_dir, "pii", opts, &m->pii_));
  VSR_RETURN_IF_ERROR(LoadOne(catalog.jailbreak.model_dir, "jailbreak", opts, &m->jailbreak_));
  VSR_RETURN_IF_ERROR(LoadOne(catalog.embedding.model_dir, "embedding", opts, &m->embedder_));
  return m;
}

StatusOr<classification::ClassResult> ModelClassifiers::Domain(std::string_view text) const {
  if (!domain_) return Status::FailedPrecondition("no domain model configured");
  return domain_->Classify(text);
}

StatusOr<std::vector<classification::Entity>> ModelClassifiers::Pii(std::string_view text) const {
  if (!pii_) return Status::FailedPrecondition("no pii model configured");
  return pii_->Classify(text);
}

StatusOr<classification::ClassResult> ModelClassifiers::Jailbreak(std::string_view text) const {
  if (!jailbreak_) return Status::FailedPrecondition("no jailbreak model configured");
  return jailbreak_->Classify(text);
}

Status ModelClassifiers::Embed(std::string_view text, std::vector<float>* out) const {
  if (!embedder_) return Status::FailedPrecondition("no embedding model configured");
  // The router embeds a prompt twice on one thread (embedding signals, then the semantic
  // cache): the thread's last result is kept and returned for the same text of the same
  // instance (ids are never reused, so a new instance at the same address cannot match).
  struct Memo {
    uint64_t owner = 0;
    std::string text;
    std::vector<float> embedding;
  };
  thread_local Memo memo;
  if (memo.owner == id_ && memo.text == text) {
    out->assign(memo.embedding.begin(), memo.embedding.end());
    return Status::OK();
  }
  auto r = embedder_->Embed(text);
  if (!r.ok()) return r.status();
  memo.owner = 0;  // stays invalid if the copies below throw
  memo.text.assign(text);
  memo.embedding.assign(r->begin(), r->end());
  memo.owner = id_;
  *out = std::move(r).value();
  return Status::OK();
}

int64_t ModelClassifiers::CountTokens(std::string_view text) const {
  if (domain_) {
    thread_local Encoding enc;
    if (domain_->tokenizer().Encode(text, &enc, /*add_special_tokens=*/false, 1 << 20).ok()) {
      return static_cast<int64_t>(enc.ids.size());
    }
  }
  return static_cast<int64_t>((text.size() + 3) / 4);
}

}  // namespace vsr::router
