// Proves a warm lookup allocates nothing, for both search modes and with evicted (deleted)
// graph elements, counted by the process-wide allocation hooks (perf/lib/metrics).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cache/in_memory_cache.h"
#include "perf/lib/metrics/alloc_counter.h"

namespace vsr::cache {
namespace {

constexpr size_t kDim = 64;

std::vector<std::vector<float>> RandomVectors(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<std::vector<float>> out(n, std::vector<float>(kDim));
  for (auto& v : out) {
    for (float& x : v) x = normal(rng);
  }
  return out;
}

class CacheAllocTest : public ::testing::TestWithParam<SearchMode> {};

TEST_P(CacheAllocTest, WarmLookupsAllocateNothing) {
  ASSERT_TRUE(perf::AllocHooksInstalled());
  CacheOptions o;
  o.search_mode = GetParam();
  o.max_entries = 1000;  // 1,500 adds: 500 evictions leave deleted elements in the graph
  o.similarity_threshold = 0.95f;
  o.ttl = std::chrono::milliseconds(0);
  auto cache = InMemoryCache::Create(o);
  ASSERT_TRUE(cache.ok()) << cache.status().ToString();
  const auto entries = RandomVectors(1500, 1);
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string id = std::to_string(i);
    ASSERT_TRUE((*cache)->Add(CacheEntryInput{id, "m", entries[i], "q", "a"}).ok());
  }
  // Queries: the live entries themselves (hits) and fresh random vectors (misses).
  auto queries = RandomVectors(100, 2);
  queries.insert(queries.end(), entries.end() - 100, entries.end());

  size_t hits = 0;
  auto run = [&] {
    for (const auto& q : queries) {
      StatusOr<LookupResult> r = (*cache)->Lookup("m", q, std::nullopt);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      hits += r->found ? 1 : 0;
    }
  };
  run();  // warm-up: this thread's search scratch reaches its size
  hits = 0;
  perf::AllocCounterStart();
  run();
  perf::AllocSnapshot snap = perf::AllocCounterStop();
  EXPECT_EQ(snap.allocs, 0) << "bytes: " << snap.bytes;
  EXPECT_GE(hits, 95u);  // the search still finds the stored vectors
}

INSTANTIATE_TEST_SUITE_P(Modes, CacheAllocTest,
                         ::testing::Values(SearchMode::kHnsw, SearchMode::kLinear),
                         [](const auto& info) { return std::string(SearchModeName(info.param)); });

}  // namespace
}  // namespace vsr::cache
