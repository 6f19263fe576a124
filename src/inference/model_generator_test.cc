#include "inference/model_generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vsr::inference {
namespace {

std::string Slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ModelGeneratorTest, GeneratedModelsLoadAndRunForEveryHeadAndArchitecture) {
  const std::string base = ::testing::TempDir() + "/vsr_gen_test";
  for (const char* preset : {"tiny", "modernbert-base"}) {
    for (HeadKind head : {HeadKind::kSequence, HeadKind::kToken, HeadKind::kNone}) {
      auto cfg = PresetConfig(preset);
      ASSERT_TRUE(cfg.ok());
      GeneratorSpec spec;
      spec.config = *cfg;
      if (std::string(preset) == "modernbert-base") {  // shrink it: shape, not size, matters
        spec.config.hidden_size = 32;
        spec.config.num_attention_heads = 4;
        spec.config.num_hidden_layers = 4;
        spec.config.intermediate_size = 48;
        spec.config.vocab_size = 300;
      }
      spec.config.id2label = {"a", "b", "c"};
      spec.head = head;
      spec.dtype = DType::kF16;
      spec.mapping_file = "category_mapping.json";
      const std::string dir = base + "/" + preset + std::to_string(static_cast<int>(head));
      ASSERT_TRUE(GenerateModel(spec, dir).ok());
      auto m = EncoderModel::Load(dir);
      ASSERT_TRUE(m.ok()) << m.status().ToString();
      EXPECT_EQ((*m)->head(), head);
      PackedBatch b;
      b.Add(std::vector<int32_t>{1, 2, 3, 4});
      b.Add(std::vector<int32_t>{5});
      std::vector<float> out;
      if (head == HeadKind::kSequence) {
        ASSERT_TRUE((*m)->RunSequenceLogits(b, &out).ok());
        EXPECT_EQ(out.size(), 6u);
      } else if (head == HeadKind::kToken) {
        ASSERT_TRUE((*m)->RunTokenLogits(b, &out).ok());
        EXPECT_EQ(out.size(), 15u);
      } else {
        ASSERT_TRUE((*m)->RunMeanPooled(b, true, &out).ok());
        EXPECT_EQ(out.size(), 64u);
      }
      for (float v : out) EXPECT_TRUE(std::isfinite(v));
    }
  }
  std::filesystem::remove_all(base);
}

TEST(ModelGeneratorTest, SameSeedSameBytesDifferentSeedDifferentBytes) {
  const std::string base = ::testing::TempDir() + "/vsr_gen_seed";
  GeneratorSpec spec;
  spec.config = *PresetConfig("tiny");
  spec.config.id2label = {"x", "y"};
  ASSERT_TRUE(GenerateModel(spec, base + "/a").ok());
  ASSERT_TRUE(GenerateModel(spec, base + "/b").ok());
  spec.seed = 43;
  ASSERT_TRUE(GenerateModel(spec, base + "/c").ok());
  EXPECT_EQ(Slurp(base + "/a/model.safetensors"), Slurp(base + "/b/model.safetensors"));
  EXPECT_NE(Slurp(base + "/a/model.safetensors"), Slurp(base + "/c/model.safetensors"));
  std::filesystem::remove_all(base);
}

TEST(ModelGeneratorTest, RejectsBadSpecs) {
  GeneratorSpec spec;
  spec.config = *PresetConfig("tiny");
  spec.head = HeadKind::kSequence;  // but no labels
  EXPECT_FALSE(GenerateModel(spec, ::testing::TempDir() + "/vsr_gen_bad").ok());
  spec.config.id2label = {"a"};
  spec.config.num_attention_heads = 5;
  EXPECT_FALSE(GenerateModel(spec, ::testing::TempDir() + "/vsr_gen_bad").ok());
  EXPECT_FALSE(PresetConfig("gpt-9").ok());
  // The default models' shape (models/README.md).
  auto def = PresetConfig("vsr-default");
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->hidden_size, 128);
  EXPECT_EQ(def->num_hidden_layers, 2);
  EXPECT_EQ(def->intermediate_size, 512);
  EXPECT_EQ(def->num_attention_heads, 2);
}

}  // namespace
}  // namespace vsr::inference
