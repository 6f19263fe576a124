#include "inference/kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <tuple>
#include <vector>

#include "inference/gemm.h"
#include "inference/packed_matrix.h"
#include "inference/safetensors.h"
#include "inference/thread_pool.h"

namespace vsr::inference {
namespace {

TEST(KernelsTest, VectorExpAndGeluMatchLibm) {
  std::vector<float> x;
  for (float v = -30.0f; v <= 30.0f; v += 0.01f) x.push_back(v);
  std::vector<float> e = x;
  ExpInPlace(e.data(), static_cast<int64_t>(e.size()));
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_NEAR(e[i], std::exp(x[i]), std::exp(x[i]) * 1e-6) << x[i];
  }
  std::vector<float> g = x;
  BiasActivation(g.data(), 1, static_cast<int64_t>(g.size()), 0, nullptr, Activation::kGelu);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(g[i], GeluExact(x[i]), 2e-6) << x[i];
  std::vector<float> t = x;
  BiasActivation(t.data(), 1, static_cast<int64_t>(t.size()), 0, nullptr, Activation::kTanh);
  for (size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(t[i], std::tanh(x[i]), 1e-6) << x[i];
}

TEST(KernelsTest, SoftmaxAndLayerNorm) {
  std::vector<float> s = {1, 2, 3, -INFINITY, 0, 0, 0, 0, 0, 0};
  SoftmaxRows(s.data(), 1, 10, 10);
  float sum = 0;
  for (float v : s) sum += v;
  EXPECT_NEAR(sum, 1.0f, 1e-6);
  EXPECT_NEAR(s[3], 0.0f, 1e-30);
  std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<float> g(9, 1.0f), b(9, 0.5f);
  LayerNorm(x.data(), nullptr, 1, 9, g.data(), b.data(), 1e-5f);
  float mean = 0;
  for (float v : x) mean += v;
  EXPECT_NEAR(mean / 9, 0.5f, 1e-5);
}

// PanelGemm (attention's products) at ragged shapes: every row count the kernels split
// into, columns that end inside an 8-lane vector and inside a panel, k = 1. Columns past n
// and the gap up to ldy hold a sentinel that must survive.
TEST(KernelsTest, PanelGemmMatchesNaiveAndStoresOnlyItsColumns) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (int64_t rows : {1, 2, 3, 4, 5, 7}) {
    for (int64_t n : {1, 7, 8, 20, 32, 33, 70}) {
      for (int64_t k : {1, 5, 64}) {
        const int64_t panels = (n + 31) / 32, ldx = k + 3, ldy = n + 5;
        std::vector<float> x(static_cast<size_t>(rows * ldx)), b(static_cast<size_t>(n * k));
        for (float& v : x) v = u(rng);
        for (float& v : b) v = u(rng);  // B[c, j] = b[c * k + j]
        std::vector<float> pan(static_cast<size_t>(panels * k * 32), 0.0f);
        for (int64_t c = 0; c < n; ++c) {
          for (int64_t j = 0; j < k; ++j) pan[(c / 32) * k * 32 + j * 32 + c % 32] = b[c * k + j];
        }
        constexpr float kSentinel = -12345.0f;
        std::vector<float> y(static_cast<size_t>(rows * ldy), kSentinel);
        PanelGemm(x.data(), rows, ldx, pan.data(), n, k, y.data(), ldy);
        for (int64_t r = 0; r < rows; ++r) {
          for (int64_t c = 0; c < ldy; ++c) {
            if (c >= n) {
              ASSERT_EQ(y[r * ldy + c], kSentinel) << rows << "x" << n << "x" << k;
              continue;
            }
            double want = 0;
            for (int64_t j = 0; j < k; ++j) want += double(x[r * ldx + j]) * b[c * k + j];
            ASSERT_NEAR(y[r * ldy + c], want, 1e-5)
                << rows << "x" << n << "x" << k << " at " << r << "," << c;
          }
        }
      }
    }
  }
}

// PackPanels reads B through both strides (row-major and transposed), scales it and
// zeroes the lanes past n in the last panel.
TEST(KernelsTest, PackPanelsLayoutStridesAndPadding) {
  const int64_t n = 35, k = 3;  // two panels, the second with 3 used lanes
  std::vector<float> b(static_cast<size_t>(n * k));
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<float>(i + 1);
  std::vector<float> row_major(static_cast<size_t>(2 * k * 32), NAN), transposed = row_major;
  std::vector<float> bt(b.size());  // B^T: element (c, j) at bt[j * n + c]
  for (int64_t c = 0; c < n; ++c)
    for (int64_t j = 0; j < k; ++j) bt[j * n + c] = b[c * k + j];
  PackPanels(b.data(), n, k, k, 1, 0.5f, row_major.data());
  PackPanels(bt.data(), n, k, 1, n, 0.5f, transposed.data());
  for (int64_t p = 0; p < 2; ++p) {
    for (int64_t j = 0; j < k; ++j) {
      for (int64_t lane = 0; lane < 32; ++lane) {
        const int64_t c = p * 32 + lane;
        const float want = c < n ? 0.5f * b[c * k + j] : 0.0f;
        EXPECT_EQ(row_major[p * k * 32 + j * 32 + lane], want) << p << " " << j << " " << lane;
        EXPECT_EQ(transposed[p * k * 32 + j * 32 + lane], want) << p << " " << j << " " << lane;
      }
    }
  }
}

TEST(KernelsTest, ParallelLinearMatchesNaive) {
  std::mt19937 rng(3);
  std::normal_distribution<float> nd;
  for (auto [rows, in, out] : {std::tuple<int64_t, int64_t, int64_t>{7, 33, 70},
                               {13, 384, 1152},
                               {30, 64, 16},
                               {130, 300, 70},
                               {20, 1000, 40},   // few rows, two k blocks
                               {100, 1600, 40},  // row blocks and three k blocks
                               {1001, 96, 50},   // split by rows, a ragged last part
                               // AVX2 builds: small W, few rows (own kernel, tiles of 6 rows
                               // x 16 columns: 2, 9 = 6 + 3 and 23 = 3 x 6 + 5 rows; 56 and 40
                               // columns end in a part of a half panel; 64 = the limit) and
                               // one row more (OpenBLAS)
                               {2, 128, 384},
                               {9, 128, 40},
                               {23, 128, 56},
                               {64, 128, 512},
                               {65, 128, 512}}) {
    std::vector<float> x(rows * in), w(out * in), b(out);
    for (auto* v : {&x, &w, &b}) {
      for (auto& f : *v) f = nd(rng);
    }
    ThreadPool pool(2);
    std::vector<float> y(rows * out);
    InitGemmLibrary();
    PackedMatrix pw;
    pw.Pack(w, out, in);
    Linear(&pool, x.data(), rows, pw, b.data(), y.data(), out, Activation::kRelu);
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t o = 0; o < out; ++o) {
        double acc = b[o];
        for (int64_t k = 0; k < in; ++k) acc += double(x[r * in + k]) * w[o * in + k];
        ASSERT_NEAR(y[r * out + o], std::max(acc, 0.0), 1e-3) << rows << "x" << in << "x" << out;
      }
    }
  }
}

