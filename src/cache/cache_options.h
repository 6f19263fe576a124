// CacheOptions: every knob of the in-memory semantic cache, independent of the YAML config.
//
// The router maps `global.stores.response_cache` from the config onto this struct, so the
// cache library does not depend on the config library. Validate() names the first field
// that is out of range.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "common/status.h"

namespace vsr::cache {

// How a lookup finds the most similar entry of a model.
enum class SearchMode {
  kLinear,  // exact: SIMD dot product against every entry of the model
  kHnsw,    // approximate: hnswlib graph per model (M / efConstruction / efSearch)
};

// Which entry leaves when the cache is full (expired entries always leave first).
enum class EvictionPolicy {
  kFifo,  // oldest insertion
  kLru,   // least recently hit (or inserted)
  kLfu,   // fewest hits; ties broken by least recently used
};

struct HnswOptions {
  size_t m = 16;                 // graph degree (hnswlib M)
  size_t ef_construction = 200;  // candidate list size while inserting
  size_t ef_search = 50;         // candidate list size while searching
  uint64_t seed = 100;           // level generator seed (fixed: reproducible graphs)
};

struct CacheOptions {
  SearchMode search_mode = SearchMode::kHnsw;
  EvictionPolicy eviction_policy = EvictionPolicy::kLru;
  // Completed entries kept at most (all models together). Must be > 0.
  size_t max_entries = 10000;
  // Pending entries (waiting for their response) kept at most; the oldest are dropped.
  size_t max_pending = 10000;
  // Default cosine similarity a lookup needs to hit, in [-1, 1].
  float similarity_threshold = 0.8f;
  // Default time to live of an entry; sliding: every hit restarts it. 0 = never expires.
  std::chrono::milliseconds ttl{std::chrono::hours(1)};
  // A pending entry not completed within this time is dropped. Must be > 0.
  std::chrono::milliseconds pending_ttl{std::chrono::minutes(5)};
  // Embedding dimension; 0 = fixed by the first entry added.
  size_t dimension = 0;
  HnswOptions hnsw;
  // When > 0, a background thread purges expired entries at this period. Expired entries are
  // also purged lazily by every write, and are never returned by a lookup either way.
  std::chrono::milliseconds cleanup_interval{0};
  // Time source (tests inject a fake clock). Empty = std::chrono::steady_clock.
  std::function<std::chrono::steady_clock::time_point()> clock;

  Status Validate() const;
};

std::string_view SearchModeName(SearchMode mode);
std::string_view EvictionPolicyName(EvictionPolicy policy);
// "linear" | "hnsw" (case-sensitive).
StatusOr<SearchMode> ParseSearchMode(std::string_view name);
// "fifo" | "lru" | "lfu" (case-sensitive).
StatusOr<EvictionPolicy> ParseEvictionPolicy(std::string_view name);

}  // namespace vsr::cache
