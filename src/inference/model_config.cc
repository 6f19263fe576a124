#include "inference/model_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vsr::inference {
namespace {

using nlohmann::json;

template <typename T>
Status Read(const json& j, const char* key, T* out, const std::string& name) {
  if (!j.contains(key) || j[key].is_null()) return Status::OK();
  const json& v = j[key];
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) return Status::InvalidArgument(name + ": '" + key + "' must be a bool");
    *out = v.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!v.is_number_integer()) {
      return Status::InvalidArgument(name + ": '" + key + "' must be an integer");
    }
    *out = v.get<T>();
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) return Status::InvalidArgument(name + ": '" + key + "' must be a number");
    *out = v.get<T>();
  } else {
    if (!v.is_string()) return Status::InvalidArgument(name + ": '" + key + "' must be a string");
    *out = v.get<std::string>();
  }
  return Status::OK();
}

}  // namespace

StatusOr<ModelConfig> ModelConfig::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open model config " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

StatusOr<ModelConfig> ModelConfig::Parse(const std::string& json_text, const std::string& name) {
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument(name + ": not a JSON object");
  }
  ModelConfig c;
  VSR_RETURN_IF_ERROR(Read(j, "model_type", &c.model_type, name));
  if (c.model_type == "bert") {
    c.arch = Architecture::kBert;
  } else if (c.model_type == "modernbert") {
    c.arch = Architecture::kModernBert;
    c.vocab_size = 50368;
    c.intermediate_size = 1152;
    c.num_hidden_layers = 22;
    c.max_position_embeddings = 8192;
    c.layer_norm_eps = 1e-5;
    c.pad_token_id = 50283;
  } else {
    return Status::Unimplemented(name + ": model_type '" + c.model_type +
                                 "' is not supported (bert, modernbert)");
  }
  if (j.contains("architectures") && j["architectures"].is_array()) {
    for (const auto& a : j["architectures"]) {
      if (a.is_string()) c.architectures.push_back(a.get<std::string>());
    }
  }
  VSR_RETURN_IF_ERROR(Read(j, "vocab_size", &c.vocab_size, name));
  VSR_RETURN_IF_ERROR(Read(j, "hidden_size", &c.hidden_size, name));
  VSR_RETURN_IF_ERROR(Read(j, "num_hidden_layers", &c.num_hidden_layers, name));
  VSR_RETURN_IF_ERROR(Read(j, "num_attention_heads", &c.num_attention_heads, name));
  VSR_RETURN_IF_ERROR(Read(j, "intermediate_size", &c.intermediate_size, name));
  VSR_RETURN_IF_ERROR(Read(j, "max_position_embeddings", &c.max_position_embeddings, name));
  VSR_RETURN_IF_ERROR(Read(j, "type_vocab_size", &c.type_vocab_size, name));
  VSR_RETURN_IF_ERROR(Read(j, "pad_token_id", &c.pad_token_id, name));
  if (c.arch == Architecture::kBert) {
    VSR_RETURN_IF_ERROR(Read(j, "layer_norm_eps", &c.layer_norm_eps, name));
    VSR_RETURN_IF_ERROR(Read(j, "hidden_act", &c.hidden_act, name));
  } else {
    VSR_RETURN_IF_ERROR(Read(j, "norm_eps", &c.layer_norm_eps, name));
    VSR_RETURN_IF_ERROR(Read(j, "hidden_activation", &c.hidden_act, name));
    VSR_RETURN_IF_ERROR(Read(j, "global_attn_every_n_layers", &c.global_attn_every_n_layers, name));
    VSR_RETURN_IF_ERROR(Read(j, "local_attention", &c.local_attention, name));
    VSR_RETURN_IF_ERROR(Read(j, "global_rope_theta", &c.global_rope_theta, name));
    VSR_RETURN_IF_ERROR(Read(j, "local_rope_theta", &c.local_rope_theta, name));
    VSR_RETURN_IF_ERROR(Read(j, "norm_bias", &c.norm_bias, name));
    VSR_RETURN_IF_ERROR(Read(j, "attention_bias", &c.attention_bias, name));
    VSR_RETURN_IF_ERROR(Read(j, "mlp_bias", &c.mlp_bias, name));
    VSR_RETURN_IF_ERROR(Read(j, "classifier_bias", &c.classifier_bias, name));
    VSR_RETURN_IF_ERROR(Read(j, "classifier_activation", &c.classifier_activation, name));
    VSR_RETURN_IF_ERROR(Read(j, "classifier_pooling", &c.classifier_pooling, name));
    if (c.classifier_pooling != "cls" && c.classifier_pooling != "mean") {
      return Status::InvalidArgument(name + ": classifier_pooling must be 'cls' or 'mean'");
    }
    if (c.global_attn_every_n_layers <= 0 || c.local_attention <= 0) {
      return Status::InvalidArgument(
          name + ": global_attn_every_n_layers and local_attention must be positive");
    }
  }
  for (auto [key, v] : {std::pair{"vocab_size", c.vocab_size},
                        {"hidden_size", c.hidden_size},
                        {"num_hidden_layers", c.num_hidden_layers},
                        {"num_attention_heads", c.num_attention_heads},
                        {"intermediate_size", c.intermediate_size},
                        {"max_position_embeddings", c.max_position_embeddings}}) {
    if (v <= 0 || v > (int64_t{1} << 24)) {
      return Status::InvalidArgument(name + ": '" + key + "' = " + std::to_string(v) +
                                     " is out of range");
    }
  }
  if (c.hidden_size % c.num_attention_heads != 0) {
    return Status::InvalidArgument(name + ": hidden_size " + std::to_string(c.hidden_size) +
                                   " is not divisible by num_attention_heads " +
                                   std::to_string(c.num_attention_heads));
  }
  if (c.arch == Architecture::kModernBert && c.head_dim() % 2 != 0) {
    return Status::InvalidArgument(name + ": rotary embeddings need an even head dimension");
  }
  if (c.hidden_act != "gelu" && c.hidden_act != "gelu_new" && c.hidden_act != "gelu_pytorch_tanh" &&
      c.hidden_act != "relu") {
    return Status::Unimplemented(name + ": activation '" + c.hidden_act + "' is not supported");
  }
  if (j.contains("id2label")) {
    const json& m = j["id2label"];
    if (!m.is_object()) return Status::InvalidArgument(name + ": 'id2label' must be an object");
    c.id2label.assign(m.size(), "");
    for (auto it = m.begin(); it != m.end(); ++it) {
      size_t idx = 0;
      size_t pos = 0;
      try {
        idx = std::stoul(it.key(), &pos);
      } catch (...) {
        pos = 0;
      }
      if (pos != it.key().size() || idx >= m.size() || !it.value().is_string()) {
        return Status::InvalidArgument(name + ": id2label must map 0..n-1 to strings (bad key '" +
                                       it.key() + "')");
      }
      c.id2label[idx] = it.value().get<std::string>();
    }
  } else if (j.contains("num_labels") && j["num_labels"].is_number_integer()) {
    int64_t n = j["num_labels"].get<int64_t>();
    if (n < 0 || n > 100000) return Status::InvalidArgument(name + ": bad num_labels");
    for (int64_t i = 0; i < n; ++i) c.id2label.push_back("LABEL_" + std::to_string(i));
  }
  return c;
}

