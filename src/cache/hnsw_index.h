// HnswIndex: approximate search with an hnswlib graph (inner-product space).
//
// Remove() marks the element deleted in the graph (hnswlib markDelete): it is skipped by every
// later search at once, without a rebuild. hnswlib 0.6.2 has no replaceDeleted(), so Add()
// reuses a deleted element itself: it re-adds the vector under the deleted element's label,
// which hnswlib turns into unmark + updatePoint (re-linking the element's neighbourhood). The
// graph therefore never holds more elements than the most vectors ever live at once, however
// many entries are evicted or expire. Search() descends the upper layers greedily and runs
// hnswlib's base-layer beam search algorithm on the graph, but without its shared metric
// counters (atomics every thread would write, which stop lookups from scaling across cores),
// its mutex-guarded visited-list pool and its per-search priority queues: the working memory
// is the thread's SearchScratch, so a warm lookup allocates nothing. This file is the only
// translation unit that includes hnswlib (its header defines non-inline functions).
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "cache/cache_options.h"
#include "cache/vector_index.h"

namespace vsr::cache {

class HnswIndex final : public VectorIndex {
 public:
  // `initial_capacity` elements are allocated up front; the graph doubles when full.
  HnswIndex(size_t dim, const HnswOptions& options, size_t initial_capacity);
  ~HnswIndex() override;

  Status Add(uint32_t id, const float* vec) override;
  void Remove(uint32_t id) override;
  size_t Search(const float* query, size_t k, Neighbor* out) const override;
  size_t size() const override { return labels_of_.size(); }
  size_t dim() const override { return dim_; }
  void Clear() override;

  // hnswlib's own searchKnn(query, k) on this graph, translated to ids: the reference the
  // benchmark compares Search() against. Same concurrency rules as Search().
  size_t RawSearchKnn(const float* query, size_t k, Neighbor* out) const;
  // Elements in the graph (live + deleted awaiting reuse).
  size_t graph_elements() const { return ids_of_label_.size(); }

 private:
  struct Graph;
  Status Reset(size_t capacity);

  size_t dim_;
  HnswOptions options_;
  size_t initial_capacity_;
  std::unique_ptr<Graph> graph_;
  std::vector<uint32_t> ids_of_label_;              // label -> id (valid when live)
  std::unordered_map<uint32_t, size_t> labels_of_;  // live id -> label
  std::vector<size_t> free_labels_;                 // deleted labels, reused by Add()
};

}  // namespace vsr::cache
