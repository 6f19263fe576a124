#include "inference/encoder_model.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "inference/encoder.h"
#include "inference/gemm.h"
#include "inference/packed_matrix.h"
#include "inference/thread_pool.h"
#include "inference/weight_loader.h"

namespace vsr::inference {
namespace {

bool Contains(const std::vector<std::string>& v, std::string_view needle) {
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

}  // namespace

EncoderModel::EncoderModel() = default;
EncoderModel::~EncoderModel() = default;

int EncoderModel::threads() const { return pool_->size(); }

StatusOr<std::unique_ptr<EncoderModel>> EncoderModel::Load(const std::string& model_dir,
                                                           const EngineOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(model_dir, ec)) {
    return Status::NotFound("model directory " + model_dir + " does not exist");
  }
  auto config = ModelConfig::Load((fs::path(model_dir) / "config.json").string());
  if (!config.ok()) return config.status();
  auto weights = SafeTensorsFile::Open((fs::path(model_dir) / "model.safetensors").string());
  if (!weights.ok()) return weights.status();
  return FromParts(*config, *weights, options);
}

StatusOr<std::unique_ptr<EncoderModel>> EncoderModel::FromParts(const ModelConfig& config,
                                                                const SafeTensorsFile& weights,
                                                                const EngineOptions& options) {
  InitGemmLibrary();
  std::unique_ptr<EncoderModel> m(new EncoderModel());
  m->config_ = config;
  const int64_t option_len = static_cast<int64_t>(std::max<size_t>(options.max_length, 1));
  m->max_len_ = std::min(config.max_position_embeddings, option_len);
  std::vector<std::string> prefixes;
  if (config.arch == Architecture::kBert) {
    prefixes = {"bert.", "", "model."};
  } else {
    prefixes = {"model.", ""};
  }
  WeightLoader encoder_weights(weights, prefixes);
  encoder_weights.set_pack_format(options.int8_weights   ? WeightFormat::kInt8
                                  : options.bf16_weights ? WeightFormat::kBF16
                                                         : WeightFormat::kF32);
  auto enc = config.arch == Architecture::kBert
                 ? LoadBertEncoder(config, encoder_weights, m->max_len_)
                 : LoadModernBertEncoder(config, encoder_weights, m->max_len_);
  if (!enc.ok()) return enc.status();
  m->encoder_ = std::move(enc).value();

  // The head: "classifier.*" at the top level. Its kind comes from `architectures`.
  const int64_t H = config.hidden_size;
  if (const TensorInfo* cw = weights.Find("classifier.weight")) {
    if (cw->shape.size() != 2 || cw->shape[1] != H) {
      return Status::InvalidArgument(weights.path() + ": classifier.weight must be [num_labels, " +
                                     std::to_string(H) + "]");
    }
    m->num_labels_ = cw->shape[0];
    if (config.num_labels() != 0 && config.num_labels() != m->num_labels_) {
      return Status::InvalidArgument(
          weights.path() + ": classifier has " + std::to_string(m->num_labels_) +
          " labels but config.json id2label has " + std::to_string(config.num_labels()));
    }
    WeightLoader top(weights, {""});
    std::vector<float> cls;
    VSR_RETURN_IF_ERROR(top.Get("classifier.weight", {m->num_labels_, H}, &cls));
    m->classifier_w_ = std::make_unique<PackedMatrix>();
    m->classifier_w_->Pack(cls, m->num_labels_, H);
    VSR_RETURN_IF_ERROR(top.GetOptional("classifier.bias", {m->num_labels_}, &m->classifier_b_));
    m->head_ = Contains(config.architectures, "TokenClassification") ? HeadKind::kToken
                                                                     : HeadKind::kSequence;
  }
  m->pool_ = std::make_unique<ThreadPool>(std::max(1, options.threads), options.spin_us);
  return m;
}

std::unique_ptr<Workspace> EncoderModel::AcquireWorkspace() const {
  {
    std::lock_guard<std::mutex> lock(ws_mu_);
    if (!free_workspaces_.empty()) {
      auto ws = std::move(free_workspaces_.back());
      free_workspaces_.pop_back();
      return ws;
    }
  }
  return std::make_unique<Workspace>();
}

void EncoderModel::ReleaseWorkspace(std::unique_ptr<Workspace> ws) const {
  std::lock_guard<std::mutex> lock(ws_mu_);
  free_workspaces_.push_back(std::move(ws));
}

Status EncoderModel::Validate(const PackedBatch& batch) const {
  if (batch.offsets.empty() || batch.offsets.front() != 0 ||
      batch.offsets.back() != batch.num_tokens()) {
    return Status::InvalidArgument("packed batch offsets do not cover its tokens");
  }
  if (!batch.type_ids.empty() && batch.type_ids.size() != batch.ids.size()) {
    return Status::InvalidArgument("packed batch type_ids and ids differ in length");
  }
  for (int64_t s = 0; s < batch.num_sequences(); ++s) {
    const int64_t L = batch.length(s);
    if (L <= 0) return Status::InvalidArgument("sequence " + std::to_string(s) + " is empty");
    if (L > max_len_) {
      return Status::InvalidArgument("sequence " + std::to_string(s) + " has " + std::to_string(L) +
                                     " tokens; the model accepts at most " +
                                     std::to_string(max_len_));
    }
  }
  for (int32_t id : batch.ids) {
    if (id < 0 || id >= config_.vocab_size) {
      return Status::InvalidArgument("token id " + std::to_string(id) +
                                     " is outside the vocabulary (size " +
                                     std::to_string(config_.vocab_size) + ")");
    }
  }
  for (int32_t t : batch.type_ids) {
    if (t < 0 || t >= std::max<int64_t>(config_.type_vocab_size, 1)) {
      return Status::InvalidArgument("token type id " + std::to_string(t) + " is out of range");
    }
  }
  return Status::OK();
}

Status EncoderModel::RunHidden(const PackedBatch& batch, std::vector<float>* out) const {
  VSR_RETURN_IF_ERROR(Validate(batch));
  auto ws = AcquireWorkspace();
  encoder_->Forward(batch, pool_.get(), ws.get());
  const size_t n = static_cast<size_t>(batch.num_tokens() * config_.hidden_size);
  out->assign(ws->h.begin(), ws->h.begin() + static_cast<long>(n));
  ReleaseWorkspace(std::move(ws));
  return Status::OK();
}

Status EncoderModel::RunSequenceLogits(const PackedBatch& batch, std::vector<float>* out) const {
  if (head_ != HeadKind::kSequence) {
    return Status::FailedPrecondition(
        "model has no sequence-classification head (classifier.weight with a "
        "*ForSequenceClassification architecture)");
  }
  VSR_RETURN_IF_ERROR(Validate(batch));
  auto ws = AcquireWorkspace();
  encoder_->Forward(batch, pool_.get(), ws.get());
  Status st = encoder_->SequenceFeatures(batch, pool_.get(), ws.get());
  if (st.ok()) {
    const int64_t n = batch.num_sequences();
    out->resize(static_cast<size_t>(n * num_labels_));
    Linear(nullptr, ws->features.data(), n, *classifier_w_,
           classifier_b_.empty() ? nullptr : classifier_b_.data(), out->data(), num_labels_,
           Activation::kNone);
  }
  ReleaseWorkspace(std::move(ws));
  return st;
}

Status EncoderModel::RunTokenLogits(const PackedBatch& batch, std::vector<float>* out) const {
  if (head_ != HeadKind::kToken) {
    return Status::FailedPrecondition(
        "model has no token-classification head (classifier.weight with a "
        "*ForTokenClassification architecture)");
  }
  VSR_RETURN_IF_ERROR(Validate(batch));
  auto ws = AcquireWorkspace();
  encoder_->Forward(batch, pool_.get(), ws.get());
  encoder_->TokenFeatures(batch, pool_.get(), ws.get());
  const int64_t T = batch.num_tokens();
  out->resize(static_cast<size_t>(T * num_labels_));
  Linear(pool_.get(), ws->features.data(), T, *classifier_w_,
         classifier_b_.empty() ? nullptr : classifier_b_.data(), out->data(), num_labels_,
         Activation::kNone);
  ReleaseWorkspace(std::move(ws));
  return Status::OK();
}

Status EncoderModel::RunMeanPooled(const PackedBatch& batch, bool normalize,
                                   std::vector<float>* out) const {
  VSR_RETURN_IF_ERROR(Validate(batch));
  auto ws = AcquireWorkspace();
  encoder_->Forward(batch, pool_.get(), ws.get());
  const int64_t n = batch.num_sequences(), H = config_.hidden_size;
  out->resize(static_cast<size_t>(n * H));
  MeanPool(batch, ws->h.data(), H, out->data());
  if (normalize) {
    for (int64_t s = 0; s < n; ++s) {
      float* v = out->data() + s * H;
      double sum = 0;
      for (int64_t j = 0; j < H; ++j) sum += static_cast<double>(v[j]) * v[j];
      const float inv = static_cast<float>(1.0 / std::max(std::sqrt(sum), 1e-12));
      for (int64_t j = 0; j < H; ++j) v[j] *= inv;
    }
  }
  ReleaseWorkspace(std::move(ws));
  return Status::OK();
}

double EncoderModel::Flops(const PackedBatch& batch) const { return encoder_->Flops(batch); }

}  // namespace vsr::inference
