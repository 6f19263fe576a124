// VectorIndex: nearest-neighbour search over the L2-normalised vectors of one model.
//
// Ids are the cache's entry slots. An index holds each id at most once; Remove() makes an id
// invisible to Search() at once. Implementations are not synchronised: the cache calls
// Search() under a shared lock (concurrent Search() calls must be safe) and Add()/Remove()
// under an exclusive lock.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/status.h"

namespace vsr::cache {

struct Neighbor {
  uint32_t id = 0;
  float similarity = -2.0f;  // cosine (dot product of normalised vectors)
};

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  // Adds `vec` (dim() floats, L2-normalised) under `id`; `id` must not be present.
  virtual Status Add(uint32_t id, const float* vec) = 0;
  // Removes `id`; a no-op when absent.
  virtual void Remove(uint32_t id) = 0;
  // Writes up to k neighbours of `query` (dim() floats, normalised), most similar first, and
  // returns how many. Approximate for HNSW.
  virtual size_t Search(const float* query, size_t k, Neighbor* out) const = 0;
  // Vectors currently searchable.
  virtual size_t size() const = 0;
  virtual size_t dim() const = 0;
  // Drops every vector.
  virtual void Clear() = 0;
};

}  // namespace vsr::cache
