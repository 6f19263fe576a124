#include "cache/vector_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace vsr::cache {
namespace {

std::vector<float> RandomVector(size_t n, std::mt19937& rng) {
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

double ScalarDot(const float* a, const float* b, size_t n) {
  double s = 0.0;
  for (size_t i = 0; i < n; ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

TEST(VectorMathTest, DotMatchesScalarForAllLengths) {
  std::mt19937 rng(7);
  // Covers the SIMD body, the 16/8-lane tails and the scalar tail.
  for (size_t n : {1u, 3u, 7u, 8u, 15u, 16u, 17u, 31u, 32u, 33u, 100u, 384u, 768u, 1001u}) {
    auto a = RandomVector(n, rng), b = RandomVector(n, rng);
    EXPECT_NEAR(Dot(a.data(), b.data(), n), ScalarDot(a.data(), b.data(), n), 1e-3 * n)
        << "n=" << n;
  }
}

TEST(VectorMathTest, DotRowsMatchesDotPerRow) {
  std::mt19937 rng(11);
  for (size_t dim : {5u, 16u, 384u}) {
    for (size_t rows : {1u, 3u, 4u, 9u}) {
      auto q = RandomVector(dim, rng), m = RandomVector(dim * rows, rng);
      std::vector<float> out(rows);
      DotRows(q.data(), m.data(), rows, dim, out.data());
      for (size_t r = 0; r < rows; ++r) {
        EXPECT_NEAR(out[r], ScalarDot(q.data(), m.data() + r * dim, dim), 1e-3 * dim)
            << "dim=" << dim << " row=" << r;
      }
    }
  }
}

TEST(VectorMathTest, NormalizeGivesUnitLength) {
  std::vector<float> v = {3.0f, 4.0f}, out(2);
  ASSERT_TRUE(NormalizeInto(v, out.data()).ok());
  EXPECT_FLOAT_EQ(out[0], 0.6f);
  EXPECT_FLOAT_EQ(out[1], 0.8f);
  // Tiny and huge magnitudes normalise too (accumulated in double).
  std::vector<float> tiny(384, 1e-30f), huge(384, 1e30f), o(384);
  ASSERT_TRUE(NormalizeInto(tiny, o.data()).ok());
  EXPECT_NEAR(Dot(o.data(), o.data(), 384), 1.0f, 1e-5);
  ASSERT_TRUE(NormalizeInto(huge, o.data()).ok());
  EXPECT_NEAR(Dot(o.data(), o.data(), 384), 1.0f, 1e-5);
}

TEST(VectorMathTest, NormalizeRejectsBadVectors) {
  std::vector<float> out(4);
  std::vector<float> empty;
  EXPECT_EQ(NormalizeInto(empty, out.data()).code(), StatusCode::kInvalidArgument);
  std::vector<float> zero(4, 0.0f);
  Status s = NormalizeInto(zero, out.data());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("zero"), std::string::npos) << s.ToString();
  std::vector<float> nan = {1.0f, std::numeric_limits<float>::quiet_NaN(), 0.0f, 0.0f};
  s = NormalizeInto(nan, out.data());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("component 1 is NaN"), std::string::npos) << s.ToString();
  std::vector<float> inf = {1.0f, 0.0f, std::numeric_limits<float>::infinity(), 0.0f};
  s = NormalizeInto(inf, out.data());
  EXPECT_NE(s.message().find("component 2 is infinite"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace vsr::cache
