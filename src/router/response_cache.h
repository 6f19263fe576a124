// ResponseCache: the router's view of the semantic cache. Lookup embeds the query once and
// keeps the embedding in the CacheProbe, so the Store after a miss does not embed again.
//
// SemanticResponseCache adapts a cache::SemanticCache plus an embedding function.
// Thread-safe when the wrapped cache and embedding function are.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/semantic_cache.h"
#include "common/status.h"

namespace vsr::router {

struct CacheProbe {
  std::vector<float> embedding;            // of the query, once looked up
  std::shared_ptr<const std::string> hit;  // the cached response body; null on a miss
  float similarity = -2.0f;
  void Clear() {
    embedding.clear();
    hit.reset();
    similarity = -2.0f;
  }
};

class ResponseCache {
 public:
  virtual ~ResponseCache() = default;
  // Looks `query` up among `model`'s entries; fills `probe` (hit or not).
  virtual Status Lookup(std::string_view model, std::string_view query,
                        std::optional<float> threshold, CacheProbe* probe) = 0;
  // Stores a completed response for the query `probe` was looked up with.
  virtual Status Store(std::string_view model, const CacheProbe& probe,
                       std::string_view request_body, std::string_view response_body,
                       std::chrono::milliseconds ttl) = 0;
};

using EmbedFunction = std::function<Status(std::string_view text, std::vector<float>* out)>;

class SemanticResponseCache final : public ResponseCache {
 public:
  SemanticResponseCache(std::unique_ptr<cache::SemanticCache> cache, EmbedFunction embed);

  Status Lookup(std::string_view model, std::string_view query, std::optional<float> threshold,
                CacheProbe* probe) override;
  Status Store(std::string_view model, const CacheProbe& probe, std::string_view request_body,
               std::string_view response_body, std::chrono::milliseconds ttl) override;

  cache::SemanticCache& cache() { return *cache_; }

 private:
  std::unique_ptr<cache::SemanticCache> cache_;
  EmbedFunction embed_;
  std::atomic<uint64_t> next_id_{1};
};

}  // namespace vsr::router
