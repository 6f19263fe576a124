// ModelClassifiers: TextClassifiers backed by real encoder models (Hugging Face directories
// named in global.model_catalog). A model whose directory is "" is simply absent; a named
// directory that does not load is an error naming the model and the directory.
//
// Embed remembers each thread's last (text, embedding) and answers a repeat of the same text
// from it: the router embeds the prompt for the embedding signals and again for the
// semantic cache, on the same thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "classification/embedder.h"
#include "classification/sequence_classifier.h"
#include "classification/token_classifier.h"
#include "config/config.h"
#include "router/text_classifiers.h"

namespace vsr::router {

class ModelClassifiers final : public TextClassifiers {
 public:
  static StatusOr<std::unique_ptr<ModelClassifiers>> Load(
      const config::ModelCatalogConfig& catalog);

  bool has_domain() const override { return domain_ != nullptr; }
  bool has_pii() const override { return pii_ != nullptr; }
  bool has_jailbreak() const override { return jailbreak_ != nullptr; }
  bool has_embedder() const override { return embedder_ != nullptr; }
  StatusOr<classification::ClassResult> Domain(std::string_view text) const override;
  StatusOr<std::vector<classification::Entity>> Pii(std::string_view text) const override;
  StatusOr<classification::ClassResult> Jailbreak(std::string_view text) const override;
  Status Embed(std::string_view text, std::vector<float>* out) const override;
  int64_t CountTokens(std::string_view text) const override;

 private:
  ModelClassifiers() = default;
  std::unique_ptr<classification::SequenceClassifier> domain_;
  std::unique_ptr<classification::TokenClassifier> pii_;
  std::unique_ptr<classification::SequenceClassifier> jailbreak_;
  std::unique_ptr<classification::Embedder> embedder_;
  uint64_t id_ = 0;  // process-unique, keys the per-thread embedding memo
};

}  // namespace vsr::router
