// EngineOptions: how an encoder model runs (threads, truncation length).
//
// Threads are the engine's own pool (GEMMs split by output columns, attention split by
// sequence and head); OpenBLAS itself is kept single-threaded so the two never compete.
#pragma once

#include <cstddef>
#include <string_view>

namespace vsr::inference {

struct EngineOptions {
  int threads = 1;          // worker threads including the caller; <= 0 means 1
  size_t max_length = 512;  // tokens per sequence after truncation (clamped to the model's)
  // Keep the encoder's matrices in bfloat16 (f32 arithmetic): half the memory traffic per
  // pass, at the cost of bf16 rounding of the weights (see docs/inference.md for the
  // measured change in outputs). Off by default: f32 matches PyTorch to 1e-4. Only the
  // AVX-512 kernels have bf16 panels; builds without AVX-512 ignore it and stay f32.
  bool bf16_weights = false;
  // Keep the encoder's matrices as int8 (per-output-channel scales) and quantise each
  // activation row to 8 bits on the fly (dynamic, per row), multiplied with AVX-512 VNNI
  // (vpdpbusd) in int32. A quarter of the f32 bytes and ~4x the multiply rate; outputs move
  // by the quantisation error (docs/inference.md, "Reduced precision"). Off by default.
  // Needs AVX-512 VNNI at build time (-march); otherwise ignored (f32). Wins over bf16.
  bool int8_weights = false;
  // How long an idle pool worker spins (microseconds) before blocking. Spinning spares the
  // back-to-back loops of one forward pass a wake-up; 0 never spins, for processes that run
  // more busy threads than cores (several models' pools next to request threads).
  int spin_us = 50;
};

// The weight format by the name the config (global.model_catalog.weights), vsr-cli --dtype
// and the accuracy benchmark use: "f32", "bf16" or "int8" set the two flags above. Any other
// name returns false and leaves *options as it was (the caller reports the error).
inline bool SetWeightFormat(std::string_view name, EngineOptions* options) {
  if (name != "f32" && name != "bf16" && name != "int8") return false;
  options->bf16_weights = name == "bf16";
  options->int8_weights = name == "int8";
  return true;
}

}  // namespace vsr::inference
