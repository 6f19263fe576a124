// EvictionOrder: which entry slot leaves next when the cache is full, per EvictionPolicy.
//
// FIFO and LRU are one intrusive doubly-linked list over slot numbers; LFU is the classic
// O(1) structure (a list of frequency buckets, each an LRU list of its slots). Every
// operation is O(1) and allocates nothing once Reserve() has sized the arrays.
// Not synchronised: the cache serialises calls.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "cache/cache_options.h"

namespace vsr::cache {

class EvictionOrder {
 public:
  static std::unique_ptr<EvictionOrder> Create(EvictionPolicy policy);
  virtual ~EvictionOrder() = default;

  // Makes room for slots [0, slots).
  virtual void Reserve(size_t slots) = 0;
  virtual void OnInsert(uint32_t slot) = 0;
  virtual void OnHit(uint32_t slot) = 0;
  virtual void OnRemove(uint32_t slot) = 0;
  // The slot to evict next; nullopt when empty.
  virtual std::optional<uint32_t> Victim() const = 0;
  // False when OnHit() is a no-op (FIFO), so lookups can skip locking for it.
  virtual bool TracksHits() const = 0;
  virtual void Clear() = 0;
};

// An intrusive doubly-linked list of slot numbers; next/prev live in caller-owned arrays so
// one set of arrays serves several lists (a slot is in at most one list).
struct SlotLinks {
  static constexpr uint32_t kNil = UINT32_MAX;
  std::vector<uint32_t> next, prev;
  void Reserve(size_t slots) {
    if (next.size() < slots) {
      next.resize(slots, kNil);
      prev.resize(slots, kNil);
    }
  }
};

struct SlotList {
  uint32_t head = SlotLinks::kNil;  // oldest / least recently used
  uint32_t tail = SlotLinks::kNil;  // newest / most recently used
  bool empty() const { return head == SlotLinks::kNil; }
  void PushBack(SlotLinks& links, uint32_t slot);
  void Unlink(SlotLinks& links, uint32_t slot);
};

}  // namespace vsr::cache