TEST(KernelsTest, Bf16PackedLinearMatchesRoundedWeights) {
  std::mt19937 rng(5);
  std::normal_distribution<float> nd;
  const int64_t rows = 17, in = 300, out = 45;
  std::vector<float> x(rows * in), w(out * in);
  for (auto* v : {&x, &w}) {
    for (auto& f : *v) f = nd(rng);
  }
  PackedMatrix pw;
  pw.Pack(w, out, in, WeightFormat::kBF16);
  std::vector<float> y(rows * out);
  Linear(nullptr, x.data(), rows, pw, nullptr, y.data(), out, Activation::kNone);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < out; ++o) {
      double rounded = 0, exact = 0;
      for (int64_t k = 0; k < in; ++k) {
        const float wk = w[o * in + k];
        const float wb = pw.bf16() ? BFloat16ToFloat(FloatToBFloat16(wk)) : wk;
        rounded += double(x[r * in + k]) * wb;
        exact += double(x[r * in + k]) * wk;
      }
      ASSERT_NEAR(y[r * out + o], rounded, 1e-3);
      EXPECT_NEAR(y[r * out + o], exact, 0.5);  // bf16 keeps ~3 significant digits
    }
  }
}

}  // namespace
TEST(KernelsTest, Int8PackedLinearMatchesQuantisedReference) {
  if (!Int8KernelsAvailable()) GTEST_SKIP() << "no AVX-512 VNNI in this build";
  std::mt19937 rng(9);
  std::normal_distribution<float> nd;
  for (auto [rows, in, out] : {std::tuple<int64_t, int64_t, int64_t>{17, 301, 45},
                               {130, 384, 1152},
                               {1, 7, 3},
                               {25, 1536, 70}}) {
    std::vector<float> x(rows * in), w(out * in), b(out);
    for (auto* v : {&x, &w, &b}) {
      for (auto& f : *v) f = nd(rng);
    }
    if (rows > 1) std::fill(x.begin(), x.begin() + in, 0.0f);  // an all-zero row
    PackedMatrix pw;
    pw.Pack(w, out, in, WeightFormat::kInt8);
    ASSERT_TRUE(pw.int8());
    ThreadPool pool(2);
    for (ThreadPool* p : {static_cast<ThreadPool*>(nullptr), &pool}) {
      std::vector<float> y(rows * out);
      Linear(p, x.data(), rows, pw, b.data(), y.data(), out, Activation::kNone);
      for (int64_t r = 0; r < rows; ++r) {
        float xmax = 0;
        for (int64_t k = 0; k < in; ++k) xmax = std::max(xmax, std::fabs(x[r * in + k]));
        for (int64_t o = 0; o < out; ++o) {
          float wmax = 0;
          for (int64_t k = 0; k < in; ++k) wmax = std::max(wmax, std::fabs(w[o * in + k]));
          double quantised = 0, exact = b[o];
          for (int64_t k = 0; k < in; ++k) {
            const double xq =
                xmax > 0 ? std::nearbyint(x[r * in + k] * 127.0f / xmax) * (xmax / 127.0) : 0.0;
            const double wq = std::nearbyint(w[o * in + k] * 127.0f / wmax) * (wmax / 127.0);
            quantised += xq * wq;
            exact += double(x[r * in + k]) * w[o * in + k];
          }
          quantised += b[o];
          ASSERT_NEAR(y[r * out + o], quantised, 2e-3 * (1 + std::fabs(quantised)))
              << rows << "x" << in << "x" << out << " at " << r << "," << o;
          // 8-bit rounding of both N(0,1) operands: ~0.013 per term (std), summed over `in`
          // terms; the bound is ~6 standard deviations.
          ASSERT_NEAR(y[r * out + o], exact, 0.08 * std::sqrt(double(in)));
        }
      }
    }
  }
}

}  // namespace vsr::inference
