#include "classification/model_bundle.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace vsr::classification {

StatusOr<std::vector<std::string>> LoadLabelMapping(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open label mapping " + path);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument(path + ": not a JSON object");
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key().rfind("idx_to_", 0) != 0 || !it.value().is_object()) continue;
    const auto& m = it.value();
    std::vector<std::string> labels(m.size());
    for (auto e = m.begin(); e != m.end(); ++e) {
      size_t idx = 0, pos = 0;
      try {
        idx = std::stoul(e.key(), &pos);
      } catch (...) {
        pos = 0;
      }
      if (pos != e.key().size() || idx >= m.size() || !e.value().is_string()) {
        return Status::InvalidArgument(path + ": '" + it.key() +
                                       "' must map 0..n-1 to strings (bad key '" + e.key() + "')");
      }
      labels[idx] = e.value().get<std::string>();
    }
    return labels;
  }
  return Status::InvalidArgument(path + ": no idx_to_* object");
}

void Softmax(float* x, size_t n) {
  if (n == 0) return;
  const float mx = *std::max_element(x, x + n);
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - mx);
    sum += x[i];
  }
  for (size_t i = 0; i < n; ++i) x[i] /= sum;
}

StatusOr<ModelBundle> ModelBundle::Load(const std::string& model_dir,
                                        const inference::EngineOptions& options) {
  namespace fs = std::filesystem;
  ModelBundle b;
  auto model = inference::EncoderModel::Load(model_dir, options);
  if (!model.ok()) return model.status();
  b.model = std::move(model).value();
  auto tok = Tokenizer::FromModelDir(model_dir);
  if (!tok.ok()) {
    return tok.status().WithContext("model directory " + model_dir + ": loading the tokenizer");
  }
  b.tokenizer = std::move(tok).value();
  if (static_cast<int64_t>(b.tokenizer->vocab_size()) > b.model->config().vocab_size) {
    return Status::InvalidArgument("model directory " + model_dir + ": the tokenizer has " +
                                   std::to_string(b.tokenizer->vocab_size()) +
                                   " tokens but the model's vocab_size is " +
                                   std::to_string(b.model->config().vocab_size));
  }
  b.max_length = static_cast<size_t>(b.model->max_sequence_length());

  const int64_t n = b.model->num_labels();
  for (const char* f : {"category_mapping.json", "pii_type_mapping.json",
                        "jailbreak_type_mapping.json", "label_mapping.json"}) {
    const fs::path p = fs::path(model_dir) / f;
    std::error_code ec;
    if (!fs::exists(p, ec)) continue;
    auto labels = LoadLabelMapping(p.string());
    if (!labels.ok()) return labels.status();
    if (static_cast<int64_t>(labels->size()) != n) {
      return Status::InvalidArgument(p.string() + " has " + std::to_string(labels->size()) +
                                     " labels but the model's classifier has " + std::to_string(n));
    }
    b.labels = std::move(labels).value();
    break;
  }
  if (b.labels.empty()) b.labels = b.model->config().id2label;
  if (static_cast<int64_t>(b.labels.size()) != n) {
    b.labels.clear();
    for (int64_t i = 0; i < n; ++i) b.labels.push_back("LABEL_" + std::to_string(i));
  }
  return b;
}

Status ModelBundle::Encode(std::span<const std::string_view> texts, inference::PackedBatch* batch,
                           std::vector<Encoding>* encodings) const {
  batch->Clear();
  thread_local Encoding scratch;
  if (encodings && encodings->size() < texts.size()) encodings->resize(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    Encoding* e = encodings ? &(*encodings)[i] : &scratch;
    VSR_RETURN_IF_ERROR(tokenizer->Encode(texts[i], e, /*add_special_tokens=*/true, max_length));
    if (e->ids.empty()) {  // a tokenizer without special tokens on an empty text
      e->ids.push_back(tokenizer->unk_id() >= 0 ? tokenizer->unk_id() : 0);
      e->offsets.emplace_back(0, 0);
      e->special_tokens_mask.push_back(1);
    }
    batch->Add(e->ids);
  }
  return Status::OK();
}

}  // namespace vsr::classification
