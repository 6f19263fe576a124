#include "cache/in_memory_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace vsr::cache {
namespace {

using std::chrono::milliseconds;
constexpr size_t kDim = 16;

// A clock tests move by hand.
struct FakeClock {
  std::atomic<int64_t> ms{1000};
  std::function<std::chrono::steady_clock::time_point()> Fn() {
    return [this] { return std::chrono::steady_clock::time_point(milliseconds(ms.load())); };
  }
};

// Basis vector e_i (plus an optional component on e_j for a chosen cosine).
std::vector<float> Basis(size_t i) {
  std::vector<float> v(kDim, 0.0f);
  v[i] = 1.0f;
  return v;
}
// A unit vector at cosine `c` from e_i (rotated towards e_j).
std::vector<float> AtCosine(size_t i, size_t j, float c) {
  std::vector<float> v(kDim, 0.0f);
  v[i] = c;
  v[j] = std::sqrt(1.0f - c * c);
  return v;
}

class InMemoryCacheTest : public ::testing::TestWithParam<SearchMode> {
 protected:
  CacheOptions Options() {
    CacheOptions o;
    o.search_mode = GetParam();
    o.max_entries = 100;
    o.similarity_threshold = 0.9f;
    o.ttl = milliseconds(0);
    o.clock = clock_.Fn();
    return o;
  }
  std::unique_ptr<InMemoryCache> Make(const CacheOptions& o) {
    auto c = InMemoryCache::Create(o);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(c).value();
  }
  static Status Put(SemanticCache& c, const std::string& id, const std::string& model,
                    const std::vector<float>& v, const std::string& response,
                    milliseconds ttl = milliseconds(0)) {
    return c.Add(CacheEntryInput{id, model, v, "req:" + id, response, ttl});
  }
  static LookupResult Get(SemanticCache& c, const std::string& model, const std::vector<float>& v,
                          std::optional<float> threshold = std::nullopt) {
    auto r = c.Lookup(model, v, threshold);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : LookupResult{};
  }
  FakeClock clock_;
};

TEST_P(InMemoryCacheTest, HitReturnsTheResponseOfTheNearestEntry) {
  auto cache = Make(Options());
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(0), "answer-a").ok());
  ASSERT_TRUE(Put(*cache, "b", "m", Basis(1), "answer-b").ok());
  LookupResult r = Get(*cache, "m", AtCosine(1, 2, 0.95f));
  ASSERT_TRUE(r.found);
  EXPECT_EQ(*r.response, "answer-b");
  EXPECT_NEAR(r.similarity, 0.95f, 1e-4);
  EXPECT_GT(r.entry_id, 0u);
  r = Get(*cache, "m", Basis(3));
  EXPECT_FALSE(r.found);
  EXPECT_EQ(r.response, nullptr);
  EXPECT_NEAR(r.similarity, 0.0f, 1e-4);  // nearest similarity reported on a miss
  CacheStats s = cache->Stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.entries, 2u);
  EXPECT_DOUBLE_EQ(s.hit_rate(), 0.5);
}

TEST_P(InMemoryCacheTest, EmbeddingsAreNormalisedOnEntry) {
  auto cache = Make(Options());
  std::vector<float> big = Basis(0);
  big[0] = 42.0f;
  ASSERT_TRUE(Put(*cache, "a", "m", big, "x").ok());
  std::vector<float> small = Basis(0);
  small[0] = 1e-3f;
  LookupResult r = Get(*cache, "m", small, 1.0f);
  EXPECT_TRUE(r.found);
  EXPECT_NEAR(r.similarity, 1.0f, 1e-5);
}

