// vsr-gen-model: writes a Hugging Face format model directory (config.json,
// model.safetensors, optional tokenizer and label-mapping file) of any shape with seeded
// random weights, for tests and benchmarks.
//
//   vsr-gen-model --preset minilm-l6 --head sequence --labels math,law,other --out DIR
//   vsr-gen-model --arch modernbert --layers 2 --hidden 64 --heads 4 --intermediate 96
//                 --head token --labels O,B-PER,I-PER --dtype bf16 --out DIR
#include <CLI/CLI.hpp>
#include <cstdio>
#include <sstream>

#include "inference/model_generator.h"

namespace {

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vsr::inference;
  CLI::App app{"Writes an HF-format encoder model with seeded random weights"};
  std::string preset = "tiny", arch, head = "sequence", dtype = "f32", labels, tokenizer, mapping,
              out;
  int64_t vocab = 0, hidden = 0, layers = 0, heads = 0, intermediate = 0, max_pos = 0,
          num_labels = 0;
  uint64_t seed = 42;
  float scale = 0.05f;
  app.add_option("--preset", preset, "tiny | minilm-l6 | bert-base | modernbert-base");
  app.add_option("--arch", arch, "bert | modernbert (overrides the preset's)");
  app.add_option("--vocab-size", vocab);
  app.add_option("--hidden", hidden);
  app.add_option("--layers", layers);
  app.add_option("--heads", heads);
  app.add_option("--intermediate", intermediate);
  app.add_option("--max-position", max_pos);
  app.add_option("--head", head, "sequence | token | none");
  app.add_option("--labels", labels, "comma-separated class names");
  app.add_option("--num-labels", num_labels, "LABEL_0..LABEL_{n-1} when --labels is absent");
  app.add_option("--dtype", dtype, "f32 | f16 | bf16");
  app.add_option("--seed", seed);
  app.add_option("--scale", scale, "standard deviation of the weights");
  app.add_option("--tokenizer", tokenizer, "vocab.txt or tokenizer.json to copy into the model");
  app.add_option("--mapping", mapping, "also write this upstream mapping file name");
  app.add_option("--out", out, "output directory")->required();
  CLI11_PARSE(app, argc, argv);

  auto cfg = PresetConfig(preset);
  if (!cfg.ok()) {
    std::fprintf(stderr, "vsr-gen-model: %s\n", cfg.status().ToString().c_str());
    return 2;
  }
  GeneratorSpec spec;
  spec.config = *cfg;
  ModelConfig& c = spec.config;
  if (arch == "modernbert" && c.arch != Architecture::kModernBert) {
    auto mb = PresetConfig("modernbert-base");
    c = *mb;
  } else if (arch == "bert" && c.arch != Architecture::kBert) {
    c = ModelConfig();
  } else if (!arch.empty() && arch != "bert" && arch != "modernbert") {
    std::fprintf(stderr, "vsr-gen-model: --arch must be bert or modernbert\n");
    return 2;
  }
  if (vocab) c.vocab_size = vocab;
  if (hidden) c.hidden_size = hidden;
  if (layers) c.num_hidden_layers = layers;
  if (heads) c.num_attention_heads = heads;
  if (intermediate) c.intermediate_size = intermediate;
  if (max_pos) c.max_position_embeddings = max_pos;
  c.id2label = Split(labels);
  for (int64_t i = 0; c.id2label.empty() && i < num_labels; ++i) {
    c.id2label.push_back("LABEL_" + std::to_string(i));
  }
  if (head == "sequence") {
    spec.head = HeadKind::kSequence;
  } else if (head == "token") {
    spec.head = HeadKind::kToken;
  } else if (head == "none") {
    spec.head = HeadKind::kNone;
  } else {
    std::fprintf(stderr, "vsr-gen-model: --head must be sequence, token or none\n");
    return 2;
  }
  if (dtype == "f32") {
    spec.dtype = DType::kF32;
  } else if (dtype == "f16") {
    spec.dtype = DType::kF16;
  } else if (dtype == "bf16") {
    spec.dtype = DType::kBF16;
  } else {
    std::fprintf(stderr, "vsr-gen-model: --dtype must be f32, f16 or bf16\n");
    return 2;
  }
  spec.seed = seed;
  spec.scale = scale;
  spec.tokenizer_file = tokenizer;
  spec.mapping_file = mapping;
  vsr::Status st = GenerateModel(spec, out);
  if (!st.ok()) {
    std::fprintf(stderr, "vsr-gen-model: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("wrote %s (%s, %lld layers, hidden %lld)\n", out.c_str(), c.model_type.c_str(),
              static_cast<long long>(c.num_hidden_layers), static_cast<long long>(c.hidden_size));
  return 0;
}
