#include "classification/bio.h"

#include <gtest/gtest.h>

#include <cctype>

namespace vsr::classification {
namespace {

const std::vector<std::string> kLabels = {"O",       "B-PER", "I-PER",  "B-EMAIL",
                                          "I-EMAIL", "PHONE", "I-CARD", "I-IP"};
constexpr int kO = 0, kBPer = 1, kIPer = 2, kIEmail = 4, kPhone = 5, kCard = 6, kIp = 7;

// Tokens of `text` split like the BERT pre-tokenizer: runs of alphanumerics, single
// punctuation characters; labels[i] is the i-th token's label.
std::vector<TokenPrediction> Tokens(const std::string& text, const std::vector<int>& labels) {
  std::vector<TokenPrediction> out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    size_t j = i + 1;
    if (std::isalnum(static_cast<unsigned char>(text[i]))) {
      while (j < text.size() && std::isalnum(static_cast<unsigned char>(text[j]))) ++j;
    }
    TokenPrediction t;
    t.begin = static_cast<uint32_t>(i);
    t.end = static_cast<uint32_t>(j);
    t.probability = 0.5f;
    out.push_back(t);
    i = j;
  }
  EXPECT_EQ(out.size(), labels.size()) << text;
  for (size_t k = 0; k < out.size() && k < labels.size(); ++k) out[k].label = labels[k];
  return out;
}

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

TEST(BioTest, AWordIsNeverSplitBetweenTypes) {
  // "4295-6263-8307-2459": the last group mislabelled as IP; the word's majority wins.
  const std::string text = "card 4295-6263-8307-2459 ok";
  auto ents = AggregateBio(
      text, Tokens(text, {kO, kCard, kCard, kCard, kCard, kCard, kCard, kIp, kO}), kLabels);
  ASSERT_EQ(ents.size(), 1u);
  EXPECT_EQ(ents[0].type, "CARD");
  EXPECT_EQ(ents[0].text, "4295-6263-8307-2459");
}

TEST(BioTest, OTokensAtAWordsEdgesStayOutside) {
  const std::string text = "Email:john@x.com Smith's";
  auto ents = AggregateBio(
      text, Tokens(text, {kO, kO, kIEmail, kIEmail, kIEmail, kIEmail, kIEmail, kBPer, kO, kO}),
      kLabels);
  ASSERT_EQ(ents.size(), 2u);
  EXPECT_EQ(ents[0].text, "john@x.com");
  EXPECT_EQ(ents[1].type, "PER");  // tie between PER and O ("s"): the first label wins
  EXPECT_EQ(ents[1].text, "Smith");
}

TEST(BioTest, PunctuationAloneNeverOpensAnEntityButMayContinueOne) {
  const std::string text = "x + 5 and 555 - 1234";
  auto ents =
      AggregateBio(text, Tokens(text, {kO, kPhone, kPhone, kO, kPhone, kPhone, kPhone}), kLabels);
  ASSERT_EQ(ents.size(), 2u);
  EXPECT_EQ(ents[0].text, "5");
  EXPECT_EQ(ents[1].text, "555 - 1234");
}

TEST(BioTest, AMostlyOWordIsNotAnEntity) {
  // x ^ 2 + 3x + 5: a stray PHONE on "2" ties with the O of "x" in the word "x^2"; the
  // label seen first (O) wins, so no entity.
  const std::string text = "x^2 + 3x + 5";
  EXPECT_TRUE(AggregateBio(text, Tokens(text, {kO, kO, kPhone, kO, kO, kO, kO}), kLabels).empty());
}

TEST(BioTest, TrailingPunctuationIsDroppedBracketsKeptWhenPaired) {
  const std::string text = "at 10.0.0.1. Call (555) 123-4567, (bob)";
  auto ents = AggregateBio(text, Tokens(text, {kO,     kIp,    kIp, kIp,    kIp,    kIp,    kIp,
                                               kIp,    kIp,    kO,  kPhone, kPhone, kPhone, kPhone,
                                               kPhone, kPhone, kO,  kBPer,  kBPer,  kBPer}),
                           kLabels);
  ASSERT_EQ(ents.size(), 3u);
  EXPECT_EQ(ents[0].text, "10.0.0.1");
  EXPECT_EQ(ents[1].text, "(555) 123-4567");
  EXPECT_EQ(ents[1].begin, text.find('('));
  EXPECT_EQ(ents[2].text, "(bob)");  // B- inside a word does not split it
}

TEST(BioTest, UnpairedBracketsAndQuotesAreDropped) {
  const std::string text = "\"Ann Lee) x";
  auto ents = AggregateBio(text, Tokens(text, {kIPer, kIPer, kIPer, kIPer, kO}), kLabels);
  ASSERT_EQ(ents.size(), 1u);
  EXPECT_EQ(ents[0].text, "Ann Lee");
  // An entity of punctuation only disappears.
  const std::string dots = "a ...";
  EXPECT_EQ(AggregateBio(dots, Tokens(dots, {kO, kIPer, kIPer, kIPer}), kLabels).size(), 0u);
}

TEST(BioTest, WordsJoinOnlyWhenThePreviousEntityReachedTheirBoundary) {
  // "Ann" ends its word; "Lee" starts a word of the same type: one entity. "Bo" ends
  // inside "Bo,x" (the "x" is O): the next word opens a new entity.
  const std::string text = "Ann Lee Bo,x Kim";
  auto ents = AggregateBio(text, Tokens(text, {kBPer, kIPer, kIPer, kO, kO, kIPer}), kLabels);
  ASSERT_EQ(ents.size(), 2u);
  EXPECT_EQ(ents[0].text, "Ann Lee Bo");
  EXPECT_EQ(ents[1].text, "Kim");
}

TEST(BioTest, ContinuationPiecesStayWithTheirHead) {
  // "mar" O, "##garet" PER twice (two pieces over the same bytes, as for a normalised
  // word): PER 2 : O 1, widened back to the head. "john" PER, "##son" O: a tie, PER first,
  // and the O piece stays with its head. The two words join into one entity.
  const std::string text = "Margaret Johnson";
  std::vector<TokenPrediction> toks = {Tok(kO, 0, 3), Tok(kIPer, 3, 8, 0.5f, true),
                                       Tok(kIPer, 3, 8, 0.5f, true), Tok(kIPer, 9, 13),
                                       Tok(kO, 13, 16, 0.5f, true)};
  auto ents = AggregateBio(text, toks, kLabels);
  ASSERT_EQ(ents.size(), 1u);
  EXPECT_EQ(ents[0].text, "Margaret Johnson");
  EXPECT_EQ(ents[0].begin, 0u);
  EXPECT_EQ(ents[0].end, 16u);
}

}  // namespace
}  // namespace vsr::classification