TEST_P(InMemoryCacheTest, ThresholdEdges) {
  auto cache = Make(Options());
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(0), "x").ok());
  // Identical vector hits even at threshold 1.0 (float rounding tolerated).
  EXPECT_TRUE(Get(*cache, "m", Basis(0), 1.0f).found);
  auto q = AtCosine(0, 1, 0.8f);
  EXPECT_TRUE(Get(*cache, "m", q, 0.8f).found);      // similarity == threshold: hit
  EXPECT_FALSE(Get(*cache, "m", q, 0.8002f).found);  // just above: miss
  EXPECT_TRUE(Get(*cache, "m", q, 0.7998f).found);
  EXPECT_TRUE(Get(*cache, "m", Basis(1), -1.0f).found);  // -1 accepts anything
  // Opposite vector: similarity -1.
  std::vector<float> neg = Basis(0);
  neg[0] = -1.0f;
  LookupResult r = Get(*cache, "m", neg, -1.0f);
  EXPECT_TRUE(r.found);
  EXPECT_NEAR(r.similarity, -1.0f, 1e-5);
  for (float bad : {1.01f, -1.01f, std::numeric_limits<float>::quiet_NaN()}) {
    auto bad_r = cache->Lookup("m", Basis(0), bad);
    EXPECT_EQ(bad_r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST_P(InMemoryCacheTest, DefaultThresholdComesFromOptions) {
  CacheOptions o = Options();
  o.similarity_threshold = 0.95f;
  auto cache = Make(o);
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(0), "x").ok());
  EXPECT_FALSE(Get(*cache, "m", AtCosine(0, 1, 0.94f)).found);
  EXPECT_TRUE(Get(*cache, "m", AtCosine(0, 1, 0.96f)).found);
}

TEST_P(InMemoryCacheTest, EntriesAnswerOnlyTheirOwnModel) {
  auto cache = Make(Options());
  ASSERT_TRUE(Put(*cache, "a", "gpt", Basis(0), "from-gpt").ok());
  ASSERT_TRUE(Put(*cache, "b", "llama", AtCosine(0, 1, 0.99f), "from-llama").ok());
  LookupResult r = Get(*cache, "gpt", Basis(0));
  ASSERT_TRUE(r.found);
  EXPECT_EQ(*r.response, "from-gpt");
  r = Get(*cache, "llama", Basis(0));
  ASSERT_TRUE(r.found);
  EXPECT_EQ(*r.response, "from-llama");
  EXPECT_FALSE(Get(*cache, "mistral", Basis(0)).found);
  EXPECT_FALSE(Get(*cache, "GPT", Basis(0)).found);  // model names are case-sensitive
}

TEST_P(InMemoryCacheTest, PendingEntriesAreInvisibleUntilCompleted) {
  auto cache = Make(Options());
  ASSERT_TRUE(cache->AddPending(PendingEntryInput{"r1", "m", Basis(0), "body"}).ok());
  EXPECT_FALSE(Get(*cache, "m", Basis(0)).found);
  EXPECT_EQ(cache->Stats().pending, 1u);
  EXPECT_EQ(cache->Stats().entries, 0u);
  ASSERT_TRUE(cache->CompletePending("r1", "late answer").ok());
  LookupResult r = Get(*cache, "m", Basis(0));
  ASSERT_TRUE(r.found);
  EXPECT_EQ(*r.response, "late answer");
  EXPECT_EQ(cache->Stats().pending, 0u);
  EXPECT_EQ(cache->Stats().entries, 1u);
  // Completing twice, or an unknown id, is NotFound.
  EXPECT_EQ(cache->CompletePending("r1", "again").code(), StatusCode::kNotFound);
  EXPECT_EQ(cache->CompletePending("nope", "x").code(), StatusCode::kNotFound);
}

TEST_P(InMemoryCacheTest, PendingEntriesTimeOut) {
  CacheOptions o = Options();
  o.pending_ttl = milliseconds(100);
  auto cache = Make(o);
  ASSERT_TRUE(cache->AddPending(PendingEntryInput{"r1", "m", Basis(0), "body"}).ok());
  clock_.ms += 100;
  Status s = cache->CompletePending("r1", "too late");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("timed out"), std::string::npos) << s.ToString();
  EXPECT_FALSE(Get(*cache, "m", Basis(0)).found);
  // Timed-out pending entries are also purged by later writes.
  ASSERT_TRUE(cache->AddPending(PendingEntryInput{"r2", "m", Basis(1), "body"}).ok());
  clock_.ms += 200;
  ASSERT_TRUE(cache->AddPending(PendingEntryInput{"r3", "m", Basis(2), "body"}).ok());
  EXPECT_EQ(cache->Stats().pending, 1u);
  EXPECT_EQ(cache->Stats().expirations, 2u);
}

