// Embedder: text -> sentence embedding (mean pooling over the real tokens of the last
// hidden state, then L2 normalisation), from an HF encoder model directory. Thread-safe.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/engine_options.h"

namespace vsr::classification {

using inference::EngineOptions;

class Embedder {
 public:
  static StatusOr<std::unique_ptr<Embedder>> Load(const std::string& model_dir,
                                                  const EngineOptions& options = {});
  ~Embedder();

  StatusOr<std::vector<float>> Embed(std::string_view text) const;
  StatusOr<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string_view> texts) const;
  size_t dim() const;

  struct Impl;

 private:
  explicit Embedder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::classification
