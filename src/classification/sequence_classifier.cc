#include "classification/sequence_classifier.h"

#include <algorithm>

#include "classification/model_bundle.h"
#include "classification/ngram_head.h"

namespace vsr::classification {

struct SequenceClassifier::Impl {
  ModelBundle bundle;
  std::unique_ptr<NgramHead> ngram;  // null unless config.json names one
};

SequenceClassifier::SequenceClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SequenceClassifier::~SequenceClassifier() = default;

const std::vector<std::string>& SequenceClassifier::labels() const { return impl_->bundle.labels; }
const inference::EncoderModel& SequenceClassifier::model() const { return *impl_->bundle.model; }
const Tokenizer& SequenceClassifier::tokenizer() const { return *impl_->bundle.tokenizer; }

StatusOr<std::unique_ptr<SequenceClassifier>> SequenceClassifier::Load(
    const std::string& model_dir, const EngineOptions& options) {
  auto bundle = ModelBundle::Load(model_dir, options);
  if (!bundle.ok()) return bundle.status();
  if (bundle->model->head() != inference::HeadKind::kSequence) {
    return Status::InvalidArgument("model directory " + model_dir +
                                   " is not a sequence classifier (config.json architectures "
                                   "must name *ForSequenceClassification and the checkpoint "
                                   "must hold classifier.weight)");
  }
  auto impl = std::make_unique<Impl>();
  impl->bundle = std::move(bundle).value();
  auto ngram = NgramHead::Load(model_dir, impl->bundle.model->config().vocab_size,
                               impl->bundle.model->num_labels());
  if (!ngram.ok()) return ngram.status().WithContext("model directory " + model_dir);
  impl->ngram = std::move(ngram).value();
  return std::unique_ptr<SequenceClassifier>(new SequenceClassifier(std::move(impl)));
}

StatusOr<std::vector<ClassResult>> SequenceClassifier::ClassifyBatch(
    std::span<const std::string_view> texts) const {
  const ModelBundle& b = impl_->bundle;
  thread_local inference::PackedBatch batch;
  thread_local std::vector<float> logits;
  thread_local std::vector<Encoding> encodings;  // kept for the n-gram head only
  const NgramHead* ngram = impl_->ngram.get();
  VSR_RETURN_IF_ERROR(b.Encode(texts, &batch, ngram ? &encodings : nullptr));
  VSR_RETURN_IF_ERROR(b.model->RunSequenceLogits(batch, &logits));
  const size_t n = b.labels.size();
  std::vector<ClassResult> results(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    ClassResult& r = results[i];
    r.probabilities.assign(logits.begin() + static_cast<long>(i * n),
                           logits.begin() + static_cast<long>((i + 1) * n));
    Softmax(r.probabilities.data(), n);
    if (ngram) ngram->Mix(encodings[i], r.probabilities.data());
    auto best = std::max_element(r.probabilities.begin(), r.probabilities.end());
    r.class_id = static_cast<int32_t>(best - r.probabilities.begin());
    r.confidence = *best;
    r.label = b.labels[static_cast<size_t>(r.class_id)];
  }
  return results;
}

StatusOr<ClassResult> SequenceClassifier::Classify(std::string_view text) const {
  auto r = ClassifyBatch(std::span<const std::string_view>(&text, 1));
  if (!r.ok()) return r.status();
  return std::move(r->front());
}

}  // namespace vsr::classification
