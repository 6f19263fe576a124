#include "inference/model_generator.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace vsr::inference {
namespace {

// SplitMix64: a tiny, portable, seedable generator (same bytes on every platform).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [-1, 1).
  float Symmetric() { return static_cast<float>(Next() >> 40) * (2.0f / 16777216.0f) - 1.0f; }

 private:
  uint64_t s_;
};

class Builder {
 public:
  Builder(const GeneratorSpec& spec) : spec_(spec), rng_(spec.seed) {}
  void Weight(const std::string& name, std::vector<int64_t> shape) {
    Add(name, std::move(shape), 0.0f, spec_.scale * std::sqrt(3.0f));
  }
  void Norm(const std::string& name, int64_t n) { Add(name, {n}, 1.0f, 0.1f); }
  void Bias(const std::string& name, int64_t n) { Add(name, {n}, 0.0f, 0.05f); }
  SafeTensorsWriter& writer() { return writer_; }

 private:
  void Add(const std::string& name, std::vector<int64_t> shape, float center, float half_width) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = center + half_width * rng_.Symmetric();
    writer_.Add(name, shape, v, spec_.dtype);
  }
  const GeneratorSpec& spec_;
  Rng rng_;
  SafeTensorsWriter writer_;
};

void BertWeights(const GeneratorSpec& spec, Builder* b) {
  const ModelConfig& c = spec.config;
  const int64_t H = c.hidden_size, I = c.intermediate_size;
  const std::string p = spec.head == HeadKind::kNone ? "" : "bert.";
  b->Weight(p + "embeddings.word_embeddings.weight", {c.vocab_size, H});
  b->Weight(p + "embeddings.position_embeddings.weight", {c.max_position_embeddings, H});
  b->Weight(p + "embeddings.token_type_embeddings.weight", {c.type_vocab_size, H});
  b->Norm(p + "embeddings.LayerNorm.weight", H);
  b->Bias(p + "embeddings.LayerNorm.bias", H);
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
    const std::string l = p + "encoder.layer." + std::to_string(i) + ".";
    for (const char* n : {"query", "key", "value"}) {
      b->Weight(l + "attention.self." + n + ".weight", {H, H});
      b->Bias(l + "attention.self." + n + ".bias", H);
    }
    b->Weight(l + "attention.output.dense.weight", {H, H});
    b->Bias(l + "attention.output.dense.bias", H);
    b->Norm(l + "attention.output.LayerNorm.weight", H);
    b->Bias(l + "attention.output.LayerNorm.bias", H);
    b->Weight(l + "intermediate.dense.weight", {I, H});
    b->Bias(l + "intermediate.dense.bias", I);
    b->Weight(l + "output.dense.weight", {H, I});
    b->Bias(l + "output.dense.bias", H);
    b->Norm(l + "output.LayerNorm.weight", H);
    b->Bias(l + "output.LayerNorm.bias", H);
  }
  b->Weight(p + "pooler.dense.weight", {H, H});
  b->Bias(p + "pooler.dense.bias", H);
}

void ModernBertWeights(const GeneratorSpec& spec, Builder* b) {
  const ModelConfig& c = spec.config;
  const int64_t H = c.hidden_size, I = c.intermediate_size;
  b->Weight("model.embeddings.tok_embeddings.weight", {c.vocab_size, H});
  b->Norm("model.embeddings.norm.weight", H);
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) {
    const std::string l = "model.layers." + std::to_string(i) + ".";
    if (i != 0) b->Norm(l + "attn_norm.weight", H);
    b->Weight(l + "attn.Wqkv.weight", {3 * H, H});
    b->Weight(l + "attn.Wo.weight", {H, H});
    b->Norm(l + "mlp_norm.weight", H);
    b->Weight(l + "mlp.Wi.weight", {2 * I, H});
    b->Weight(l + "mlp.Wo.weight", {H, I});
  }
  b->Norm("model.final_norm.weight", H);
  if (spec.head != HeadKind::kNone) {
    b->Weight("head.dense.weight", {H, H});
    b->Norm("head.norm.weight", H);
  }
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) return Status::IOError("cannot write " + path);
  return Status::OK();
}

}  // namespace

