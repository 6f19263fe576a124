// Concurrent writers, readers and purgers on one cache (runs under TSan: label concurrency).
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cache/in_memory_cache.h"
#include "cache/vector_math.h"

#if defined(__SANITIZE_THREAD__)
// TSan's lock-order (deadlock) detector reports cycles inside hnswlib's per-element std::mutex
// locking (addPoint locks neighbours in graph order; the cache runs one Add() at a time, so
// they cannot deadlock), and once many indexes have come and gone its reports lose their
// stacks, so they cannot be suppressed by frame. Data races are still detected.
extern "C" const char* __tsan_default_options() { return "detect_deadlocks=0"; }
#endif

namespace vsr::cache {
namespace {

constexpr size_t kDim = 32;

std::vector<float> VectorFor(int key) {
  // Deterministic per key, so a reader can ask for exactly what a writer stored.
  std::mt19937 rng(static_cast<uint32_t>(key) * 2654435761u + 1);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> v(kDim);
  for (float& x : v) x = dist(rng);
  return v;
}

// prefix + number (GCC 12 warns falsely on "literal" + std::string at -O3).
std::string Key(const char* prefix, int n) {
  std::string s(prefix);
  s += std::to_string(n);
  return s;
}

class ConcurrencyTest : public ::testing::TestWithParam<EvictionPolicy> {};

void RunMixedLoad(SearchMode mode, EvictionPolicy policy) {
  CacheOptions o;
  o.search_mode = mode;
  o.eviction_policy = policy;
  o.max_entries = 64;  // small: constant eviction while readers run
  o.max_pending = 16;
  o.similarity_threshold = 0.999f;
  o.ttl = std::chrono::milliseconds(50);
  o.cleanup_interval = std::chrono::milliseconds(1);
  o.hnsw.ef_construction = 40;
  auto made = InMemoryCache::Create(o);
  ASSERT_TRUE(made.ok());
  InMemoryCache& cache = *made.value();

  constexpr int kKeys = 256;
  constexpr int kWritesPerWriter = 300;
  constexpr int kReadsPerReader = 1500;
  std::atomic<int> wrong{0}, errors{0}, hits{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kWritesPerWriter; ++i) {
        int key = (i * 7 + w * 131) % kKeys;
        auto v = VectorFor(key);
        std::string id = Key("k", key);
        Status s;
        if (i % 3 == 0) {
          s = cache.AddPending(PendingEntryInput{id, "m", v, "req"});
          if (s.ok()) {
            s = cache.CompletePending(id, Key("resp", key));
            if (s.code() == StatusCode::kNotFound) s = Status::OK();  // raced with the other writer
          }
        } else {
          s = cache.Add(CacheEntryInput{id, i % 2 ? "m" : "other", v, "req", Key("resp", key)});
        }
        if (i % 50 == 0) (void)cache.Remove(id);
        if (!s.ok()) errors.fetch_add(1);
      }
    });
  }
  for (int r = 0; r < 3; ++r) {
    threads.emplace_back([&, r] {
      for (int i = 0; i < kReadsPerReader; ++i) {
        int key = (i * 13 + r) % kKeys;
        auto res = cache.Lookup(i % 2 ? "m" : "other", VectorFor(key));
        if (!res.ok()) {
          errors.fetch_add(1);
          continue;
        }
        if (res->found) {
          hits.fetch_add(1);
          // A hit at 0.999 on random 32-d vectors can only be the key's own entry.
          if (*res->response != Key("resp", key)) wrong.fetch_add(1);
        }
        if (i % 500 == 0) (void)cache.Stats();
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 20; ++i) {
      cache.PurgeExpired();
      if (i == 10) cache.Clear();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
  CacheStats s = cache.Stats();
  EXPECT_LE(s.entries, o.max_entries);
  EXPECT_EQ(s.hits + s.misses, 3u * kReadsPerReader);
  EXPECT_EQ(s.hits, static_cast<uint64_t>(hits.load()));
}

TEST_P(ConcurrencyTest, LinearMixedLoad) { RunMixedLoad(SearchMode::kLinear, GetParam()); }
TEST_P(ConcurrencyTest, HnswMixedLoad) { RunMixedLoad(SearchMode::kHnsw, GetParam()); }

INSTANTIATE_TEST_SUITE_P(Policies, ConcurrencyTest,
                         ::testing::Values(EvictionPolicy::kFifo, EvictionPolicy::kLru,
                                           EvictionPolicy::kLfu),
                         [](const auto& info) {
                           return std::string(EvictionPolicyName(info.param));
                         });

TEST(ConcurrencyTest, ConcurrentReadersOnAFixedCacheAllHit) {
  CacheOptions o;
  o.max_entries = 500;
  o.similarity_threshold = 0.999f;
  auto made = InMemoryCache::Create(o);
  ASSERT_TRUE(made.ok());
  InMemoryCache& cache = *made.value();
  for (int k = 0; k < 500; ++k) {
    ASSERT_TRUE(
        cache.Add(CacheEntryInput{Key("k", k), "m", VectorFor(k), "", Key("resp", k)}).ok());
  }
  std::atomic<int> misses{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&, r] {
      for (int i = 0; i < 500; ++i) {
        int k = (i + r * 125) % 500;
        auto res = cache.Lookup("m", VectorFor(k));
        if (!res.ok() || !res->found || *res->response != Key("resp", k)) {
          misses.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : readers) t.join();
  EXPECT_LE(misses.load(), 5);  // HNSW is approximate; on 500 entries it misses ~never
}

}  // namespace
}  // namespace vsr::cache
