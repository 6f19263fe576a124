// Model generator: writes an HF-format model directory (config.json, model.safetensors and
// optionally a tokenizer file and an upstream label-mapping file) of any shape with seeded
// random weights, for tests and benchmarks. The same spec and seed always produce the same
// bytes. Latency does not depend on weight values, so benchmark models are generated on
// demand (never committed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "inference/encoder_model.h"
#include "inference/model_config.h"
#include "inference/safetensors.h"

namespace vsr::inference {

struct GeneratorSpec {
  ModelConfig config;  // shape, architecture, id2label (labels define the head size)
  HeadKind head = HeadKind::kSequence;
  DType dtype = DType::kF32;
  uint64_t seed = 42;
  float scale = 0.05f;         // weights ~ uniform with this standard deviation
  std::string tokenizer_file;  // copied as vocab.txt / tokenizer.json (by its extension)
  std::string mapping_file;    // e.g. "category_mapping.json" (idx_to_* and *_to_idx)
};

// Named shapes: "tiny" (2 layers, hidden 32), "minilm-l6" (6 x 384, 12 heads, 1536),
// "bert-base" (12 x 768, 12 heads, 3072), "modernbert-base" (22 x 768, 12 heads, 1152).
StatusOr<ModelConfig> PresetConfig(const std::string& name);

// Writes the model into `out_dir` (created if needed).
Status GenerateModel(const GeneratorSpec& spec, const std::string& out_dir);

}  // namespace vsr::inference
