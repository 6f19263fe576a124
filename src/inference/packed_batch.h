// PackedBatch: the engine's input — a batch of token-id sequences stored back to back with
// no padding. Sequence s occupies tokens [offsets[s], offsets[s+1]). Attention runs per
// sequence, every other layer on all tokens at once, so a batch costs what its real tokens
// cost. Reusing one PackedBatch (Clear + Add) allocates nothing in steady state.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace vsr::inference {

struct PackedBatch {
  std::vector<int32_t> ids;
  std::vector<int32_t> type_ids;  // empty: all zero (BERT token_type_ids)
  std::vector<int64_t> offsets{0};

  void Clear() {
    ids.clear();
    type_ids.clear();
    offsets.assign(1, 0);
  }
  void Add(std::span<const int32_t> seq) {
    ids.insert(ids.end(), seq.begin(), seq.end());
    offsets.push_back(static_cast<int64_t>(ids.size()));
  }
  int64_t num_sequences() const { return static_cast<int64_t>(offsets.size()) - 1; }
  int64_t num_tokens() const { return static_cast<int64_t>(ids.size()); }
  int64_t begin(int64_t s) const { return offsets[s]; }
  int64_t length(int64_t s) const { return offsets[s + 1] - offsets[s]; }
};

}  // namespace vsr::inference
