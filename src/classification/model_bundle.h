// ModelBundle: what every classifier loads from an HF model directory — the encoder model,
// its tokenizer (tokenizer.json or vocab.txt) and its class names — plus the text -> packed
// batch step they all share.
//
// Class names come from an upstream label-mapping file when one is present and its size
// matches the head (category_mapping.json, pii_type_mapping.json,
// jailbreak_type_mapping.json, label_mapping.json: the "idx_to_*" object), else from
// config.json id2label, else "LABEL_<i>". Errors name the directory and the file.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "inference/encoder_model.h"
#include "inference/packed_batch.h"
#include "tokenizer/tokenizer.h"

namespace vsr::classification {

struct ModelBundle {
  std::unique_ptr<inference::EncoderModel> model;
  std::unique_ptr<Tokenizer> tokenizer;
  std::vector<std::string> labels;
  size_t max_length = 512;  // tokens per text, specials included

  static StatusOr<ModelBundle> Load(const std::string& model_dir,
                                    const inference::EngineOptions& options);

  // Tokenizes `texts` (truncating each to max_length) into `batch`; keeps each text's
  // Encoding in `encodings` when non-null. Reuses all buffers.
  Status Encode(std::span<const std::string_view> texts, inference::PackedBatch* batch,
                std::vector<Encoding>* encodings) const;
};

// Reads the "idx_to_*" object of an upstream mapping file into class-id order.
StatusOr<std::vector<std::string>> LoadLabelMapping(const std::string& path);

// In-place softmax of `n` logits.
void Softmax(float* logits, size_t n);

}  // namespace vsr::classification
