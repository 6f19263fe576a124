#include "perf/e2e/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace vsr::e2e {
namespace {

TEST(LatencyHistogramTest, EmptyReportsZeros) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.ValueAtQuantile(0.5), 0u);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram h(4);  // exact below 2^5 = 32
  for (uint64_t v = 0; v < 32; ++v) {
    EXPECT_EQ(h.BucketIndex(v), v);
    EXPECT_EQ(h.BucketLowest(v), v);
    EXPECT_EQ(h.BucketHighest(v), v);
  }
  for (uint64_t v = 1; v <= 10; ++v) h.Record(v);
  EXPECT_EQ(h.ValueAtQuantile(0.0), 1u);
  EXPECT_EQ(h.ValueAtQuantile(0.5), 5u);
  EXPECT_EQ(h.ValueAtQuantile(0.9), 9u);
  EXPECT_EQ(h.ValueAtQuantile(1.0), 10u);
  EXPECT_DOUBLE_EQ(h.mean(), 5.5);
}

TEST(LatencyHistogramTest, BucketsTileTheRangeWithoutGapsOrOverlap) {
  LatencyHistogram h(3);
  for (size_t i = 0; i + 1 < h.bucket_count(); ++i) {
    ASSERT_LE(h.BucketLowest(i), h.BucketHighest(i)) << i;
    ASSERT_EQ(h.BucketHighest(i) + 1, h.BucketLowest(i + 1)) << i;
    ASSERT_EQ(h.BucketIndex(h.BucketLowest(i)), i);
    ASSERT_EQ(h.BucketIndex(h.BucketHighest(i)), i);
  }
}

TEST(LatencyHistogramTest, RelativeErrorIsBoundedByPrecision) {
  for (int bits : {3, 7, 10}) {
    LatencyHistogram h(bits);
    const double bound = std::ldexp(1.0, -bits);
    std::mt19937_64 rng(42);
    for (int i = 0; i < 20000; ++i) {
      uint64_t v = rng() >> (rng() % 40 + 22);  // spread over many powers of two
      size_t b = h.BucketIndex(v);
      ASSERT_LE(h.BucketLowest(b), v);
      ASSERT_GE(h.BucketHighest(b), v);
      double err = static_cast<double>(h.BucketHighest(b) - v) / std::max<double>(1.0, v);
      ASSERT_LE(err, bound) << "bits=" << bits << " v=" << v;
    }
  }
}

TEST(LatencyHistogramTest, QuantilesMatchSortedReferenceWithinPrecision) {
  LatencyHistogram h;
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(13.0, 1.0);  // ~0.4 ms median, in ns
  std::vector<uint64_t> values;
  for (int i = 0; i < 50000; ++i) {
    uint64_t v = static_cast<uint64_t>(dist(rng));
    values.push_back(v);
    h.Record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.0, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    size_t rank = static_cast<size_t>(std::ceil(q * values.size()));
    uint64_t expected = values[rank == 0 ? 0 : rank - 1];
    uint64_t got = h.ValueAtQuantile(q);
    EXPECT_GE(got, expected) << q;
    EXPECT_LE(static_cast<double>(got), expected * (1.0 + 1.0 / 128) + 1) << q;
  }
  EXPECT_EQ(h.ValueAtQuantile(1.0), values.back());
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.count(), values.size());
}

TEST(LatencyHistogramTest, HugeValuesClampToTopBucketButKeepExactMax) {
  LatencyHistogram h;
  const uint64_t huge = uint64_t{1} << 60;
  h.Record(huge);
  h.Record(5);
  EXPECT_EQ(h.BucketIndex(huge), h.bucket_count() - 1);
  EXPECT_EQ(h.max(), huge);
  EXPECT_EQ(h.ValueAtQuantile(1.0), huge);
  EXPECT_EQ(h.ValueAtQuantile(0.5), 5u);
}

TEST(LatencyHistogramTest, MergeAddsAndRejectsOtherPrecision) {
  LatencyHistogram a, b, c(5);
  a.RecordN(100, 3);
  b.Record(1000000);
  b.Record(50);
  ASSERT_TRUE(a.Merge(b));
  EXPECT_EQ(a.count(), 5u);
  EXPECT_EQ(a.min(), 50u);
  EXPECT_EQ(a.max(), 1000000u);
  EXPECT_EQ(a.ValueAtQuantile(0.2), 50u);
  EXPECT_EQ(a.ValueAtQuantile(0.6), 100u);
  EXPECT_FALSE(a.Merge(c));
  EXPECT_EQ(a.count(), 5u);
  LatencyHistogram empty;
  ASSERT_TRUE(empty.Merge(a));
  EXPECT_EQ(empty.min(), 50u);
  a.Reset();
  EXPECT_EQ(a.count(), 0u);
  EXPECT_EQ(a.ValueAtQuantile(0.5), 0u);
}

TEST(LatencyHistogramTest, OutOfRangeQuantilesClamp) {
  LatencyHistogram h;
  h.Record(10);
  h.Record(20);
  EXPECT_EQ(h.ValueAtQuantile(-1.0), 10u);
  EXPECT_EQ(h.ValueAtQuantile(2.0), 20u);
  EXPECT_EQ(h.ValueAtQuantile(std::nan("")), 10u);
}

TEST(LatencyHistogramTest, PrecisionIsClamped) {
  EXPECT_EQ(LatencyHistogram(0).sub_bucket_bits(), LatencyHistogram::kMinSubBucketBits);
  EXPECT_EQ(LatencyHistogram(99).sub_bucket_bits(), LatencyHistogram::kMaxSubBucketBits);
}

}  // namespace
}  // namespace vsr::e2e
