#include "classification/embedder.h"

#include "classification/model_bundle.h"

namespace vsr::classification {

struct Embedder::Impl {
  ModelBundle bundle;
};

Embedder::Embedder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Embedder::~Embedder() = default;

size_t Embedder::dim() const { return static_cast<size_t>(impl_->bundle.model->hidden_size()); }

StatusOr<std::unique_ptr<Embedder>> Embedder::Load(const std::string& model_dir,
                                                   const EngineOptions& options) {
  auto bundle = ModelBundle::Load(model_dir, options);
  if (!bundle.ok()) return bundle.status();
  auto impl = std::make_unique<Impl>();
  impl->bundle = std::move(bundle).value();
  return std::unique_ptr<Embedder>(new Embedder(std::move(impl)));
}

StatusOr<std::vector<std::vector<float>>> Embedder::EmbedBatch(
    std::span<const std::string_view> texts) const {
  const ModelBundle& b = impl_->bundle;
  thread_local inference::PackedBatch batch;
  thread_local std::vector<float> pooled;
  VSR_RETURN_IF_ERROR(b.Encode(texts, &batch, nullptr));
  VSR_RETURN_IF_ERROR(b.model->RunMeanPooled(batch, /*normalize=*/true, &pooled));
  const size_t d = dim();
  std::vector<std::vector<float>> out(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    out[i].assign(pooled.begin() + static_cast<long>(i * d),
                  pooled.begin() + static_cast<long>((i + 1) * d));
  }
  return out;
}

StatusOr<std::vector<float>> Embedder::Embed(std::string_view text) const {
  auto r = EmbedBatch(std::span<const std::string_view>(&text, 1));
  if (!r.ok()) return r.status();
  return std::move(r->front());
}

}  // namespace vsr::classification
