// PackedAttention against a naive double-precision reference (scores, mask, softmax, P V
// over whole rows), for global and sliding-window layers at lengths that cover one row
// block, several, ragged last blocks and windows wider than the sequence.
#include "inference/attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <tuple>
#include <vector>

#include "inference/thread_pool.h"

namespace vsr::inference {
namespace {

// ctx for one sequence of `length` rows of qkv (row stride 3 * hidden).
std::vector<double> NaiveAttention(const float* qkv, int64_t length, int64_t hidden, int64_t heads,
                                   int64_t window) {
  const int64_t d = hidden / heads, ld = 3 * hidden;
  std::vector<double> ctx(static_cast<size_t>(length * hidden), 0.0);
  std::vector<double> p(static_cast<size_t>(length));
  for (int64_t h = 0; h < heads; ++h) {
    for (int64_t i = 0; i < length; ++i) {
      double top = -INFINITY;
      for (int64_t j = 0; j < length; ++j) {
        const bool visible = window < 0 || std::llabs(i - j) <= window;
        double s = 0;
        for (int64_t c = 0; c < d; ++c)
          s += double(qkv[i * ld + h * d + c]) * qkv[j * ld + hidden + h * d + c];
        p[j] = visible ? s / std::sqrt(double(d)) : -INFINITY;
        top = std::max(top, p[j]);
      }
      double sum = 0;
      for (int64_t j = 0; j < length; ++j) sum += (p[j] = std::exp(p[j] - top));
      for (int64_t j = 0; j < length; ++j) {
        for (int64_t c = 0; c < d; ++c) {
          ctx[i * hidden + h * d + c] += p[j] / sum * qkv[j * ld + 2 * hidden + h * d + c];
        }
      }
    }
  }
  return ctx;
}

class PackedAttentionTest
    : public ::testing::TestWithParam<std::tuple<int64_t, int64_t, int64_t, int>> {};

TEST_P(PackedAttentionTest, MatchesNaiveReference) {
  const auto [length, window, head_dim, threads] = GetParam();
  const int64_t heads = 2, hidden = heads * head_dim;
  // Two sequences back to back: the second is shorter, so sequences never see each other's
  // rows and the scratch is sized for the longest.
  const std::vector<int64_t> lengths = {length, std::max<int64_t>(1, length / 3)};
  PackedBatch batch;
  for (int64_t L : lengths) batch.Add(std::vector<int32_t>(static_cast<size_t>(L), 1));
  std::mt19937 rng(static_cast<unsigned>(length * 131 + window));
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> qkv(static_cast<size_t>(batch.num_tokens() * 3 * hidden));
  for (float& x : qkv) x = normal(rng);
  const std::vector<float> input = qkv;
  std::vector<float> ctx(static_cast<size_t>(batch.num_tokens() * hidden), NAN);

  AttentionParams p;
  p.hidden = hidden;
  p.heads = heads;
  p.window = window;
  std::vector<std::vector<float>> scratch;
  ThreadPool pool(threads);
  PackedAttention(threads > 1 ? &pool : nullptr, batch, qkv.data(), ctx.data(), p, &scratch);

  for (int64_t s = 0; s < batch.num_sequences(); ++s) {
    const auto want = NaiveAttention(input.data() + batch.begin(s) * 3 * hidden, batch.length(s),
                                     hidden, heads, window);
    for (int64_t i = 0; i < batch.length(s) * hidden; ++i) {
      ASSERT_NEAR(ctx[(batch.begin(s)) * hidden + i], want[i], 2e-5)
          << "sequence " << s << " row " << i / hidden << " column " << i % hidden;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, PackedAttentionTest,
    ::testing::Values(
        // global: one block
        std::make_tuple(int64_t{1}, int64_t{-1}, int64_t{32}, 1),
        std::make_tuple(int64_t{77}, int64_t{-1}, int64_t{24}, 1),
        std::make_tuple(int64_t{256}, int64_t{-1}, int64_t{32}, 2),
        std::make_tuple(int64_t{300}, int64_t{-1}, int64_t{40}, 2),
        // global, row-blocked: 2,100 rows are blocks of 1,997 (the last one 103 rows)
        std::make_tuple(int64_t{2100}, int64_t{-1}, int64_t{8}, 2),
        // sliding window: inside one block, across blocks, ragged ends, wider than the text
        std::make_tuple(int64_t{9}, int64_t{4}, int64_t{32}, 1),
        std::make_tuple(int64_t{65}, int64_t{0}, int64_t{24}, 1),
        std::make_tuple(int64_t{129}, int64_t{64}, int64_t{32}, 2),
        std::make_tuple(int64_t{200}, int64_t{1}, int64_t{32}, 1),
        std::make_tuple(int64_t{333}, int64_t{64}, int64_t{64}, 2),
        std::make_tuple(int64_t{50}, int64_t{500}, int64_t{32}, 1)));

TEST(PackedAttentionTest, BlocksAndKeyRanges) {
  AttentionParams global;
  global.window = -1;
  EXPECT_EQ(AttentionRowBlock(global, 0), 1);
  EXPECT_EQ(AttentionRowBlock(global, 300), 300);
  EXPECT_EQ(AttentionRowBlock(global, 2048), 2048);
  EXPECT_EQ(AttentionRowBlock(global, 8192), 512);
  EXPECT_EQ(AttentionRowBlock(global, 1 << 20), 64);
  EXPECT_EQ(AttentionKeys(global, 1000, 128, 192).begin, 0);
  EXPECT_EQ(AttentionKeys(global, 1000, 128, 192).end, 1000);

  AttentionParams local;
  local.window = 64;
  EXPECT_EQ(AttentionRowBlock(local, 100), 64);
  // Rows [128, 192) see keys [64, 256); 64 is already a panel boundary.
  EXPECT_EQ(AttentionKeys(local, 1000, 128, 192).begin, 64);
  EXPECT_EQ(AttentionKeys(local, 1000, 128, 192).end, 256);
  // Rows [200, 264) see keys [136, 328): the start rounds down to the panel at 128.
  EXPECT_EQ(AttentionKeys(local, 1000, 200, 264).begin, 128);
  EXPECT_EQ(AttentionKeys(local, 1000, 200, 264).end, 328);
  // Clipped at both ends of the sequence.
  EXPECT_EQ(AttentionKeys(local, 100, 0, 64).begin, 0);
  EXPECT_EQ(AttentionKeys(local, 100, 64, 100).end, 100);
}

}  // namespace
}  // namespace vsr::inference
