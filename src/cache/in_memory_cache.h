// InMemoryCache: the in-process SemanticCache (see semantic_cache.h for its promises).
//
// Layout: entries live in slots (a deque, so slots never move); each model has its own
// VectorIndex (LinearIndex or HnswIndex) over the slots of that model, so a lookup never sees
// another model's entries. A writer-preferring reader-writer lock guards the slots and
// indexes: lookups share it; writers hold it exclusively for the index update only (input
// validation and normalisation happen before). Per-entry expiry is an atomic a hit can slide
// under the shared lock; LRU/LFU bookkeeping on a hit takes a small separate mutex (skipped
// for FIFO). Expired entries leave through a min-heap of deadlines, lazily re-checked (a
// slid deadline is pushed back), on every write, on PurgeExpired() and in the optional
// background cleaner. Pending entries sit in their own map under their own mutex, so
// AddPending never blocks lookups.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cache/eviction_order.h"
#include "cache/rw_mutex.h"
#include "cache/semantic_cache.h"
#include "cache/vector_index.h"

namespace vsr::cache {

class InMemoryCache final : public SemanticCache {
 public:
  static StatusOr<std::unique_ptr<InMemoryCache>> Create(const CacheOptions& options);
  ~InMemoryCache() override;

  Status Add(const CacheEntryInput& entry) override;
  Status AddPending(const PendingEntryInput& entry) override;
  Status CompletePending(std::string_view request_id, std::string_view response_body) override;
  StatusOr<LookupResult> Lookup(std::string_view model, std::span<const float> embedding,
                                std::optional<float> threshold = std::nullopt) override;
  Status Remove(std::string_view request_id) override;
  CacheStats Stats() const override;
  void Clear() override;
  size_t PurgeExpired() override;
  size_t dimension() const override { return dim_.load(std::memory_order_acquire); }

  const CacheOptions& options() const { return options_; }

  // The index holding `model`'s entries (nullptr when the model has none yet). For benchmarks
  // and tests that compare against the raw index: the pointer is stable until Clear(); call
  // Search on it only while no writer runs.
  const VectorIndex* IndexForTesting(std::string_view model) const;

 private:
  static constexpr int64_t kNever = INT64_MAX;

  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

  struct Partition {
    std::unique_ptr<VectorIndex> index;
  };
  struct Entry {
    uint64_t id = 0;  // 0: free slot
    Partition* partition = nullptr;
    std::string request_id;
    std::string request_body;
    std::shared_ptr<const std::string> response;
    int64_t ttl_ns = 0;  // 0: never expires
    std::atomic<int64_t> expires_ns{0};
  };
  struct Deadline {
    int64_t expires_ns;
    uint32_t slot;
    uint64_t entry_id;
    bool operator>(const Deadline& o) const { return expires_ns > o.expires_ns; }
  };
  struct Pending {
    std::string request_id;
    std::string model;
    std::vector<float> embedding;  // normalised
    std::string request_body;
    std::chrono::milliseconds ttl{0};
    int64_t deadline_ns = 0;
  };
  // A validated, normalised entry on its way in.
  struct NewEntry {
    std::string_view request_id;
    std::string_view model;
    const float* embedding;
    size_t dim;
    std::string_view request_body;
    std::string_view response_body;
    std::chrono::milliseconds ttl;
  };

  explicit InMemoryCache(const CacheOptions& options);
  int64_t NowNs() const;
  int64_t TtlNs(std::chrono::milliseconds ttl) const;
  Status CheckDimension(size_t dim) const;

  Status Insert(const NewEntry& entry);                        // takes mu_
  Status InsertLocked(const NewEntry& entry, int64_t now_ns);  // mu_ held exclusively
  void RemoveSlotLocked(uint32_t slot);
  size_t PurgeExpiredLocked(int64_t now_ns);
  size_t PurgePendingLocked(int64_t now_ns);  // pending_mu_ held
  Partition* PartitionForLocked(std::string_view model);
  void CleanerLoop();

  const CacheOptions options_;

  // Guards everything below up to the pending section.
  mutable RwMutex mu_;
  std::atomic<size_t> dim_{0};
  std::deque<Entry> slots_;
  std::vector<uint32_t> free_slots_;
  StringMap<std::unique_ptr<Partition>> partitions_;
  StringMap<uint32_t> slot_of_request_;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  uint64_t next_entry_id_ = 1;
  // Eviction order: changed by writers under mu_ (exclusive) and by hits under mu_ (shared)
  // plus order_mu_.
  std::unique_ptr<EvictionOrder> order_;
  std::mutex order_mu_;

  std::mutex pending_mu_;
  std::list<Pending> pending_;  // oldest first
  StringMap<std::list<Pending>::iterator> pending_by_id_;

  std::atomic<uint64_t> hits_{0}, misses_{0}, entries_{0}, pending_count_{0}, evictions_{0},
      expirations_{0};

  std::mutex cleaner_mu_;
  std::condition_variable cleaner_cv_;
  bool stop_cleaner_ = false;
  std::thread cleaner_;
};

}  // namespace vsr::cache
