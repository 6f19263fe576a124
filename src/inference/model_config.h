// ModelConfig: the parts of an HF `config.json` the engine needs, for model_type "bert"
// (BERT, MiniLM and relatives) and "modernbert".
//
// Load() validates sizes (positive, hidden divisible by heads, ...) and returns errors that
// name the file and the key. Missing optional keys take the HF defaults of that model type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace vsr::inference {

enum class Architecture { kBert, kModernBert };

struct ModelConfig {
  Architecture arch = Architecture::kBert;
  std::string model_type = "bert";
  std::vector<std::string> architectures;  // e.g. "BertForSequenceClassification"

  int64_t vocab_size = 30522;
  int64_t hidden_size = 768;
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 12;
  int64_t intermediate_size = 3072;
  int64_t max_position_embeddings = 512;
  int64_t type_vocab_size = 2;
  double layer_norm_eps = 1e-12;
  std::string hidden_act = "gelu";
  int64_t pad_token_id = 0;

  // ModernBERT
  int64_t global_attn_every_n_layers = 3;
  int64_t local_attention = 128;
  double global_rope_theta = 160000.0;
  double local_rope_theta = 10000.0;
  bool norm_bias = false;
  bool attention_bias = false;
  bool mlp_bias = false;
  bool classifier_bias = false;
  std::string classifier_activation = "gelu";
  std::string classifier_pooling = "cls";  // "cls" or "mean"

  // Labels: id2label in class-id order (empty for a bare encoder).
  std::vector<std::string> id2label;

  int64_t head_dim() const { return hidden_size / num_attention_heads; }
  int64_t num_labels() const { return static_cast<int64_t>(id2label.size()); }

  static StatusOr<ModelConfig> Load(const std::string& path);
  static StatusOr<ModelConfig> Parse(const std::string& json_text, const std::string& name);
  // Writes the config back in HF format (used by the model generator).
  std::string ToJson() const;
};

}  // namespace vsr::inference
