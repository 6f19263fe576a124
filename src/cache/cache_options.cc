#include "cache/cache_options.h"

#include <cmath>
#include <string>

namespace vsr::cache {

Status CacheOptions::Validate() const {
  if (max_entries == 0) return Status::InvalidArgument("cache: max_entries must be > 0");
  if (max_pending == 0) return Status::InvalidArgument("cache: max_pending must be > 0");
  if (!std::isfinite(similarity_threshold) || similarity_threshold < -1.0f ||
      similarity_threshold > 1.0f) {
    return Status::InvalidArgument("cache: similarity_threshold must be in [-1, 1], got " +
                                   std::to_string(similarity_threshold));
  }
  if (ttl.count() < 0) return Status::InvalidArgument("cache: ttl must be >= 0");
  if (pending_ttl.count() <= 0) return Status::InvalidArgument("cache: pending_ttl must be > 0");
  if (cleanup_interval.count() < 0) {
    return Status::InvalidArgument("cache: cleanup_interval must be >= 0");
  }
  if (hnsw.m < 2 || hnsw.m > 1000) {
    return Status::InvalidArgument("cache: hnsw.m must be in [2, 1000], got " +
                                   std::to_string(hnsw.m));
  }
  if (hnsw.ef_construction == 0) {
    return Status::InvalidArgument("cache: hnsw.ef_construction must be > 0");
  }
  if (hnsw.ef_search == 0) return Status::InvalidArgument("cache: hnsw.ef_search must be > 0");
  if (dimension > (1u << 16)) {
    return Status::InvalidArgument("cache: dimension must be <= 65536, got " +
                                   std::to_string(dimension));
  }
  return Status::OK();
}

std::string_view SearchModeName(SearchMode mode) {
  switch (mode) {
    case SearchMode::kLinear:
      return "linear";
    case SearchMode::kHnsw:
      return "hnsw";
  }
  return "unknown";
}

std::string_view EvictionPolicyName(EvictionPolicy policy) {
  switch (policy) {
    case EvictionPolicy::kFifo:
      return "fifo";
    case EvictionPolicy::kLru:
      return "lru";
    case EvictionPolicy::kLfu:
      return "lfu";
  }
  return "unknown";
}

StatusOr<SearchMode> ParseSearchMode(std::string_view name) {
  if (name == "linear") return SearchMode::kLinear;
  if (name == "hnsw") return SearchMode::kHnsw;
  return Status::InvalidArgument("cache: unknown search mode '" + std::string(name) +
                                 "' (expected linear or hnsw)");
}

StatusOr<EvictionPolicy> ParseEvictionPolicy(std::string_view name) {
  if (name == "fifo") return EvictionPolicy::kFifo;
  if (name == "lru") return EvictionPolicy::kLru;
  if (name == "lfu") return EvictionPolicy::kLfu;
  return Status::InvalidArgument("cache: unknown eviction policy '" + std::string(name) +
                                 "' (expected fifo, lru or lfu)");
}

}  // namespace vsr::cache
