#include "cache/hnsw_index.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <mutex>
#include <string>

#include "cache/search_scratch.h"

#if defined(__SANITIZE_THREAD__)
// hnswlib's addPoint() locks per-element mutexes in graph order, so TSan sees lock-order
// cycles between two inserts. They cannot deadlock here: the cache runs one Add() at a time
// (exclusive lock). Suppressions match stack frames, which TSan records for both lock
// acquisitions only with second_deadlock_stack. Weak, so a binary's own settings win.
extern "C" __attribute__((weak)) const char* __tsan_default_options() {
  return "second_deadlock_stack=1";
}
extern "C" __attribute__((weak)) const char* __tsan_default_suppressions() {
  return "deadlock:hnswlib::HierarchicalNSW<float>::addPoint\n";
}
#endif

namespace vsr::cache {
namespace {

using Hnsw = hnswlib::HierarchicalNSW<float>;

// hnswlib's InnerProductSpace constructor writes process-wide function pointers; construct
// spaces one at a time.
std::mutex& SpaceConstructionMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

struct HnswIndex::Graph {
  Graph(size_t dim, const HnswOptions& o, size_t capacity)
      : space(MakeSpace(dim)),
        hnsw(space.get(), capacity, o.m, o.ef_construction, static_cast<size_t>(o.seed)) {
    hnsw.setEf(o.ef_search);
  }
  static std::unique_ptr<hnswlib::InnerProductSpace> MakeSpace(size_t dim) {
    std::lock_guard<std::mutex> lock(SpaceConstructionMutex());
    return std::make_unique<hnswlib::InnerProductSpace>(dim);
  }

  // searchKnn() without the metric counters: greedy descent through the upper layers, then
  // the base-layer beam search below.
  template <bool kHasDeletions>
  size_t Search(const float* query, size_t k, size_t ef, Neighbor* out,
                const std::vector<uint32_t>& ids_of_label) const {
    hnswlib::tableint current = hnsw.enterpoint_node_;
    float current_dist =
        hnsw.fstdistfunc_(query, hnsw.getDataByInternalId(current), hnsw.dist_func_param_);
    for (int level = hnsw.maxlevel_; level > 0; --level) {
      bool changed = true;
      while (changed) {
        changed = false;
        const unsigned int* links = hnsw.get_linklist(current, level);
        int count = hnsw.getListCount(const_cast<unsigned int*>(links));
        const hnswlib::tableint* neighbours = links + 1;
        for (int i = 0; i < count; ++i) {
          hnswlib::tableint candidate = neighbours[i];
          float d =
              hnsw.fstdistfunc_(query, hnsw.getDataByInternalId(candidate), hnsw.dist_func_param_);
          if (d < current_dist) {
            current_dist = d;
            current = candidate;
            changed = true;
          }
        }
      }
    }
    return SearchBaseLayer<kHasDeletions>(current, current_dist, query, k, std::max(ef, k), out,
                                          ids_of_label);
  }

  // hnswlib's base-layer beam search (same expansion and stopping rule as
  // searchBaseLayerST), on this thread's SearchScratch instead of a pooled visited list and two
  // fresh priority queues: no allocation and no pool mutex per lookup.
  template <bool kHasDeletions>
  size_t SearchBaseLayer(hnswlib::tableint entry, float entry_dist, const float* query, size_t k,
                         size_t beam, Neighbor* out,
                         const std::vector<uint32_t>& ids_of_label) const {
    SearchScratch& s = SearchScratch::ForThisThread();
    s.Begin(hnsw.cur_element_count);
    float bound = std::numeric_limits<float>::max();
    if (!kHasDeletions || !hnsw.isMarkedDeleted(entry)) {
      bound = entry_dist;
      s.PushNearest(entry_dist, entry);
    }
    s.PushFrontier(bound, entry);
    s.Visit(entry);
    while (!s.FrontierEmpty()) {
      const auto [frontier_dist, node] = s.FrontierTop();
      if (frontier_dist > bound && (!kHasDeletions || s.nearest().size() == beam)) break;
      s.PopFrontier();
      const unsigned int* links = hnsw.get_linklist0(node);
      const int count = hnsw.getListCount(const_cast<unsigned int*>(links));
      const hnswlib::tableint* neighbours = links + 1;
      for (int i = 0; i < count; ++i) {
        if (i + 1 < count) __builtin_prefetch(hnsw.getDataByInternalId(neighbours[i + 1]));
        const hnswlib::tableint candidate = neighbours[i];
        if (!s.Visit(candidate)) continue;
        const float d =
            hnsw.fstdistfunc_(query, hnsw.getDataByInternalId(candidate), hnsw.dist_func_param_);
        if (s.nearest().size() >= beam && d >= bound) continue;
        s.PushFrontier(d, candidate);
        if (!kHasDeletions || !hnsw.isMarkedDeleted(candidate)) s.PushNearest(d, candidate);
        if (s.nearest().size() > beam) s.PopNearest();
        if (!s.nearest().empty()) bound = s.nearest().front().first;
      }
    }
    std::vector<SearchScratch::Candidate>& nearest = s.nearest();
    while (nearest.size() > k) s.PopNearest();
    std::sort_heap(nearest.begin(), nearest.end());  // closest first
    for (size_t i = 0; i < nearest.size(); ++i) {
      out[i] =
          Neighbor{ids_of_label[hnsw.getExternalLabel(nearest[i].second)], 1.0f - nearest[i].first};
    }
    return nearest.size();
  }

