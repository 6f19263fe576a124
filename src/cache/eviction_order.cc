#include "cache/eviction_order.h"

namespace vsr::cache {

void SlotList::PushBack(SlotLinks& links, uint32_t slot) {
  links.prev[slot] = tail;
  links.next[slot] = SlotLinks::kNil;
  if (tail != SlotLinks::kNil) {
    links.next[tail] = slot;
  } else {
    head = slot;
  }
  tail = slot;
}

void SlotList::Unlink(SlotLinks& links, uint32_t slot) {
  uint32_t p = links.prev[slot], n = links.next[slot];
  if (p != SlotLinks::kNil) {
    links.next[p] = n;
  } else {
    head = n;
  }
  if (n != SlotLinks::kNil) {
    links.prev[n] = p;
  } else {
    tail = p;
  }
  links.prev[slot] = links.next[slot] = SlotLinks::kNil;
}

namespace {

// FIFO (hits ignored) and LRU (a hit moves the slot to the back).
class ListOrder final : public EvictionOrder {
 public:
  explicit ListOrder(bool move_on_hit) : move_on_hit_(move_on_hit) {}
  void Reserve(size_t slots) override { links_.Reserve(slots); }
  void OnInsert(uint32_t slot) override { list_.PushBack(links_, slot); }
  void OnHit(uint32_t slot) override {
    if (!move_on_hit_) return;
    list_.Unlink(links_, slot);
    list_.PushBack(links_, slot);
  }
  void OnRemove(uint32_t slot) override { list_.Unlink(links_, slot); }
  std::optional<uint32_t> Victim() const override {
    if (list_.empty()) return std::nullopt;
    return list_.head;
  }
  bool TracksHits() const override { return move_on_hit_; }
  void Clear() override {
    list_ = SlotList{};
    links_ = SlotLinks{};
  }

 private:
  bool move_on_hit_;
  SlotLinks links_;
  SlotList list_;
};

// LFU: buckets of equal hit count in ascending order; each bucket is an LRU list. Buckets come
// from a pool sized slots + 1 (never more non-empty buckets than slots, plus one in OnHit).
class LfuOrder final : public EvictionOrder {
 public:
  void Reserve(size_t slots) override {
    if (bucket_of_.size() >= slots) return;
    links_.Reserve(slots);
    bucket_of_.resize(slots, SlotLinks::kNil);
    // One bucket more than slots: OnHit() takes the target bucket before it frees the source.
    size_t old = buckets_.size();
    buckets_.resize(slots + 1);
    bucket_links_.Reserve(slots + 1);
    for (size_t b = old; b < slots + 1; ++b) free_buckets_.push_back(static_cast<uint32_t>(b));
  }

  void OnInsert(uint32_t slot) override {
    uint32_t b = order_.head;
    if (b == SlotLinks::kNil || buckets_[b].count != 1) {
      b = NewBucket(1);
      InsertBucketAfter(SlotLinks::kNil, b);
    }
    Attach(slot, b);
  }

  void OnHit(uint32_t slot) override {
    uint32_t b = bucket_of_[slot];
    uint64_t count = buckets_[b].count + 1;
    uint32_t next = bucket_links_.next[b];
    uint32_t target = next;
    if (next == SlotLinks::kNil || buckets_[next].count != count) {
      target = NewBucket(count);
      InsertBucketAfter(b, target);
    }
    Detach(slot);
    Attach(slot, target);
  }

  void OnRemove(uint32_t slot) override { Detach(slot); }

  std::optional<uint32_t> Victim() const override {
    if (order_.head == SlotLinks::kNil) return std::nullopt;
    return buckets_[order_.head].slots.head;
  }
  bool TracksHits() const override { return true; }
  void Clear() override { *this = LfuOrder{}; }

 private:
  struct Bucket {
    uint64_t count = 0;
    SlotList slots;
  };

  uint32_t NewBucket(uint64_t count) {
    uint32_t b = free_buckets_.back();
    free_buckets_.pop_back();
    buckets_[b] = Bucket{count, SlotList{}};
    return b;
  }
  // Inserts bucket b after `after` (kNil = at the front).
  void InsertBucketAfter(uint32_t after, uint32_t b) {
    uint32_t next = after == SlotLinks::kNil ? order_.head : bucket_links_.next[after];
    bucket_links_.prev[b] = after;
    bucket_links_.next[b] = next;
    if (after == SlotLinks::kNil) {
      order_.head = b;
    } else {
      bucket_links_.next[after] = b;
    }
    if (next == SlotLinks::kNil) {
      order_.tail = b;
    } else {
      bucket_links_.prev[next] = b;
    }
  }
  void Attach(uint32_t slot, uint32_t b) {
    buckets_[b].slots.PushBack(links_, slot);
    bucket_of_[slot] = b;
  }
  void Detach(uint32_t slot) {
    uint32_t b = bucket_of_[slot];
    buckets_[b].slots.Unlink(links_, slot);
    bucket_of_[slot] = SlotLinks::kNil;
    if (buckets_[b].slots.empty()) {
      order_.Unlink(bucket_links_, b);
      free_buckets_.push_back(b);
    }
  }

  SlotLinks links_;                  // slot lists inside buckets
  std::vector<uint32_t> bucket_of_;  // slot -> bucket
  std::vector<Bucket> buckets_;      // bucket pool
  SlotLinks bucket_links_;           // the ordered list of buckets
  SlotList order_;                   // buckets by ascending count
  std::vector<uint32_t> free_buckets_;
};

}  // namespace

std::unique_ptr<EvictionOrder> EvictionOrder::Create(EvictionPolicy policy) {
  switch (policy) {
    case EvictionPolicy::kFifo:
      return std::make_unique<ListOrder>(false);
    case EvictionPolicy::kLru:
      return std::make_unique<ListOrder>(true);
    case EvictionPolicy::kLfu:
      return std::make_unique<LfuOrder>();
  }
  return std::make_unique<ListOrder>(true);
}

}  // namespace vsr::cache
