// SemanticCache: answers a request from an earlier response to a similar request.
//
// Promises of every implementation:
//  - Similarity is the cosine of the two embeddings: vectors are L2-normalised on entry, so a
//    lookup compares dot products. A lookup hits when similarity >= threshold (with a 1e-5
//    tolerance for float rounding, so an identical vector hits at threshold 1.0).
//  - An entry answers only lookups for its own model.
//  - A pending entry (AddPending) is invisible to lookups until CompletePending gives it its
//    response; a pending entry not completed within CacheOptions::pending_ttl is dropped.
//  - An entry whose TTL has run out, or that was evicted or cleared, is never returned. A hit
//    restarts the entry's TTL (sliding expiry).
//  - Bad input (empty model, zero / NaN / infinite vector, dimension mismatch, threshold out
//    of [-1, 1]) returns InvalidArgument with a message naming the problem; nothing crashes.
//  - All methods are thread-safe. Lookups run concurrently with each other; writers hold an
//    exclusive lock only for the index update itself.
//
// SemanticCache is also the backend interface: the in-memory store (CreateInMemoryCache) is
// one implementation; a shared store (e.g. Redis, for several router replicas) can be another.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cache/cache_options.h"
#include "common/status.h"

namespace vsr::cache {

// A completed entry to store.
struct CacheEntryInput {
  std::string_view request_id;  // unique key; adding an existing id replaces that entry
  std::string_view model;       // the model the response came from
  std::span<const float> embedding;
  std::string_view request_body;
  std::string_view response_body;
  // Time to live; 0 = CacheOptions::ttl. Negative is an error.
  std::chrono::milliseconds ttl{0};
};

// A request whose response has not arrived yet.
struct PendingEntryInput {
  std::string_view request_id;
  std::string_view model;
  std::span<const float> embedding;
  std::string_view request_body;
  std::chrono::milliseconds ttl{0};  // TTL the entry gets once completed; 0 = default
};

struct LookupResult {
  bool found = false;
  // The cached response body (shared, so a hit copies no bytes); null when !found.
  std::shared_ptr<const std::string> response;
  // Cosine similarity of the best entry of the model (also set on a miss when the model has
  // entries, so callers can log how close the nearest entry was); -2 when there is none.
  float similarity = -2.0f;
  // Id of the entry that answered (unique for the life of the cache; never reused). 0 on miss.
  uint64_t entry_id = 0;
};

struct CacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t entries = 0;      // completed entries currently stored
  uint64_t pending = 0;      // pending entries currently stored
  uint64_t evictions = 0;    // entries removed to make room (not counting expiry)
  uint64_t expirations = 0;  // entries (and pending entries) removed because their TTL ran out
  double hit_rate() const {
    uint64_t total = hits + misses;
    return total == 0 ? 0.0 : static_cast<double>(hits) / static_cast<double>(total);
  }
};

class SemanticCache {
 public:
  virtual ~SemanticCache() = default;

  // Stores a completed entry (evicting per policy when full).
  virtual Status Add(const CacheEntryInput& entry) = 0;

  // Stores a pending entry, invisible until CompletePending(request_id, ...).
  virtual Status AddPending(const PendingEntryInput& entry) = 0;
  // Gives the pending entry its response and makes it visible. NotFound when there is no
  // such pending entry (never added, already completed, or timed out).
  virtual Status CompletePending(std::string_view request_id, std::string_view response_body) = 0;

  // The most similar entry of `model`, if its similarity reaches `threshold`
  // (std::nullopt = CacheOptions::similarity_threshold).
  virtual StatusOr<LookupResult> Lookup(std::string_view model, std::span<const float> embedding,
                                        std::optional<float> threshold = std::nullopt) = 0;

  // Removes the entry with this request id (completed or pending). NotFound when absent.
  virtual Status Remove(std::string_view request_id) = 0;

  virtual CacheStats Stats() const = 0;

  // Drops every entry and pending entry (counters in Stats() are cumulative and stay).
  virtual void Clear() = 0;

  // Removes entries whose TTL has run out now; returns how many. Also runs on every write
  // and, when CacheOptions::cleanup_interval > 0, periodically in the background.
  virtual size_t PurgeExpired() = 0;

  // Embedding dimension (0 until fixed by options or the first entry).
  virtual size_t dimension() const = 0;
};

// The in-process store: linear or HNSW search per CacheOptions::search_mode.
// InvalidArgument when the options do not validate.
StatusOr<std::unique_ptr<SemanticCache>> CreateInMemoryCache(const CacheOptions& options);

}  // namespace vsr::cache
