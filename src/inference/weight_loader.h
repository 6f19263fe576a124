// WeightLoader: fetches named tensors from a safetensors file as f32 with the shape the
// config implies, trying each accepted name prefix in turn (HF checkpoints name the encoder
// "bert.embeddings..." inside BertFor* models and "embeddings..." in a bare BertModel;
// ModernBERT uses "model."). Legacy LayerNorm names (gamma/beta) are accepted too.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "inference/packed_matrix.h"
#include "inference/safetensors.h"

namespace vsr::inference {

class WeightLoader {
 public:
  WeightLoader(const SafeTensorsFile& file, std::vector<std::string> prefixes)
      : file_(file), prefixes_(std::move(prefixes)) {}

  // The tensor `name` (under any prefix) with exactly `shape`; NotFound names the file and
  // the tensor, InvalidArgument reports a shape mismatch.
  Status Get(const std::string& name, const std::vector<int64_t>& shape,
             std::vector<float>* out) const;
  // Like Get, but an absent tensor leaves `out` empty and returns OK.
  Status GetOptional(const std::string& name, const std::vector<int64_t>& shape,
                     std::vector<float>* out) const;
  bool Has(const std::string& name) const { return !Resolve(name).empty(); }
  // How the encoder's matrices are packed (EngineOptions::bf16_weights / int8_weights).
  WeightFormat pack_format() const { return pack_format_; }
  void set_pack_format(WeightFormat f) { pack_format_ = f; }

 private:
  std::string Resolve(const std::string& name) const;  // "" when absent
  const SafeTensorsFile& file_;
  std::vector<std::string> prefixes_;
  WeightFormat pack_format_ = WeightFormat::kF32;
};

}  // namespace vsr::inference
