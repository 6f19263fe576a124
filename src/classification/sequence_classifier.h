// SequenceClassifier: text -> class label, confidence and probabilities, from an HF model
// directory (config.json with id2label, model.safetensors, tokenizer.json or vocab.txt,
// optional upstream label-mapping file such as category_mapping.json, optional n-gram head
// averaged into the probabilities: ngram_head.h).
//
// A batch of texts runs as one packed forward pass: sequences of mixed lengths cost what
// their real tokens cost (no padding). Thread-safe: ClassifyBatch may be called from many
// threads at once.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "classification/results.h"
#include "common/status.h"
#include "inference/engine_options.h"

namespace vsr {
class Tokenizer;
namespace inference {
class EncoderModel;
}
}  // namespace vsr

namespace vsr::classification {

using inference::EngineOptions;

class SequenceClassifier {
 public:
  static StatusOr<std::unique_ptr<SequenceClassifier>> Load(const std::string& model_dir,
                                                            const EngineOptions& options = {});
  ~SequenceClassifier();

  StatusOr<std::vector<ClassResult>> ClassifyBatch(std::span<const std::string_view> texts) const;
  StatusOr<ClassResult> Classify(std::string_view text) const;

  // Class names in class-id order (from the mapping file, else config.json id2label).
  const std::vector<std::string>& labels() const;
  // The engine and tokenizer underneath (for benchmarks and tools).
  const inference::EncoderModel& model() const;
  const Tokenizer& tokenizer() const;

  struct Impl;

 private:
  explicit SequenceClassifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::classification