TEST_P(InMemoryCacheTest, PendingCapacityDropsTheOldest) {
  CacheOptions o = Options();
  o.max_pending = 2;
  auto cache = Make(o);
  for (std::string id : {"p1", "p2", "p3"}) {
    ASSERT_TRUE(cache->AddPending(PendingEntryInput{id, "m", Basis(0), ""}).ok());
  }
  EXPECT_EQ(cache->Stats().pending, 2u);
  EXPECT_EQ(cache->CompletePending("p1", "x").code(), StatusCode::kNotFound);
  EXPECT_TRUE(cache->CompletePending("p3", "x").ok());
}

TEST_P(InMemoryCacheTest, TtlExpiresAndSlidesOnHit) {
  auto cache = Make(Options());
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(0), "x", milliseconds(1000)).ok());
  ASSERT_TRUE(Put(*cache, "b", "m", Basis(1), "y", milliseconds(1000)).ok());
  clock_.ms += 900;
  EXPECT_TRUE(Get(*cache, "m", Basis(0)).found);   // hit slides a's TTL to now + 1000
  clock_.ms += 200;                                // b: 1100 since insert -> expired
  EXPECT_FALSE(Get(*cache, "m", Basis(1)).found);  // never returned, even before purge
  EXPECT_TRUE(Get(*cache, "m", Basis(0)).found);   // a: 200 since the hit
  EXPECT_EQ(cache->PurgeExpired(), 1u);
  EXPECT_EQ(cache->Stats().entries, 1u);
  EXPECT_EQ(cache->Stats().expirations, 1u);
  clock_.ms += 1000;
  EXPECT_FALSE(Get(*cache, "m", Basis(0)).found);
  EXPECT_EQ(cache->PurgeExpired(), 1u);
  EXPECT_EQ(cache->Stats().entries, 0u);
}

TEST_P(InMemoryCacheTest, ExpiredNearestFallsBackToNextValidEntry) {
  auto cache = Make(Options());
  ASSERT_TRUE(Put(*cache, "near", "m", Basis(0), "near", milliseconds(10)).ok());
  ASSERT_TRUE(Put(*cache, "far", "m", AtCosine(0, 1, 0.95f), "far", milliseconds(0)).ok());
  clock_.ms += 20;
  LookupResult r = Get(*cache, "m", Basis(0));
  ASSERT_TRUE(r.found);
  EXPECT_EQ(*r.response, "far");
}

TEST_P(InMemoryCacheTest, DefaultTtlFromOptionsAndLazyPurgeOnWrite) {
  CacheOptions o = Options();
  o.ttl = milliseconds(50);
  auto cache = Make(o);
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(0), "x").ok());
  clock_.ms += 60;
  ASSERT_TRUE(Put(*cache, "b", "m", Basis(1), "y").ok());  // purges a
  EXPECT_EQ(cache->Stats().entries, 1u);
  EXPECT_EQ(cache->Stats().expirations, 1u);
}

TEST_P(InMemoryCacheTest, BackgroundCleanerPurges) {
  CacheOptions o = Options();
  o.clock = nullptr;  // real time
  o.cleanup_interval = milliseconds(5);
  auto cache = Make(o);
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(0), "x", milliseconds(1)).ok());
  for (int i = 0; i < 400 && cache->Stats().entries != 0; ++i) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(cache->Stats().entries, 0u);
  EXPECT_EQ(cache->Stats().expirations, 1u);
}

// Fills a 3-entry cache, touches entries, adds a 4th and returns which of a/b/c survived.
std::string Survivors(SemanticCache& cache, const std::function<void()>& touch) {
  for (int i = 0; i < 3; ++i) {
    std::string id(1, static_cast<char>('a' + i));
    EXPECT_TRUE(cache.Add(CacheEntryInput{id, "m", Basis(static_cast<size_t>(i)), "", id}).ok());
  }
  touch();
  EXPECT_TRUE(cache.Add(CacheEntryInput{"d", "m", Basis(3), "", "d"}).ok());
  std::string out;
  for (int i = 0; i < 3; ++i) {
    auto r = cache.Lookup("m", Basis(static_cast<size_t>(i)), 0.99f);
    if (r.ok() && r->found) out += *r->response;
  }
  return out;
}