  std::unique_ptr<hnswlib::InnerProductSpace> space;
  Hnsw hnsw;
};

HnswIndex::HnswIndex(size_t dim, const HnswOptions& options, size_t initial_capacity)
    : dim_(dim), options_(options), initial_capacity_(std::max<size_t>(initial_capacity, 16)) {
  Status s = Reset(initial_capacity_);
  (void)s;  // on failure graph_ stays null and Add() reports it
}

HnswIndex::~HnswIndex() = default;

Status HnswIndex::Reset(size_t capacity) {
  graph_.reset();
  ids_of_label_.clear();
  labels_of_.clear();
  free_labels_.clear();
  try {
    graph_ = std::make_unique<Graph>(dim_, options_, capacity);
  } catch (const std::exception& e) {
    return Status::ResourceExhausted(std::string("cache: hnswlib index allocation failed: ") +
                                     e.what());
  }
  return Status::OK();
}

Status HnswIndex::Add(uint32_t id, const float* vec) {
  if (!graph_) VSR_RETURN_IF_ERROR(Reset(initial_capacity_));
  if (labels_of_.count(id) != 0) {
    return Status::Internal("cache: hnsw index already holds id " + std::to_string(id));
  }
  Hnsw& hnsw = graph_->hnsw;
  try {
    size_t label;
    if (!free_labels_.empty()) {
      // Re-adding under a deleted label: hnswlib unmarks it and re-links it (updatePoint).
      label = free_labels_.back();
      hnsw.addPoint(vec, label);
      free_labels_.pop_back();
      ids_of_label_[label] = id;
    } else {
      label = ids_of_label_.size();
      if (hnsw.cur_element_count >= hnsw.max_elements_) {
        hnsw.resizeIndex(std::max<size_t>(hnsw.max_elements_ * 2, 16));
      }
      ids_of_label_.push_back(id);
      try {
        hnsw.addPoint(vec, label);
      } catch (...) {
        ids_of_label_.pop_back();
        throw;
      }
    }
    labels_of_.emplace(id, label);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("cache: hnswlib addPoint failed: ") + e.what());
  }
  return Status::OK();
}

void HnswIndex::Remove(uint32_t id) {
  auto it = labels_of_.find(id);
  if (it == labels_of_.end() || !graph_) return;
  size_t label = it->second;
  labels_of_.erase(it);
  try {
    graph_->hnsw.markDelete(label);
    free_labels_.push_back(label);
  } catch (const std::exception&) {
    // Already deleted: hnswlib's state and ours agree that the label is gone.
  }
}

size_t HnswIndex::Search(const float* query, size_t k, Neighbor* out) const {
  if (!graph_ || labels_of_.empty() || k == 0) return 0;
  try {
    if (graph_->hnsw.num_deleted_ != 0) {
      return graph_->Search<true>(query, k, options_.ef_search, out, ids_of_label_);
    }
    return graph_->Search<false>(query, k, options_.ef_search, out, ids_of_label_);
  } catch (const std::exception&) {
    return 0;  // allocation failure inside hnswlib: report no neighbour rather than crash
  }
}

size_t HnswIndex::RawSearchKnn(const float* query, size_t k, Neighbor* out) const {
  if (!graph_ || labels_of_.empty() || k == 0) return 0;
  try {
    auto result = graph_->hnsw.searchKnn(query, k);
    size_t n = result.size();
    for (size_t i = n; i > 0; --i) {
      out[i - 1] = Neighbor{ids_of_label_[result.top().second], 1.0f - result.top().first};
      result.pop();
    }
    return n;
  } catch (const std::exception&) {
    return 0;
  }
}

void HnswIndex::Clear() {
  Status s = Reset(initial_capacity_);
  (void)s;
}

}  // namespace vsr::cache
