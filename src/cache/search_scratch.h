// SearchScratch: the per-thread working memory of one graph search, reused from search to
// search so that a lookup allocates nothing once a thread has warmed up.
//
// Visited marks are epoch tags: a node counts as visited when its tag equals the current
// epoch, so starting a search costs one increment, not a clear of the whole array (the array
// is wiped only when the 32-bit epoch wraps). One scratch serves every index a thread
// searches: tags left behind by another index's search carry an older epoch.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace vsr::cache {

class SearchScratch {
 public:
  using Candidate = std::pair<float, uint32_t>;  // (distance, node)

  // The calling thread's scratch.
  static SearchScratch& ForThisThread() {
    thread_local SearchScratch scratch;
    return scratch;
  }

  // Starts a search over nodes [0, node_count): nothing is visited, both heaps are empty.
  void Begin(size_t node_count) {
    if (visited_.size() < node_count) visited_.resize(node_count, 0);
    if (++epoch_ == 0) {
      std::fill(visited_.begin(), visited_.end(), 0);
      epoch_ = 1;
    }
    nearest_.clear();
    frontier_.clear();
  }

  // Marks `node` visited; returns false if it already was.
  bool Visit(uint32_t node) {
    if (visited_[node] == epoch_) return false;
    visited_[node] = epoch_;
    return true;
  }
  const uint32_t* visited_data() const { return visited_.data(); }

  // The best results so far: a max-heap on distance (the worst result on top).
  std::vector<Candidate>& nearest() { return nearest_; }
  void PushNearest(float dist, uint32_t node) {
    nearest_.emplace_back(dist, node);
    std::push_heap(nearest_.begin(), nearest_.end());
  }
  void PopNearest() {
    std::pop_heap(nearest_.begin(), nearest_.end());
    nearest_.pop_back();
  }

  // Nodes still to expand: a min-heap on distance (the closest on top).
  bool FrontierEmpty() const { return frontier_.empty(); }
  const Candidate& FrontierTop() const { return frontier_.front(); }
  void PushFrontier(float dist, uint32_t node) {
    frontier_.emplace_back(dist, node);
    std::push_heap(frontier_.begin(), frontier_.end(), std::greater<>());
  }
  void PopFrontier() {
    std::pop_heap(frontier_.begin(), frontier_.end(), std::greater<>());
    frontier_.pop_back();
  }

 private:
  std::vector<uint32_t> visited_;
  uint32_t epoch_ = 0;
  std::vector<Candidate> nearest_;
  std::vector<Candidate> frontier_;
};

}  // namespace vsr::cache