TEST_P(InMemoryCacheTest, EvictionOrderPerPolicy) {
  // Hits b, b, c, a. Uses: a 2, b 3, c 2. Last use: b < c < a.
  auto touch = [&](SemanticCache& c) {
    return [&c] {
      for (size_t i : {1u, 1u, 2u, 0u}) (void)c.Lookup("m", Basis(i), 0.99f);
    };
  };
  CacheOptions o = Options();
  o.max_entries = 3;
  o.eviction_policy = EvictionPolicy::kFifo;
  auto fifo = Make(o);
  EXPECT_EQ(Survivors(*fifo, touch(*fifo)), "bc");  // a was inserted first
  EXPECT_EQ(fifo->Stats().evictions, 1u);
  o.eviction_policy = EvictionPolicy::kLru;
  auto lru = Make(o);
  EXPECT_EQ(Survivors(*lru, touch(*lru)), "ac");  // b was used least recently
  o.eviction_policy = EvictionPolicy::kLfu;
  auto lfu = Make(o);
  EXPECT_EQ(Survivors(*lfu, touch(*lfu)), "ab");  // a and c used twice; c less recently
}

TEST_P(InMemoryCacheTest, LfuKeepsTheFrequentEntry) {
  CacheOptions o = Options();
  o.max_entries = 2;
  o.eviction_policy = EvictionPolicy::kLfu;
  auto cache = Make(o);
  ASSERT_TRUE(Put(*cache, "hot", "m", Basis(0), "hot").ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Get(*cache, "m", Basis(0)).found);
  for (int i = 0; i < 10; ++i) {  // a stream of one-off entries never displaces "hot"
    ASSERT_TRUE(Put(*cache, "cold" + std::to_string(i), "m", Basis(1 + i % 10), "c").ok());
  }
  EXPECT_TRUE(Get(*cache, "m", Basis(0)).found);
  EXPECT_EQ(cache->Stats().entries, 2u);
  EXPECT_EQ(cache->Stats().evictions, 9u);
}

TEST_P(InMemoryCacheTest, EvictionAcrossModelsAndSlotReuse) {
  CacheOptions o = Options();
  o.max_entries = 4;
  o.eviction_policy = EvictionPolicy::kFifo;
  auto cache = Make(o);
  for (int i = 0; i < 200; ++i) {
    std::string model = i % 2 ? "odd" : "even";
    std::string id = std::to_string(i);
    ASSERT_TRUE(Put(*cache, id, model, Basis(i % kDim), id).ok());
    // The newest entry of each model is always there and answers only its model.
    LookupResult r = Get(*cache, model, Basis(i % kDim), 0.99f);
    ASSERT_TRUE(r.found) << i;
    EXPECT_EQ(*r.response, std::to_string(i));
  }
  EXPECT_EQ(cache->Stats().entries, 4u);
  EXPECT_EQ(cache->Stats().evictions, 196u);
}

TEST_P(InMemoryCacheTest, SameRequestIdReplacesTheEntry) {
  auto cache = Make(Options());
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(0), "old").ok());
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(1), "new").ok());
  EXPECT_EQ(cache->Stats().entries, 1u);
  EXPECT_FALSE(Get(*cache, "m", Basis(0)).found);
  EXPECT_EQ(*Get(*cache, "m", Basis(1)).response, "new");
}

TEST_P(InMemoryCacheTest, RemoveAndClear) {
  auto cache = Make(Options());
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(0), "x").ok());
  ASSERT_TRUE(Put(*cache, "b", "m", Basis(1), "y").ok());
  ASSERT_TRUE(cache->AddPending(PendingEntryInput{"p", "m", Basis(2), ""}).ok());
  ASSERT_TRUE(cache->Remove("a").ok());
  EXPECT_EQ(cache->Remove("a").code(), StatusCode::kNotFound);
  EXPECT_FALSE(Get(*cache, "m", Basis(0)).found);
  ASSERT_TRUE(cache->Remove("p").ok());
  EXPECT_EQ(cache->Stats().pending, 0u);
  cache->Clear();
  EXPECT_EQ(cache->Stats().entries, 0u);
  EXPECT_FALSE(Get(*cache, "m", Basis(1)).found);
  EXPECT_EQ(cache->dimension(), 0u);  // dimension is fixed again by the next entry
  std::vector<float> other(8, 0.0f);
  other[0] = 1.0f;
  ASSERT_TRUE(Put(*cache, "c", "m", other, "z").ok());
  EXPECT_EQ(cache->dimension(), 8u);
}

