#include "classification/ngram_head.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "classification/model_bundle.h"
#include "inference/safetensors.h"

namespace vsr::classification {

StatusOr<std::unique_ptr<NgramHead>> NgramHead::Load(const std::string& model_dir,
                                                     int64_t vocab_size, int64_t num_labels) {
  namespace fs = std::filesystem;
  const std::string config_path = (fs::path(model_dir) / "config.json").string();
  std::ifstream in(config_path);
  if (!in) return Status::NotFound("cannot open " + config_path);
  const nlohmann::json config = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object()) {
    return Status::InvalidArgument(config_path + ": not a JSON object");
  }
  const auto it = config.find("ngram_head");
  if (it == config.end()) return std::unique_ptr<NgramHead>();
  const auto bad = [&](const std::string& what) {
    return Status::InvalidArgument(config_path + ": \"ngram_head\" " + what);
  };
  const nlohmann::json& spec = *it;
  if (!spec.is_object()) return bad("must be an object with \"buckets\" and \"weight\"");
  const auto buckets = spec.find("buckets");
  if (buckets == spec.end() || !buckets->is_number_integer() || buckets->get<int64_t>() < 1 ||
      buckets->get<int64_t>() > (int64_t{1} << 26)) {
    return bad("needs an integer \"buckets\" in [1, 2^26]");
  }
  const auto weight = spec.find("weight");
  if (weight == spec.end() || !weight->is_number() || !(weight->get<double>() >= 0.0) ||
      weight->get<double>() > 1.0) {
    return bad("needs a number \"weight\" in [0, 1]");
  }
  std::unique_ptr<NgramHead> head(new NgramHead());
  head->vocab_size_ = vocab_size;
  head->num_labels_ = num_labels;
  head->buckets_ = buckets->get<int64_t>();
  head->weight_ = weight->get<float>();

  const std::string path = (fs::path(model_dir) / "ngram_head.safetensors").string();
  auto file = inference::SafeTensorsFile::Open(path);
  if (!file.ok()) return file.status().WithContext("config.json names an ngram_head");
  auto rows = file->ToFloat("ngram_head.weight", {vocab_size + head->buckets_, num_labels});
  if (!rows.ok()) return rows.status().WithContext(path);
  head->rows_ = std::move(rows).value();
  return head;
}

void NgramHead::Mix(const Encoding& encoding, float* probabilities) const {
  thread_local std::vector<float> logits;
  logits.assign(static_cast<size_t>(num_labels_), 0.0f);
  const auto add_row = [&](uint64_t row) {
    const float* w = rows_.data() + row * static_cast<uint64_t>(num_labels_);
    for (int64_t c = 0; c < num_labels_; ++c) logits[static_cast<size_t>(c)] += w[c];
  };
  int64_t features = 0;
  int64_t previous = -1;  // the last non-special id, for the pair feature
  for (size_t i = 0; i < encoding.ids.size(); ++i) {
    const int64_t id = encoding.ids[i];
    // Specials are skipped; so are ids the checkpoint has no row for (ModelBundle already
    // refuses tokenizers larger than the model's vocab_size, this is belt and braces).
    if (encoding.special_tokens_mask[i] != 0 || id < 0 || id >= vocab_size_) continue;
    add_row(static_cast<uint64_t>(id));
    ++features;
    if (previous >= 0) {
      const uint64_t pair =
          static_cast<uint64_t>(previous) * kPairMultiplier + static_cast<uint64_t>(id);
      add_row(static_cast<uint64_t>(vocab_size_) + pair % static_cast<uint64_t>(buckets_));
      ++features;
    }
    previous = id;
  }
  if (features == 0) return;
  for (float& l : logits) l /= static_cast<float>(features);
  Softmax(logits.data(), logits.size());
  for (int64_t c = 0; c < num_labels_; ++c) {
    probabilities[c] =
        (1.0f - weight_) * probabilities[c] + weight_ * logits[static_cast<size_t>(c)];
  }
}

}  // namespace vsr::classification
