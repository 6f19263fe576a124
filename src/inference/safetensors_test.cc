#include "inference/safetensors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

namespace vsr::inference {
namespace {

TEST(SafeTensorsTest, RoundTripsEveryFloatDType) {
  SafeTensorsWriter w;
  std::vector<float> v = {0.0f, 1.0f, -2.5f, 3.14159f, 1e-3f, -65504.0f, 6.1e-5f, 1e-7f};
  w.Add("a", {2, 4}, v, DType::kF32);
  w.Add("b", {8}, v, DType::kF16);
  w.Add("c", {4, 2}, v, DType::kBF16);
  auto f = SafeTensorsFile::Parse(w.Serialize(), "mem");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto a = f->ToFloat("a", {2, 4});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, v);
  auto b = f->ToFloat("b");
  ASSERT_TRUE(b.ok());
  auto c = f->ToFloat("c");
  ASSERT_TRUE(c.ok());
  for (size_t i = 0; i < v.size(); ++i) {
    EXPECT_NEAR((*b)[i], v[i], std::fabs(v[i]) * 1e-3 + 6e-8) << i;
    EXPECT_NEAR((*c)[i], v[i], std::fabs(v[i]) * 8e-3) << i;
  }
  EXPECT_EQ(f->Find("b")->dtype, DType::kF16);
}

TEST(SafeTensorsTest, HalfConversionIsExactOnRepresentableValues) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00) == 0x7c00) continue;  // inf / nan
    float f = HalfToFloat(static_cast<uint16_t>(h));
    EXPECT_EQ(FloatToHalf(f), h) << h;
  }
  EXPECT_EQ(BFloat16ToFloat(FloatToBFloat16(1.5f)), 1.5f);
}

TEST(SafeTensorsTest, TruncatedAndCorruptFilesAreClearErrors) {
  SafeTensorsWriter w;
  w.Add("weight", {4, 4}, std::vector<float>(16, 1.0f));
  std::string good = w.Serialize();

  auto r = SafeTensorsFile::Parse(good.substr(0, 5), "x.safetensors");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_NE(r.status().message().find("x.safetensors"), std::string::npos);

  r = SafeTensorsFile::Parse(good.substr(0, good.size() - 4), "x.safetensors");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("weight"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().ToString();

  std::string bad_len = good;
  bad_len[7] = '\x7f';  // absurd header length
  r = SafeTensorsFile::Parse(bad_len, "x.safetensors");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);

  std::string bad_json = good;
  bad_json[8] = '[';
  r = SafeTensorsFile::Parse(bad_json, "x.safetensors");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("JSON"), std::string::npos);

  // Shape disagreeing with the byte range.
  std::string header = R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})";
  std::string img(8, '\0');
  img[0] = static_cast<char>(header.size());
  img += header + std::string(8, '\0');
  r = SafeTensorsFile::Parse(img, "y");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("needs 12"), std::string::npos) << r.status().ToString();

  // Unknown dtype and unsupported dtype.
  header = R"({"t":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}})";
  img.assign(8, '\0');
  img[0] = static_cast<char>(header.size());
  img += header + std::string(8, '\0');
  EXPECT_FALSE(SafeTensorsFile::Parse(img, "y").ok());
  header = R"({"t":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}})";
  img.assign(8, '\0');
  img[0] = static_cast<char>(header.size());
  img += header + std::string(8, '\0');
  auto ok = SafeTensorsFile::Parse(img, "y");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->ToFloat("t").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ok->ToFloat("missing").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ok->ToFloat("t", {3}).status().code(), StatusCode::kInvalidArgument);
}

TEST(SafeTensorsTest, MissingFileNamesThePath) {
  auto r = SafeTensorsFile::Open("/nonexistent/model.safetensors");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/model.safetensors"), std::string::npos);
}

TEST(SafeTensorsTest, EveryTruncationOfARealModelFailsCleanly) {
  std::ifstream in(VSR_INFERENCE_TESTDATA "bert_token_f16/model.safetensors", std::ios::binary);
  ASSERT_TRUE(in.good());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t cut = 0; cut < bytes.size(); cut += 997) {
    auto r = SafeTensorsFile::Parse(bytes.substr(0, cut), "m");
    EXPECT_FALSE(r.ok()) << cut;
  }
  EXPECT_TRUE(SafeTensorsFile::Parse(bytes, "m").ok());
}

}  // namespace
}  // namespace vsr::inference
