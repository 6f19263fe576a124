#include "cache/eviction_order.h"

#include <gtest/gtest.h>

#include <vector>

namespace vsr::cache {
namespace {

// Evicts everything and returns the order.
std::vector<uint32_t> Drain(EvictionOrder& order) {
  std::vector<uint32_t> out;
  while (auto v = order.Victim()) {
    out.push_back(*v);
    order.OnRemove(*v);
  }
  return out;
}

TEST(EvictionOrderTest, FifoIgnoresHits) {
  auto order = EvictionOrder::Create(EvictionPolicy::kFifo);
  order->Reserve(4);
  for (uint32_t s : {2u, 0u, 3u, 1u}) order->OnInsert(s);
  order->OnHit(2);
  order->OnHit(2);
  EXPECT_FALSE(order->TracksHits());
  EXPECT_EQ(Drain(*order), (std::vector<uint32_t>{2, 0, 3, 1}));
  EXPECT_FALSE(order->Victim().has_value());
}

TEST(EvictionOrderTest, LruEvictsLeastRecentlyHit) {
  auto order = EvictionOrder::Create(EvictionPolicy::kLru);
  order->Reserve(4);
  for (uint32_t s : {0u, 1u, 2u, 3u}) order->OnInsert(s);
  order->OnHit(0);
  order->OnHit(2);
  order->OnHit(0);
  EXPECT_EQ(Drain(*order), (std::vector<uint32_t>{1, 3, 2, 0}));
}

TEST(EvictionOrderTest, LruRemoveFromMiddle) {
  auto order = EvictionOrder::Create(EvictionPolicy::kLru);
  order->Reserve(3);
  for (uint32_t s : {0u, 1u, 2u}) order->OnInsert(s);
  order->OnRemove(1);
  order->OnInsert(1);  // a reused slot goes to the back
  EXPECT_EQ(Drain(*order), (std::vector<uint32_t>{0, 2, 1}));
}

TEST(EvictionOrderTest, LfuEvictsFewestHitsThenLeastRecent) {
  auto order = EvictionOrder::Create(EvictionPolicy::kLfu);
  order->Reserve(5);
  for (uint32_t s : {0u, 1u, 2u, 3u}) order->OnInsert(s);
  order->OnHit(0);     // 0: 2 uses
  order->OnHit(0);     // 0: 3 uses
  order->OnHit(1);     // 1: 2 uses
  order->OnHit(3);     // 3: 2 uses, more recent than 1
  order->OnInsert(4);  // 4: 1 use, newer than 2
  EXPECT_EQ(Drain(*order), (std::vector<uint32_t>{2, 4, 1, 3, 0}));
}

TEST(EvictionOrderTest, LfuSingleSlotAndBucketReuse) {
  auto order = EvictionOrder::Create(EvictionPolicy::kLfu);
  order->Reserve(1);
  order->OnInsert(0);
  for (int i = 0; i < 100; ++i) order->OnHit(0);  // bucket pool must not run dry
  EXPECT_EQ(order->Victim(), 0u);
  order->OnRemove(0);
  EXPECT_FALSE(order->Victim().has_value());
  order->OnInsert(0);
  EXPECT_EQ(order->Victim(), 0u);
}

TEST(EvictionOrderTest, LfuManyRandomOpsKeepInvariant) {
  // Against a brute-force model: victim = min (uses, last touch).
  auto order = EvictionOrder::Create(EvictionPolicy::kLfu);
  constexpr uint32_t kSlots = 32;
  order->Reserve(kSlots);
  std::vector<int64_t> uses(kSlots, -1), touched(kSlots, 0);
  uint64_t rng = 12345, clock = 0;
  auto next = [&] { return (rng = rng * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; };
  for (int step = 0; step < 5000; ++step) {
    uint32_t s = static_cast<uint32_t>(next() % kSlots);
    int op = static_cast<int>(next() % 3);
    if (uses[s] < 0) {
      order->OnInsert(s);
      uses[s] = 1;
      touched[s] = static_cast<int64_t>(++clock);
    } else if (op == 0) {
      order->OnRemove(s);
      uses[s] = -1;
    } else {
      order->OnHit(s);
      ++uses[s];
      touched[s] = static_cast<int64_t>(++clock);
    }
    int best = -1;
    for (uint32_t i = 0; i < kSlots; ++i) {
      if (uses[i] < 0) continue;
      if (best < 0 || uses[i] < uses[best] ||
          (uses[i] == uses[best] && touched[i] < touched[best])) {
        best = static_cast<int>(i);
      }
    }
    auto victim = order->Victim();
    ASSERT_EQ(victim.has_value(), best >= 0);
    if (best >= 0) {
      ASSERT_EQ(*victim, static_cast<uint32_t>(best)) << "step " << step;
    }
  }
}

TEST(EvictionOrderTest, ClearEmptiesAndStaysUsable) {
  for (auto policy : {EvictionPolicy::kFifo, EvictionPolicy::kLru, EvictionPolicy::kLfu}) {
    auto order = EvictionOrder::Create(policy);
    order->Reserve(2);
    order->OnInsert(0);
    order->OnInsert(1);
    order->Clear();
    EXPECT_FALSE(order->Victim().has_value());
    order->Reserve(2);
    order->OnInsert(1);
    EXPECT_EQ(order->Victim(), 1u);
  }
}

}  // namespace
}  // namespace vsr::cache
