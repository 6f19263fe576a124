// LinearIndex and HnswIndex against the same expectations; HNSW also against linear (recall).
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "cache/hnsw_index.h"
#include "cache/linear_index.h"
#include "cache/vector_math.h"

namespace vsr::cache {
namespace {

constexpr size_t kDim = 32;

std::vector<float> UnitVector(std::mt19937& rng, size_t dim = kDim) {
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> v(dim), out(dim);
  for (float& x : v) x = dist(rng);
  EXPECT_TRUE(NormalizeInto(v, out.data()).ok());
  return out;
}

using Factory = std::function<std::unique_ptr<VectorIndex>(size_t dim)>;

struct NamedFactory {
  const char* name;
  Factory make;
};

class VectorIndexTest : public ::testing::TestWithParam<NamedFactory> {};

TEST_P(VectorIndexTest, EmptyIndexFindsNothing) {
  auto index = GetParam().make(kDim);
  std::mt19937 rng(1);
  auto q = UnitVector(rng);
  Neighbor out[4];
  EXPECT_EQ(index->Search(q.data(), 4, out), 0u);
  EXPECT_EQ(index->size(), 0u);
}

TEST_P(VectorIndexTest, FindsEachVectorAsItsOwnNearest) {
  auto index = GetParam().make(kDim);
  std::mt19937 rng(2);
  std::vector<std::vector<float>> vs;
  for (uint32_t i = 0; i < 200; ++i) {
    vs.push_back(UnitVector(rng));
    ASSERT_TRUE(index->Add(i * 3 + 1, vs.back().data()).ok());
  }
  EXPECT_EQ(index->size(), 200u);
  for (uint32_t i = 0; i < 200; ++i) {
    Neighbor out[3];
    size_t n = index->Search(vs[i].data(), 3, out);
    ASSERT_EQ(n, 3u);
    EXPECT_EQ(out[0].id, i * 3 + 1);
    EXPECT_NEAR(out[0].similarity, 1.0f, 1e-5);
    EXPECT_GE(out[0].similarity, out[1].similarity);
    EXPECT_GE(out[1].similarity, out[2].similarity);
  }
}

TEST_P(VectorIndexTest, DuplicateIdIsAnError) {
  auto index = GetParam().make(kDim);
  std::mt19937 rng(3);
  auto v = UnitVector(rng);
  ASSERT_TRUE(index->Add(5, v.data()).ok());
  EXPECT_FALSE(index->Add(5, v.data()).ok());
}

TEST_P(VectorIndexTest, RemovedIdsAreNeverReturned) {
  auto index = GetParam().make(kDim);
  std::mt19937 rng(4);
  std::vector<std::vector<float>> vs;
  for (uint32_t i = 0; i < 100; ++i) {
    vs.push_back(UnitVector(rng));
    ASSERT_TRUE(index->Add(i, vs.back().data()).ok());
  }
  for (uint32_t i = 0; i < 100; i += 2) index->Remove(i);
  index->Remove(1000);  // absent: no-op
  EXPECT_EQ(index->size(), 50u);
  for (uint32_t i = 0; i < 100; ++i) {
    Neighbor out[4];
    size_t n = index->Search(vs[i].data(), 4, out);
    ASSERT_GT(n, 0u);
    for (size_t k = 0; k < n; ++k) EXPECT_EQ(out[k].id % 2, 1u) << "removed id returned";
    if (i % 2 == 1) {
      EXPECT_EQ(out[0].id, i);
    }
  }
}

TEST_P(VectorIndexTest, ChurnKeepsResultsExact) {
  // Evict-and-insert cycles: the index must keep finding the live vectors.
  auto index = GetParam().make(kDim);
  std::mt19937 rng(5);
  constexpr uint32_t kLive = 64;
  std::vector<std::vector<float>> live(kLive);
  for (uint32_t i = 0; i < kLive; ++i) {
    live[i] = UnitVector(rng);
    ASSERT_TRUE(index->Add(i, live[i].data()).ok());
  }
  for (int round = 0; round < 2000; ++round) {
    uint32_t id = static_cast<uint32_t>(rng() % kLive);
    index->Remove(id);
    live[id] = UnitVector(rng);
    ASSERT_TRUE(index->Add(id, live[id].data()).ok());
  }
  EXPECT_EQ(index->size(), kLive);
  int found = 0;
  for (uint32_t i = 0; i < kLive; ++i) {
    Neighbor out[1];
    ASSERT_EQ(index->Search(live[i].data(), 1, out), 1u);
    found += out[0].id == i;
  }
  EXPECT_GE(found, static_cast<int>(kLive) - 1);
}

TEST_P(VectorIndexTest, ClearDropsEverything) {
  auto index = GetParam().make(kDim);
  std::mt19937 rng(6);
  auto v = UnitVector(rng);
  ASSERT_TRUE(index->Add(1, v.data()).ok());
  index->Clear();
  Neighbor out[1];
  EXPECT_EQ(index->Search(v.data(), 1, out), 0u);
  ASSERT_TRUE(index->Add(1, v.data()).ok());
  EXPECT_EQ(index->Search(v.data(), 1, out), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Indexes, VectorIndexTest,
    ::testing::Values(NamedFactory{"Linear",
                                   [](size_t dim) { return std::make_unique<LinearIndex>(dim); }},
                      NamedFactory{"Hnsw",
                                   [](size_t dim) {
                                     return std::make_unique<HnswIndex>(dim, HnswOptions{}, 16);
                                   }}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HnswIndexTest, DeletedSlotsAreReusedSoTheGraphStaysBounded) {
  HnswIndex index(kDim, HnswOptions{}, 16);
  std::mt19937 rng(7);
  for (uint32_t i = 0; i < 100; ++i) ASSERT_TRUE(index.Add(i, UnitVector(rng).data()).ok());
  for (uint32_t round = 0; round < 1000; ++round) {
    uint32_t id = round % 100;
    index.Remove(id);
    ASSERT_TRUE(index.Add(id, UnitVector(rng).data()).ok());
  }
  EXPECT_EQ(index.size(), 100u);
  EXPECT_EQ(index.graph_elements(), 100u);  // no growth from 1000 replacements
}

TEST(HnswIndexTest, RecallAgainstLinearOnClusteredData) {
  constexpr size_t kDimHigh = 64;
  std::mt19937 rng(8);
  std::vector<std::vector<float>> centers;
  for (int c = 0; c < 20; ++c) centers.push_back(UnitVector(rng, kDimHigh));
  HnswIndex hnsw(kDimHigh, HnswOptions{}, 64);
  LinearIndex linear(kDimHigh);
  std::normal_distribution<float> noise(0.0f, 0.05f);
  auto sample = [&] {
    const auto& c = centers[rng() % centers.size()];
    std::vector<float> v(kDimHigh), out(kDimHigh);
    for (size_t d = 0; d < kDimHigh; ++d) v[d] = c[d] + noise(rng);
    EXPECT_TRUE(NormalizeInto(v, out.data()).ok());
    return out;
  };
  for (uint32_t i = 0; i < 3000; ++i) {
    auto v = sample();
    ASSERT_TRUE(hnsw.Add(i, v.data()).ok());
    ASSERT_TRUE(linear.Add(i, v.data()).ok());
  }
  for (uint32_t i = 0; i < 3000; i += 3) {  // churn a third of the entries
    hnsw.Remove(i);
    linear.Remove(i);
  }
  int agree = 0, raw_agree = 0;
  constexpr int kQueries = 300;
  for (int q = 0; q < kQueries; ++q) {
    auto v = sample();
    Neighbor a[1], b[1], c[1];
    ASSERT_EQ(linear.Search(v.data(), 1, a), 1u);
    ASSERT_EQ(hnsw.Search(v.data(), 1, b), 1u);
    ASSERT_EQ(hnsw.RawSearchKnn(v.data(), 1, c), 1u);
    agree += a[0].id == b[0].id;
    raw_agree += a[0].id == c[0].id;
    EXPECT_NE(b[0].id % 3, 0u);
    EXPECT_NE(c[0].id % 3, 0u);
  }
  EXPECT_GE(agree, kQueries * 95 / 100);
  EXPECT_EQ(agree, raw_agree);  // our search and hnswlib's searchKnn walk the same graph
}

}  // namespace
}  // namespace vsr::cache
