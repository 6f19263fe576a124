#include "classification/bio.h"

#include <gtest/gtest.h>

namespace vsr::classification {
namespace {

const std::vector<std::string> kLabels = {"O", "B-PER", "I-PER", "B-EMAIL", "I-EMAIL", "PHONE"};

TokenPrediction Tok(int label, uint32_t b, uint32_t e, float p = 0.9f, bool cont = false) {
  TokenPrediction t;
  t.label = label;
  t.begin = b;
  t.end = e;
  t.probability = p;
  t.continuation = cont;
  return t;
}

TokenPrediction Special() {
  TokenPrediction t;
  t.special = true;
  return t;
}

TEST(BioTest, GroupsBeginInsideIntoEntitiesWithByteSpans) {
  const std::string text = "my name is John Smith ok";
  std::vector<TokenPrediction> toks = {Special(),
                                       Tok(0, 0, 2),
                                       Tok(0, 3, 7),
                                       Tok(0, 8, 10),
                                       Tok(1, 11, 15, 0.8f),
                                       Tok(2, 16, 21, 0.6f),
                                       Tok(0, 22, 24),
                                       Special()};
  auto ents = AggregateBio(text, toks, kLabels);
  ASSERT_EQ(ents.size(), 1u);
  EXPECT_EQ(ents[0].type, "PER");
  EXPECT_EQ(ents[0].text, "John Smith");
  EXPECT_EQ(ents[0].begin, 11u);
  EXPECT_EQ(ents[0].end, 21u);
  EXPECT_NEAR(ents[0].confidence, 0.7f, 1e-6);
}

TEST(BioTest, BeginAfterBeginStartsANewEntityAndTypeChangeSplits) {
  const std::string text = "Ann Bob x@y.z";
  std::vector<TokenPrediction> toks = {Tok(1, 0, 3), Tok(1, 4, 7), Tok(4, 8, 13)};
  auto ents = AggregateBio(text, toks, kLabels);
  ASSERT_EQ(ents.size(), 3u);
  EXPECT_EQ(ents[0].text, "Ann");
  EXPECT_EQ(ents[1].text, "Bob");
  EXPECT_EQ(ents[2].type, "EMAIL");  // a lone I- starts an entity
  EXPECT_EQ(ents[2].text, "x@y.z");
}

TEST(BioTest, ContinuationsNeverSplitAWordAndBareLabelsMerge) {
  const std::string text = "Johnathan 555 1234";
  std::vector<TokenPrediction> toks = {Tok(1, 0, 4), Tok(0, 4, 9, 0.5f, /*cont=*/true),
                                       Tok(5, 10, 13), Tok(5, 14, 18)};
  auto ents = AggregateBio(text, toks, kLabels);
  ASSERT_EQ(ents.size(), 2u);
  EXPECT_EQ(ents[0].text, "Johnathan");
  EXPECT_EQ(ents[1].type, "PHONE");
  EXPECT_EQ(ents[1].text, "555 1234");
}

TEST(BioTest, SpecialTokensCloseAndBadSpansAreClamped) {
  const std::string text = "ab";
  std::vector<TokenPrediction> toks = {Tok(1, 0, 1), Special(), Tok(2, 1, 50), Tok(99, 0, 1)};
  auto ents = AggregateBio(text, toks, kLabels);
  ASSERT_EQ(ents.size(), 2u);
  EXPECT_EQ(ents[0].text, "a");
  EXPECT_EQ(ents[1].text, "b");  // end clamped to the text
  EXPECT_TRUE(AggregateBio("", {}, kLabels).empty());
}

}  // namespace
}  // namespace vsr::classification
