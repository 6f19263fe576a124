#include "classification/token_classifier.h"

#include <algorithm>

#include "classification/bio.h"
#include "classification/model_bundle.h"

namespace vsr::classification {

struct TokenClassifier::Impl {
  ModelBundle bundle;
  std::vector<uint8_t> is_continuation;  // per vocabulary id: token starts with "##"
};

TokenClassifier::TokenClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TokenClassifier::~TokenClassifier() = default;

const std::vector<std::string>& TokenClassifier::labels() const { return impl_->bundle.labels; }
const inference::EncoderModel& TokenClassifier::model() const { return *impl_->bundle.model; }
const Tokenizer& TokenClassifier::tokenizer() const { return *impl_->bundle.tokenizer; }

StatusOr<std::unique_ptr<TokenClassifier>> TokenClassifier::Load(const std::string& model_dir,
                                                                 const EngineOptions& options) {
  auto bundle = ModelBundle::Load(model_dir, options);
  if (!bundle.ok()) return bundle.status();
  if (bundle->model->head() != inference::HeadKind::kToken) {
    return Status::InvalidArgument("model directory " + model_dir +
                                   " is not a token classifier (config.json architectures must "
                                   "name *ForTokenClassification and the checkpoint must hold "
                                   "classifier.weight)");
  }
  auto impl = std::make_unique<Impl>();
  impl->bundle = std::move(bundle).value();
  const Tokenizer& tok = *impl->bundle.tokenizer;
  if (tok.model_type() == "wordpiece") {
    impl->is_continuation.resize(tok.vocab_size());
    for (size_t id = 0; id < tok.vocab_size(); ++id) {
      impl->is_continuation[id] = tok.IdToToken(static_cast<int32_t>(id)).rfind("##", 0) == 0;
    }
  }
  return std::unique_ptr<TokenClassifier>(new TokenClassifier(std::move(impl)));
}

StatusOr<std::vector<std::vector<Entity>>> TokenClassifier::ClassifyBatch(
    std::span<const std::string_view> texts) const {
  const ModelBundle& b = impl_->bundle;
  thread_local inference::PackedBatch batch;
  thread_local std::vector<Encoding> encodings;
  thread_local std::vector<float> logits;
  thread_local std::vector<TokenPrediction> preds;
  VSR_RETURN_IF_ERROR(b.Encode(texts, &batch, &encodings));
  VSR_RETURN_IF_ERROR(b.model->RunTokenLogits(batch, &logits));
  const size_t n = b.labels.size();
  std::vector<std::vector<Entity>> results(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const Encoding& e = encodings[i];
    preds.clear();
    for (size_t t = 0; t < e.ids.size(); ++t) {
      float* row =
          logits.data() + (static_cast<size_t>(batch.begin(static_cast<int64_t>(i))) + t) * n;
      Softmax(row, n);
      const float* best = std::max_element(row, row + n);
      TokenPrediction p;
      p.label = static_cast<int32_t>(best - row);
      p.probability = *best;
      p.begin = e.offsets[t].first;
      p.end = e.offsets[t].second;
      p.special = e.special_tokens_mask[t] != 0;
      const auto id = static_cast<size_t>(e.ids[t]);
      p.continuation = id < impl_->is_continuation.size() && impl_->is_continuation[id];
      preds.push_back(p);
    }
    results[i] = AggregateBio(texts[i], preds, b.labels);
  }
  return results;
}

StatusOr<std::vector<Entity>> TokenClassifier::Classify(std::string_view text) const {
  auto r = ClassifyBatch(std::span<const std::string_view>(&text, 1));
  if (!r.ok()) return r.status();
  return std::move(r->front());
}

}  // namespace vsr::classification
