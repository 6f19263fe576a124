// EngineOptions: how an encoder model runs (threads, truncation length).
//
// Threads are the engine's own pool (GEMMs split by output columns, attention split by
// sequence and head); OpenBLAS itself is kept single-threaded so the two never compete.
#pragma once

#include <cstddef>

namespace vsr::inference {

struct EngineOptions {
  int threads = 1;          // worker threads including the caller; <= 0 means 1
  size_t max_length = 512;  // tokens per sequence after truncation (clamped to the model's)
};

}  // namespace vsr::inference
