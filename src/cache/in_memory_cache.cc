#include "cache/in_memory_cache.h"

#include <algorithm>
#include <cmath>
#include <shared_mutex>
#include <string>

#include "cache/hnsw_index.h"
#include "cache/linear_index.h"
#include "cache/vector_math.h"

namespace vsr::cache {
namespace {

// Neighbours fetched per lookup: the nearest may have expired (purge is lazy), then the next
// one still answers.
constexpr size_t kCandidates = 4;
// Similarity tolerance for float rounding: an identical vector hits at threshold 1.0.
constexpr float kSimilarityEpsilon = 1e-5f;

Status CheckThreshold(float threshold) {
  if (!std::isfinite(threshold) || threshold < -1.0f || threshold > 1.0f) {
    return Status::InvalidArgument("cache: similarity threshold must be in [-1, 1], got " +
                                   std::to_string(threshold));
  }
  return Status::OK();
}

Status CheckKeys(std::string_view request_id, std::string_view model) {
  if (request_id.empty()) return Status::InvalidArgument("cache: request id is empty");
  if (model.empty()) return Status::InvalidArgument("cache: model is empty");
  return Status::OK();
}

Status CheckTtl(std::chrono::milliseconds ttl) {
  if (ttl.count() < 0) {
    return Status::InvalidArgument("cache: ttl must be >= 0 ms, got " +
                                   std::to_string(ttl.count()));
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::unique_ptr<SemanticCache>> CreateInMemoryCache(const CacheOptions& options) {
  auto cache = InMemoryCache::Create(options);
  if (!cache.ok()) return cache.status();
  return std::unique_ptr<SemanticCache>(std::move(cache).value());
}

StatusOr<std::unique_ptr<InMemoryCache>> InMemoryCache::Create(const CacheOptions& options) {
  VSR_RETURN_IF_ERROR(options.Validate());
  return std::unique_ptr<InMemoryCache>(new InMemoryCache(options));
}

InMemoryCache::InMemoryCache(const CacheOptions& options)
    : options_(options), order_(EvictionOrder::Create(options.eviction_policy)) {
  dim_.store(options_.dimension, std::memory_order_release);
  if (options_.cleanup_interval.count() > 0) cleaner_ = std::thread([this] { CleanerLoop(); });
}

InMemoryCache::~InMemoryCache() {
  if (cleaner_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(cleaner_mu_);
      stop_cleaner_ = true;
    }
    cleaner_cv_.notify_all();
    cleaner_.join();
  }
}

void InMemoryCache::CleanerLoop() {
  std::unique_lock<std::mutex> lock(cleaner_mu_);
  while (!stop_cleaner_) {
    cleaner_cv_.wait_for(lock, options_.cleanup_interval, [this] { return stop_cleaner_; });
    if (stop_cleaner_) break;
    lock.unlock();
    PurgeExpired();
    lock.lock();
  }
}

int64_t InMemoryCache::NowNs() const {
  auto now = options_.clock ? options_.clock() : std::chrono::steady_clock::now();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
}

int64_t InMemoryCache::TtlNs(std::chrono::milliseconds ttl) const {
  auto effective = ttl.count() > 0 ? ttl : options_.ttl;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(effective).count();
}

Status InMemoryCache::CheckDimension(size_t dim) const {
  size_t expected = dim_.load(std::memory_order_acquire);
  if (expected != 0 && dim != expected) {
    return Status::InvalidArgument("cache: embedding has dimension " + std::to_string(dim) +
                                   ", the cache holds dimension " + std::to_string(expected));
  }
  return Status::OK();
}

// ---- writes ---------------------------------------------------------------------------------

Status InMemoryCache::Add(const CacheEntryInput& entry) {
  VSR_RETURN_IF_ERROR(CheckKeys(entry.request_id, entry.model));
  VSR_RETURN_IF_ERROR(CheckTtl(entry.ttl));
  VSR_RETURN_IF_ERROR(CheckDimension(entry.embedding.size()));
  std::vector<float> normalized(entry.embedding.size());
  VSR_RETURN_IF_ERROR(NormalizeInto(entry.embedding, normalized.data()));
  // A completed entry supersedes a pending one with the same id.
  {
    std::lock_guard<std::mutex> lock(pending_mu_);
    auto it = pending_by_id_.find(entry.request_id);
    if (it != pending_by_id_.end()) {
      pending_.erase(it->second);
      pending_by_id_.erase(it);
      pending_count_.fetch_sub(1, std::memory_order_relaxed);
    }
  }
  return Insert(NewEntry{entry.request_id, entry.model, normalized.data(), normalized.size(),
                         entry.request_body, entry.response_body, entry.ttl});
}

Status InMemoryCache::Insert(const NewEntry& entry) {
  std::unique_lock<RwMutex> lock(mu_);
  return InsertLocked(entry, NowNs());
}

Status InMemoryCache::InsertLocked(const NewEntry& entry, int64_t now_ns) {
  size_t dim = dim_.load(std::memory_order_relaxed);
  if (dim == 0) {
    dim_.store(entry.dim, std::memory_order_release);
  } else if (dim != entry.dim) {
    return CheckDimension(entry.dim);  // re-checked: Clear() may have run meanwhile
  }
  PurgeExpiredLocked(now_ns);
  if (auto it = slot_of_request_.find(entry.request_id); it != slot_of_request_.end()) {
    RemoveSlotLocked(it->second);
  }
  while (entries_.load(std::memory_order_relaxed) >= options_.max_entries) {
    std::optional<uint32_t> victim = order_->Victim();
    if (!victim) break;
    RemoveSlotLocked(*victim);
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
  Partition* partition = PartitionForLocked(entry.model);

  if (free_slots_.empty()) {
    free_slots_.push_back(static_cast<uint32_t>(slots_.size()));
    slots_.emplace_back();
    order_->Reserve(slots_.size());
  }
  const uint32_t slot = free_slots_.back();
  VSR_RETURN_IF_ERROR(partition->index->Add(slot, entry.embedding));  // slot stays free
  free_slots_.pop_back();

  Entry& e = slots_[slot];
  e.id = next_entry_id_++;
  e.partition = partition;
  e.request_id.assign(entry.request_id);
  e.request_body.assign(entry.request_body);
  e.response = std::make_shared<const std::string>(entry.response_body);
  e.ttl_ns = TtlNs(entry.ttl);
  int64_t expires = e.ttl_ns > 0 ? now_ns + e.ttl_ns : kNever;
  e.expires_ns.store(expires, std::memory_order_relaxed);
  if (expires != kNever) deadlines_.push(Deadline{expires, slot, e.id});
  order_->OnInsert(slot);
  slot_of_request_.emplace(e.request_id, slot);
  entries_.fetch_add(1, std::memory_order_relaxed);
  return Status::OK();
}

InMemoryCache::Partition* InMemoryCache::PartitionForLocked(std::string_view model) {
  auto it = partitions_.find(model);
  if (it != partitions_.end()) return it->second.get();
  auto partition = std::make_unique<Partition>();
  size_t dim = dim_.load(std::memory_order_relaxed);
  if (options_.search_mode == SearchMode::kHnsw) {
    partition->index = std::make_unique<HnswIndex>(dim, options_.hnsw,
                                                   std::min<size_t>(options_.max_entries, 1024));
  } else {
    partition->index = std::make_unique<LinearIndex>(dim);
  }
  Partition* raw = partition.get();
  partitions_.emplace(std::string(model), std::move(partition));
  return raw;
}

void InMemoryCache::RemoveSlotLocked(uint32_t slot) {
  Entry& e = slots_[slot];
  if (e.id == 0) return;
  e.partition->index->Remove(slot);
  order_->OnRemove(slot);
  slot_of_request_.erase(e.request_id);
  e.id = 0;
  e.partition = nullptr;
  e.request_id.clear();
  e.request_body.clear();
  e.request_body.shrink_to_fit();
  e.response.reset();
  e.expires_ns.store(0, std::memory_order_relaxed);
  free_slots_.push_back(slot);
  entries_.fetch_sub(1, std::memory_order_relaxed);
}

size_t InMemoryCache::PurgeExpiredLocked(int64_t now_ns) {
  size_t purged = 0;
  while (!deadlines_.empty() && deadlines_.top().expires_ns <= now_ns) {
    Deadline d = deadlines_.top();
    deadlines_.pop();
    Entry& e = slots_[d.slot];
    if (e.id != d.entry_id) continue;  // the entry left earlier; stale record
    int64_t expires = e.expires_ns.load(std::memory_order_relaxed);
    if (expires > now_ns) {
      deadlines_.push(Deadline{expires, d.slot, d.entry_id});  // slid by a hit
      continue;
    }
    RemoveSlotLocked(d.slot);
    ++purged;
  }
  // Records of evicted or replaced entries linger until their deadline; rebuild the heap when
  // they outnumber the live entries, which keeps it O(entries).
  if (deadlines_.size() > 2 * entries_.load(std::memory_order_relaxed) + 64) {
    std::vector<Deadline> live;
    for (uint32_t slot = 0; slot < slots_.size(); ++slot) {
      const Entry& e = slots_[slot];
      int64_t expires = e.expires_ns.load(std::memory_order_relaxed);
      if (e.id != 0 && expires != kNever) live.push_back(Deadline{expires, slot, e.id});
    }
    deadlines_ = decltype(deadlines_)(std::greater<>(), std::move(live));
  }
  expirations_.fetch_add(purged, std::memory_order_relaxed);
  return purged;
}

size_t InMemoryCache::PurgePendingLocked(int64_t now_ns) {
  size_t purged = 0;
  while (!pending_.empty() && pending_.front().deadline_ns <= now_ns) {
    pending_by_id_.erase(pending_.front().request_id);
    pending_.pop_front();
    ++purged;
  }
  pending_count_.fetch_sub(purged, std::memory_order_relaxed);
  expirations_.fetch_add(purged, std::memory_order_relaxed);
  return purged;
}

Status InMemoryCache::AddPending(const PendingEntryInput& entry) {
  VSR_RETURN_IF_ERROR(CheckKeys(entry.request_id, entry.model));
  VSR_RETURN_IF_ERROR(CheckTtl(entry.ttl));
  VSR_RETURN_IF_ERROR(CheckDimension(entry.embedding.size()));
  Pending p;
  p.embedding.resize(entry.embedding.size());
  VSR_RETURN_IF_ERROR(NormalizeInto(entry.embedding, p.embedding.data()));
  p.request_id.assign(entry.request_id);
  p.model.assign(entry.model);
  p.request_body.assign(entry.request_body);
  p.ttl = entry.ttl;
  int64_t now = NowNs();
  p.deadline_ns =
      now + std::chrono::duration_cast<std::chrono::nanoseconds>(options_.pending_ttl).count();

  std::lock_guard<std::mutex> lock(pending_mu_);
  PurgePendingLocked(now);
  if (auto it = pending_by_id_.find(entry.request_id); it != pending_by_id_.end()) {
    pending_.erase(it->second);
    pending_by_id_.erase(it);
    pending_count_.fetch_sub(1, std::memory_order_relaxed);
  }
  while (pending_.size() >= options_.max_pending) {
    pending_by_id_.erase(pending_.front().request_id);
    pending_.pop_front();
    pending_count_.fetch_sub(1, std::memory_order_relaxed);
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
  pending_.push_back(std::move(p));
  pending_by_id_.emplace(pending_.back().request_id, std::prev(pending_.end()));
  pending_count_.fetch_add(1, std::memory_order_relaxed);
  return Status::OK();
}

Status InMemoryCache::CompletePending(std::string_view request_id, std::string_view response_body) {
  Pending p;
  {
    std::lock_guard<std::mutex> lock(pending_mu_);
    auto it = pending_by_id_.find(request_id);
    if (it == pending_by_id_.end()) {
      return Status::NotFound("cache: no pending entry for request '" + std::string(request_id) +
                              "' (never added, already completed, or timed out)");
    }
    bool timed_out = it->second->deadline_ns <= NowNs();
    p = std::move(*it->second);
    pending_.erase(it->second);
    pending_by_id_.erase(it);
    pending_count_.fetch_sub(1, std::memory_order_relaxed);
    if (timed_out) {
      expirations_.fetch_add(1, std::memory_order_relaxed);
      return Status::NotFound("cache: pending entry for request '" + std::string(request_id) +
                              "' timed out");
    }
  }
  return Insert(NewEntry{p.request_id, p.model, p.embedding.data(), p.embedding.size(),
                         p.request_body, response_body, p.ttl});
}

Status InMemoryCache::Remove(std::string_view request_id) {
  {
    std::lock_guard<std::mutex> lock(pending_mu_);
    auto it = pending_by_id_.find(request_id);
    if (it != pending_by_id_.end()) {
      pending_.erase(it->second);
      pending_by_id_.erase(it);
      pending_count_.fetch_sub(1, std::memory_order_relaxed);
      return Status::OK();
    }
  }
  std::unique_lock<RwMutex> lock(mu_);
  auto it = slot_of_request_.find(request_id);
  if (it == slot_of_request_.end()) {
    return Status::NotFound("cache: no entry for request '" + std::string(request_id) + "'");
  }
  RemoveSlotLocked(it->second);
  return Status::OK();
}

void InMemoryCache::Clear() {
  {
    std::unique_lock<RwMutex> lock(mu_);
    slots_.clear();
    free_slots_.clear();
    partitions_.clear();
    slot_of_request_.clear();
    deadlines_ = {};
    order_->Clear();
    entries_.store(0, std::memory_order_relaxed);
    dim_.store(options_.dimension, std::memory_order_release);
  }
  std::lock_guard<std::mutex> lock(pending_mu_);
  pending_.clear();
  pending_by_id_.clear();
  pending_count_.store(0, std::memory_order_relaxed);
}

size_t InMemoryCache::PurgeExpired() {
  int64_t now = NowNs();
  size_t purged;
  {
    std::unique_lock<RwMutex> lock(mu_);
    purged = PurgeExpiredLocked(now);
  }
  std::lock_guard<std::mutex> lock(pending_mu_);
  return purged + PurgePendingLocked(now);
}

// ---- reads ----------------------------------------------------------------------------------

StatusOr<LookupResult> InMemoryCache::Lookup(std::string_view model,
                                             std::span<const float> embedding,
                                             std::optional<float> threshold_opt) {
  const float threshold = threshold_opt.value_or(options_.similarity_threshold);
  VSR_RETURN_IF_ERROR(CheckThreshold(threshold));
  if (model.empty()) return Status::InvalidArgument("cache: model is empty");
  thread_local std::vector<float> query;
  if (query.size() < embedding.size()) query.resize(embedding.size());
  VSR_RETURN_IF_ERROR(NormalizeInto(embedding, query.data()));
  const int64_t now = NowNs();

  LookupResult result;
  {
    std::shared_lock<RwMutex> lock(mu_);
    VSR_RETURN_IF_ERROR(CheckDimension(embedding.size()));
    auto it = partitions_.find(model);
    if (it != partitions_.end()) {
      Neighbor neighbors[kCandidates];
      size_t n = it->second->index->Search(query.data(), kCandidates, neighbors);
      for (size_t i = 0; i < n; ++i) {
        Entry& e = slots_[neighbors[i].id];
        if (e.expires_ns.load(std::memory_order_relaxed) <= now) continue;  // expired
        result.similarity = std::clamp(neighbors[i].similarity, -1.0f, 1.0f);
        if (neighbors[i].similarity + kSimilarityEpsilon >= threshold) {
          result.found = true;
          result.response = e.response;
          result.entry_id = e.id;
          if (e.ttl_ns > 0) e.expires_ns.store(now + e.ttl_ns, std::memory_order_relaxed);
          if (order_->TracksHits()) {
            std::lock_guard<std::mutex> order_lock(order_mu_);
            order_->OnHit(neighbors[i].id);
          }
        }
        break;
      }
    }
  }
  (result.found ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
  return result;
}

CacheStats InMemoryCache::Stats() const {
  CacheStats s;
  s.hits = hits_.load(std::memory_order_relaxed);
  s.misses = misses_.load(std::memory_order_relaxed);
  s.entries = entries_.load(std::memory_order_relaxed);
  s.pending = pending_count_.load(std::memory_order_relaxed);
  s.evictions = evictions_.load(std::memory_order_relaxed);
  s.expirations = expirations_.load(std::memory_order_relaxed);
  return s;
}

const VectorIndex* InMemoryCache::IndexForTesting(std::string_view model) const {
  std::shared_lock<RwMutex> lock(mu_);
  auto it = partitions_.find(model);
  return it == partitions_.end() ? nullptr : it->second->index.get();
}

}  // namespace vsr::cache
