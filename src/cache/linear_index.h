// LinearIndex: exact search by scanning every vector with a SIMD dot product.
//
// Vectors sit in one contiguous row-major matrix, so a search streams memory linearly;
// Remove() moves the last row into the hole (O(1)), so the matrix never has gaps.
// Search() allocates nothing.
#pragma once

#include <unordered_map>
#include <vector>

#include "cache/vector_index.h"

namespace vsr::cache {

class LinearIndex final : public VectorIndex {
 public:
  explicit LinearIndex(size_t dim) : dim_(dim) {}

  Status Add(uint32_t id, const float* vec) override;
  void Remove(uint32_t id) override;
  size_t Search(const float* query, size_t k, Neighbor* out) const override;
  size_t size() const override { return ids_.size(); }
  size_t dim() const override { return dim_; }
  void Clear() override;

 private:
  size_t dim_;
  std::vector<float> rows_;                         // ids_.size() x dim_
  std::vector<uint32_t> ids_;                       // row -> id
  std::unordered_map<uint32_t, uint32_t> rows_of_;  // id -> row
};

// Keeps the k best neighbours seen so far in out[0..count), most similar first.
// Returns the new count. k is small (a handful), so insertion is a short shift.
size_t InsertTopK(Neighbor candidate, size_t k, Neighbor* out, size_t count);

}  // namespace vsr::cache
