#include "inference/model_config.h"

#include <gtest/gtest.h>

namespace vsr::inference {
namespace {

TEST(ModelConfigTest, ParsesBertWithLabels) {
  auto c = ModelConfig::Parse(R"({"model_type":"bert","hidden_size":384,"num_hidden_layers":6,
    "num_attention_heads":12,"intermediate_size":1536,"id2label":{"1":"b","0":"a"}})",
                              "config.json");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->arch, Architecture::kBert);
  EXPECT_EQ(c->head_dim(), 32);
  EXPECT_EQ(c->id2label, (std::vector<std::string>{"a", "b"}));
  EXPECT_DOUBLE_EQ(c->layer_norm_eps, 1e-12);
}

TEST(ModelConfigTest, ModernBertDefaults) {
  auto c = ModelConfig::Parse(R"({"model_type":"modernbert","hidden_size":768,
    "num_attention_heads":12})",
                              "c");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->arch, Architecture::kModernBert);
  EXPECT_EQ(c->global_attn_every_n_layers, 3);
  EXPECT_EQ(c->local_attention, 128);
  EXPECT_DOUBLE_EQ(c->global_rope_theta, 160000.0);
  EXPECT_DOUBLE_EQ(c->layer_norm_eps, 1e-5);
  EXPECT_EQ(c->classifier_pooling, "cls");
}

TEST(ModelConfigTest, ErrorsNameFileAndKey) {
  auto c = ModelConfig::Parse("{not json", "dir/config.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("dir/config.json"), std::string::npos);
  c = ModelConfig::Parse(R"({"model_type":"gpt2"})", "c.json");
  EXPECT_EQ(c.status().code(), StatusCode::kUnimplemented);
  c = ModelConfig::Parse(R"({"model_type":"bert","hidden_size":100,"num_attention_heads":12})",
                         "c.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("divisible"), std::string::npos);
  c = ModelConfig::Parse(R"({"model_type":"bert","hidden_size":"big"})", "c.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("hidden_size"), std::string::npos);
  c = ModelConfig::Parse(R"({"model_type":"bert","id2label":{"0":"a","5":"b"}})", "c.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("id2label"), std::string::npos);
  c = ModelConfig::Parse(R"({"model_type":"bert","num_hidden_layers":-1})", "c.json");
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(ModelConfig::Load("/nonexistent/config.json").status().code(), StatusCode::kNotFound);
}

TEST(ModelConfigTest, ToJsonRoundTrips) {
  ModelConfig c;
  c.arch = Architecture::kModernBert;
  c.model_type = "modernbert";
  c.hidden_size = 64;
  c.num_attention_heads = 4;
  c.id2label = {"x", "y", "z"};
  c.classifier_pooling = "mean";
  auto back = ModelConfig::Parse(c.ToJson(), "rt");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id2label, c.id2label);
  EXPECT_EQ(back->classifier_pooling, "mean");
  EXPECT_EQ(back->hidden_size, 64);
}

}  // namespace
}  // namespace vsr::inference