StatusOr<ModelConfig> PresetConfig(const std::string& name) {
  ModelConfig c;
  if (name == "tiny") {
    c.vocab_size = 30522;
    c.hidden_size = 32;
    c.num_hidden_layers = 2;
    c.num_attention_heads = 4;
    c.intermediate_size = 64;
  } else if (name == "vsr-default") {
    // The layer shapes of the default models in models/ (models/README.md, "Shape"); the
    // vocabulary stays BERT's, which the generator's tokenizer covers (the default models'
    // 8,192 entries change the embedding table only, not the encoder's arithmetic).
    c.vocab_size = 30522;
    c.hidden_size = 128;
    c.num_hidden_layers = 2;
    c.num_attention_heads = 2;
    c.intermediate_size = 512;
  } else if (name == "minilm-l6") {
    c.hidden_size = 384;
    c.num_hidden_layers = 6;
    c.num_attention_heads = 12;
    c.intermediate_size = 1536;
  } else if (name == "bert-base") {
    // BertConfig defaults: 12 x 768, 12 heads, 3072.
  } else if (name == "modernbert-base") {
    auto mb = ModelConfig::Parse(R"({"model_type":"modernbert","hidden_size":768,
        "num_hidden_layers":22,"num_attention_heads":12,"intermediate_size":1152,
        "vocab_size":50368})",
                                 "modernbert-base preset");
    return mb;
  } else {
    return Status::InvalidArgument("unknown model preset '" + name +
                                   "' (tiny, vsr-default, minilm-l6, bert-base, modernbert-base)");
  }
  return c;
}

Status GenerateModel(const GeneratorSpec& spec, const std::string& out_dir) {
  namespace fs = std::filesystem;
  ModelConfig c = spec.config;
  // Validate the shape through the same parser the loader uses.
  auto check = ModelConfig::Parse(c.ToJson(), "generated config");
  if (!check.ok()) return check.status();
  if (spec.head != HeadKind::kNone && c.id2label.empty()) {
    return Status::InvalidArgument("a classification head needs at least one label");
  }
  const bool bert = c.arch == Architecture::kBert;
  const char* family = bert ? "Bert" : "ModernBert";
  switch (spec.head) {
    case HeadKind::kSequence:
      c.architectures = {std::string(family) + "ForSequenceClassification"};
      break;
    case HeadKind::kToken:
      c.architectures = {std::string(family) + "ForTokenClassification"};
      break;
    case HeadKind::kNone:
      c.architectures = {std::string(family) + "Model"};
      c.id2label.clear();
      break;
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return Status::IOError("cannot create " + out_dir + ": " + ec.message());

  Builder b(spec);
  if (bert) {
    BertWeights(spec, &b);
  } else {
    ModernBertWeights(spec, &b);
  }
  if (spec.head != HeadKind::kNone) {
    b.Weight("classifier.weight", {c.num_labels(), c.hidden_size});
    b.Bias("classifier.bias", c.num_labels());
  }
  VSR_RETURN_IF_ERROR(b.writer().WriteFile((fs::path(out_dir) / "model.safetensors").string()));
  VSR_RETURN_IF_ERROR(WriteText((fs::path(out_dir) / "config.json").string(), c.ToJson()));

  if (!spec.tokenizer_file.empty()) {
    const bool json = fs::path(spec.tokenizer_file).extension() == ".json";
    fs::copy_file(spec.tokenizer_file, fs::path(out_dir) / (json ? "tokenizer.json" : "vocab.txt"),
                  fs::copy_options::overwrite_existing, ec);
    if (ec)
      return Status::IOError("cannot copy tokenizer " + spec.tokenizer_file + ": " + ec.message());
  }
  if (!spec.mapping_file.empty()) {
    // Upstream's key names: category_mapping.json uses category_to_idx / idx_to_category,
    // the PII and jailbreak files label_to_idx / idx_to_label.
    const bool category = spec.mapping_file.find("category") != std::string::npos;
    const std::string to_idx = category ? "category_to_idx" : "label_to_idx";
    const std::string from_idx = category ? "idx_to_category" : "idx_to_label";
    nlohmann::json m;
    for (size_t i = 0; i < c.id2label.size(); ++i) {
      m[to_idx][c.id2label[i]] = i;
      m[from_idx][std::to_string(i)] = c.id2label[i];
    }
    VSR_RETURN_IF_ERROR(WriteText((fs::path(out_dir) / spec.mapping_file).string(), m.dump(2)));
  }
  return Status::OK();
}

}  // namespace vsr::inference