std::string ModelConfig::ToJson() const {
  json j;
  j["model_type"] = model_type;
  j["architectures"] = architectures;
  j["vocab_size"] = vocab_size;
  j["hidden_size"] = hidden_size;
  j["num_hidden_layers"] = num_hidden_layers;
  j["num_attention_heads"] = num_attention_heads;
  j["intermediate_size"] = intermediate_size;
  j["max_position_embeddings"] = max_position_embeddings;
  j["pad_token_id"] = pad_token_id;
  if (arch == Architecture::kBert) {
    j["type_vocab_size"] = type_vocab_size;
    j["layer_norm_eps"] = layer_norm_eps;
    j["hidden_act"] = hidden_act;
  } else {
    j["norm_eps"] = layer_norm_eps;
    j["hidden_activation"] = hidden_act;
    j["global_attn_every_n_layers"] = global_attn_every_n_layers;
    j["local_attention"] = local_attention;
    j["global_rope_theta"] = global_rope_theta;
    j["local_rope_theta"] = local_rope_theta;
    j["norm_bias"] = norm_bias;
    j["attention_bias"] = attention_bias;
    j["mlp_bias"] = mlp_bias;
    j["classifier_bias"] = classifier_bias;
    j["classifier_activation"] = classifier_activation;
    j["classifier_pooling"] = classifier_pooling;
  }
  if (!id2label.empty()) {
    json m = json::object();
    json r = json::object();
    for (size_t i = 0; i < id2label.size(); ++i) {
      m[std::to_string(i)] = id2label[i];
      r[id2label[i]] = i;
    }
    j["id2label"] = m;
    j["label2id"] = r;
  }
  return j.dump(2) + "\n";
}

}  // namespace vsr::inference
