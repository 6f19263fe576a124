#include "signals/embedding_signal.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

namespace vsr::signals {
namespace {

// A fake embedder: fixed 3-d vectors per phrase (not normalised on purpose).
EmbeddingSignal::EmbedFn FakeEmbed() {
  return [](std::string_view text) -> StatusOr<std::vector<float>> {
    static const std::map<std::string, std::vector<float>, std::less<>> kTable = {
        {"x", {2, 0, 0}}, {"y", {0, 3, 0}}, {"xy", {1, 1, 0}}, {"z", {0, 0, 1}}};
    auto it = kTable.find(text);
    if (it == kTable.end()) return Status::NotFound(std::string(text));
    return it->second;
  };
}

config::EmbeddingRule Rule(std::string name, std::vector<std::string> cands,
                           std::string agg = "max") {
  config::EmbeddingRule r;
  r.name = std::move(name);
  r.candidates = std::move(cands);
  r.aggregation_method = std::move(agg);
  return r;
}

TEST(EmbeddingSignalTest, MaxAndMeanAggregation) {
  auto sig = EmbeddingSignal::Create(
      {Rule("max", {"x", "y"}), Rule("mean", {"x", "y"}, "mean"), Rule("z", {"z"})}, FakeEmbed());
  ASSERT_TRUE(sig.ok()) << sig.status().ToString();
  EXPECT_EQ((*sig)->dim(), 3u);
  SignalResults r;
  std::vector<float> q = {5, 0, 0};  // along x
  ASSERT_TRUE((*sig)->Score(q, &r).ok());
  ASSERT_EQ(r.embedding_similarity.size(), 3u);
  EXPECT_NEAR(r.embedding_similarity[0], 1.0f, 1e-6);
  EXPECT_NEAR(r.embedding_similarity[1], 0.5f, 1e-6);
  EXPECT_NEAR(r.embedding_similarity[2], 0.0f, 1e-6);
  std::vector<float> diag = {1, 1, 0};
  ASSERT_TRUE((*sig)->Score(diag, &r).ok());
  EXPECT_NEAR(r.embedding_similarity[0], std::sqrt(0.5f), 1e-6);
}

TEST(EmbeddingSignalTest, ErrorsNameTheRule) {
  auto sig = EmbeddingSignal::Create({Rule("support", {"x", "unknown phrase"})}, FakeEmbed());
  ASSERT_FALSE(sig.ok());
  EXPECT_NE(sig.status().message().find("support"), std::string::npos);

  auto ok = EmbeddingSignal::Create({Rule("a", {"x"})}, FakeEmbed());
  ASSERT_TRUE(ok.ok());
  SignalResults r;
  std::vector<float> wrong_dim = {1, 0};
  EXPECT_FALSE((*ok)->Score(wrong_dim, &r).ok());
}

TEST(EmbeddingSignalTest, NoRules) {
  auto sig = EmbeddingSignal::Create({}, FakeEmbed());
  ASSERT_TRUE(sig.ok());
  SignalResults r;
  std::vector<float> q = {1, 0, 0};
  EXPECT_TRUE((*sig)->Score(q, &r).ok());
  EXPECT_TRUE(r.embedding_similarity.empty());
}

TEST(SignalResultsTest, ClearKeepsBuffersAndResets) {
  SignalResults r;
  r.keyword_matched = {1, 1};
  r.embedding_similarity = {0.9f};
  r.AddDomain("math", 0.9f);
  r.AddDomain("physics", 0.1f);
  r.AddPii("EMAIL_ADDRESS", 0.99f);
  r.SetJailbreak(true, 0.8f);
  r.token_count = 10;
  r.Clear();
  EXPECT_EQ(r.keyword_matched, (std::vector<uint8_t>{0, 0}));
  EXPECT_EQ(r.embedding_similarity[0], SignalResults::kNotComputed);
  EXPECT_TRUE(r.domains().empty());
  EXPECT_TRUE(r.pii().empty());
  EXPECT_FALSE(r.jailbreak_evaluated);
  EXPECT_EQ(r.token_count, -1);
  r.AddDomain("law", 0.7f);
  ASSERT_EQ(r.domains().size(), 1u);
  EXPECT_EQ(r.domains()[0].label, "law");
}

}  // namespace
}  // namespace vsr::signals
