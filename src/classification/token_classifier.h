// TokenClassifier: text -> entities (type, text, byte span, confidence) from an HF token
// classification model (BertForTokenClassification / ModernBertForTokenClassification).
//
// Per-token labels are aggregated with BIO rules: B-X starts an entity of type X, I-X
// continues an open entity of the same type (an I-X without one starts a new entity), O and
// special tokens close it. WordPiece continuations ("##") never split an entity.
// Labels without a B-/I- prefix are treated as I- (adjacent equal labels merge).
// Thread-safe.
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

class TokenClassifier {
 public:
  static StatusOr<std::unique_ptr<TokenClassifier>> Load(const std::string& model_dir,
                                                         const EngineOptions& options = {});
  ~TokenClassifier();

  StatusOr<std::vector<Entity>> Classify(std::string_view text) const;
  StatusOr<std::vector<std::vector<Entity>>> ClassifyBatch(
      std::span<const std::string_view> texts) const;

  const std::vector<std::string>& labels() const;
  // The engine and tokenizer underneath (for benchmarks and tools).
  const inference::EncoderModel& model() const;
  const Tokenizer& tokenizer() const;

  struct Impl;

 private:
  explicit TokenClassifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::classification