TEST_P(InMemoryCacheTest, BadInputGivesClearErrors) {
  auto cache = Make(Options());
  ASSERT_TRUE(Put(*cache, "a", "m", Basis(0), "x").ok());
  std::vector<float> zero(kDim, 0.0f), nan = Basis(0), short_v(kDim - 1, 1.0f);
  nan[3] = std::numeric_limits<float>::quiet_NaN();
  auto expect_invalid = [](const Status& s, const char* needle) {
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.ToString();
  };
  expect_invalid(Put(*cache, "z", "m", zero, "x"), "zero vector");
  expect_invalid(Put(*cache, "n", "m", nan, "x"), "NaN");
  expect_invalid(Put(*cache, "s", "m", short_v, "x"), "dimension 15, the cache holds dimension 16");
  expect_invalid(Put(*cache, "", "m", Basis(0), "x"), "request id is empty");
  expect_invalid(Put(*cache, "e", "", Basis(0), "x"), "model is empty");
  expect_invalid(Put(*cache, "t", "m", Basis(0), "x", milliseconds(-1)), "ttl");
  expect_invalid(cache->Lookup("m", zero).status(), "zero vector");
  expect_invalid(cache->Lookup("m", nan).status(), "NaN");
  expect_invalid(cache->Lookup("m", short_v).status(), "dimension 15");
  expect_invalid(cache->Lookup("", Basis(0)).status(), "model is empty");
  expect_invalid(cache->Lookup("m", std::span<const float>()).status(), "empty");
  expect_invalid(cache->AddPending(PendingEntryInput{"p", "m", short_v, ""}), "dimension 15");
  expect_invalid(cache->AddPending(PendingEntryInput{"p", "m", zero, ""}), "zero vector");
  EXPECT_EQ(cache->Stats().entries, 1u);  // nothing bad got in
  EXPECT_EQ(cache->Stats().hits + cache->Stats().misses, 0u);
}

TEST_P(InMemoryCacheTest, FixedDimensionFromOptions) {
  CacheOptions o = Options();
  o.dimension = 4;
  auto cache = Make(o);
  EXPECT_EQ(cache->dimension(), 4u);
  EXPECT_EQ(Put(*cache, "a", "m", Basis(0), "x").code(), StatusCode::kInvalidArgument);
}

TEST(InMemoryCacheOptionsTest, InvalidOptionsAreRejected) {
  CacheOptions o;
  o.max_entries = 0;
  EXPECT_EQ(InMemoryCache::Create(o).status().code(), StatusCode::kInvalidArgument);
  o = CacheOptions{};
  o.similarity_threshold = 2.0f;
  EXPECT_NE(CreateInMemoryCache(o).status().message().find("similarity_threshold"),
            std::string::npos);
  o = CacheOptions{};
  o.hnsw.ef_search = 0;
  EXPECT_FALSE(CreateInMemoryCache(o).ok());
  o = CacheOptions{};
  o.pending_ttl = milliseconds(0);
  EXPECT_FALSE(CreateInMemoryCache(o).ok());
  EXPECT_TRUE(CreateInMemoryCache(CacheOptions{}).ok());
}

TEST(InMemoryCacheOptionsTest, ParseNames) {
  EXPECT_EQ(ParseSearchMode("hnsw").value(), SearchMode::kHnsw);
  EXPECT_EQ(ParseSearchMode("linear").value(), SearchMode::kLinear);
  EXPECT_FALSE(ParseSearchMode("flat").ok());
  EXPECT_EQ(ParseEvictionPolicy("lfu").value(), EvictionPolicy::kLfu);
  EXPECT_FALSE(ParseEvictionPolicy("random").ok());
  EXPECT_EQ(EvictionPolicyName(EvictionPolicy::kFifo), "fifo");
  EXPECT_EQ(SearchModeName(SearchMode::kHnsw), "hnsw");
}

INSTANTIATE_TEST_SUITE_P(Modes, InMemoryCacheTest,
                         ::testing::Values(SearchMode::kLinear, SearchMode::kHnsw),
                         [](const auto& info) { return std::string(SearchModeName(info.param)); });

}  // namespace
}  // namespace vsr::cache
