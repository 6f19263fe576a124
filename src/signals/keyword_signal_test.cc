#include "signals/keyword_signal.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace vsr::signals {
namespace {

using config::KeywordMethod;
using config::KeywordOperator;
using config::KeywordRule;

KeywordRule Rule(std::string name, std::vector<std::string> kws,
                 KeywordOperator op = KeywordOperator::kOr, bool case_sensitive = false,
                 KeywordMethod method = KeywordMethod::kExact) {
  KeywordRule r;
  r.name = std::move(name);
  r.keywords = std::move(kws);
  r.op = op;
  r.case_sensitive = case_sensitive;
  r.method = method;
  return r;
}

std::vector<uint8_t> MatchAll(const KeywordSignal& ks, std::string_view text) {
  std::vector<uint8_t> out(ks.num_rules());
  Status s = ks.Match(text, std::span<uint8_t>(out));
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(KeywordSignalTest, OrMatchesAnyKeywordCaseInsensitively) {
  auto ks = KeywordSignal::Create({Rule("urgent", {"urgent", "asap"})});
  ASSERT_TRUE(ks.ok()) << ks.status().ToString();
  EXPECT_EQ(MatchAll(**ks, "Please answer ASAP."), std::vector<uint8_t>{1});
  EXPECT_EQ(MatchAll(**ks, "URGENT: server down"), std::vector<uint8_t>{1});
  EXPECT_EQ(MatchAll(**ks, "no hurry at all"), std::vector<uint8_t>{0});
  EXPECT_EQ(MatchAll(**ks, ""), std::vector<uint8_t>{0});
}

TEST(KeywordSignalTest, LiteralsRespectWordBoundaries) {
  auto ks = KeywordSignal::Create({Rule("code", {"code"}), Rule("limit", {"limit"})});
  ASSERT_TRUE(ks.ok());
  EXPECT_EQ(MatchAll(**ks, "the code compiles"), (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(MatchAll(**ks, "barcode and decoder"), (std::vector<uint8_t>{0, 0}));
  EXPECT_EQ(MatchAll(**ks, "limits"), (std::vector<uint8_t>{0, 0}));
  EXPECT_EQ(MatchAll(**ks, "(limit)"), (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(MatchAll(**ks, "code_x"), (std::vector<uint8_t>{0, 0}));  // '_' is a word char
}

TEST(KeywordSignalTest, MultiWordAndPunctuatedLiterals) {
  auto ks = KeywordSignal::Create(
      {Rule("phrase", {"credit card"}), Rule("cpp", {"c++"}), Rule("meta", {"a.b*(c)"})});
  ASSERT_TRUE(ks.ok());
  EXPECT_EQ(MatchAll(**ks, "my Credit Card number"), (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_EQ(MatchAll(**ks, "creditcard"), (std::vector<uint8_t>{0, 0, 0}));
  EXPECT_EQ(MatchAll(**ks, "learn C++ today"), (std::vector<uint8_t>{0, 1, 0}));
  // Regex metacharacters in literals are literal.
  EXPECT_EQ(MatchAll(**ks, "x a.b*(c) y"), (std::vector<uint8_t>{0, 0, 1}));
  EXPECT_EQ(MatchAll(**ks, "x aXbbb(c) y"), (std::vector<uint8_t>{0, 0, 0}));
}

TEST(KeywordSignalTest, CaseSensitiveRule) {
  auto ks = KeywordSignal::Create({Rule("ssn", {"SSN"}, KeywordOperator::kOr, true)});
  ASSERT_TRUE(ks.ok());
  EXPECT_EQ(MatchAll(**ks, "my SSN is"), std::vector<uint8_t>{1});
  EXPECT_EQ(MatchAll(**ks, "my ssn is"), std::vector<uint8_t>{0});
}

TEST(KeywordSignalTest, AndNeedsEveryKeyword) {
  auto ks = KeywordSignal::Create({Rule("both", {"step", "explain"}, KeywordOperator::kAnd)});
  ASSERT_TRUE(ks.ok());
  EXPECT_EQ(MatchAll(**ks, "explain it step by step"), std::vector<uint8_t>{1});
  EXPECT_EQ(MatchAll(**ks, "explain it"), std::vector<uint8_t>{0});
  EXPECT_EQ(MatchAll(**ks, "step step step"), std::vector<uint8_t>{0});
}

TEST(KeywordSignalTest, NorMatchesWhenNoKeywordOccurs) {
  auto ks = KeywordSignal::Create({Rule("no_code", {"code", "script"}, KeywordOperator::kNor)});
  ASSERT_TRUE(ks.ok());
  EXPECT_EQ(MatchAll(**ks, "a poem about the sea"), std::vector<uint8_t>{1});
  EXPECT_EQ(MatchAll(**ks, "a python script"), std::vector<uint8_t>{0});
  EXPECT_EQ(MatchAll(**ks, ""), std::vector<uint8_t>{1});
}

TEST(KeywordSignalTest, RegexGoesToVectorscanElseRe2) {
  auto ks = KeywordSignal::Create(
      {Rule("ssn", {R"(\b\d{3}-\d{2}-\d{4}\b)"}, KeywordOperator::kOr, false,
            KeywordMethod::kRegex),
       Rule("anchored", {R"(^hello\s+world$)"}, KeywordOperator::kOr, false, KeywordMethod::kRegex),
       // The ungreedy flag (?U) is re2 syntax vectorscan rejects.
       Rule("re2_only", {R"((?U)xa+y)"}, KeywordOperator::kOr, true, KeywordMethod::kRegex)});
  ASSERT_TRUE(ks.ok()) << ks.status().ToString();
  EXPECT_EQ((*ks)->num_vectorscan_patterns(), 2u);
  EXPECT_EQ((*ks)->num_re2_patterns(), 1u);
  EXPECT_EQ(MatchAll(**ks, "id 123-45-6789 here"), (std::vector<uint8_t>{1, 0, 0}));
  EXPECT_EQ(MatchAll(**ks, "Hello   World"), (std::vector<uint8_t>{0, 1, 0}));
  EXPECT_EQ(MatchAll(**ks, "zxaayz"), (std::vector<uint8_t>{0, 0, 1}));
  EXPECT_EQ(MatchAll(**ks, "XAAY"), (std::vector<uint8_t>{0, 0, 0}));  // case-sensitive
  EXPECT_EQ(MatchAll(**ks, "1234-56-7890"), (std::vector<uint8_t>{0, 0, 0}));
}

TEST(KeywordSignalTest, InvalidRegexIsAnError) {
  auto ks = KeywordSignal::Create(
      {Rule("bad", {"(open"}, KeywordOperator::kOr, false, KeywordMethod::kRegex)});
  ASSERT_FALSE(ks.ok());
  EXPECT_NE(ks.status().message().find("keyword rule 'bad'"), std::string::npos);
}

TEST(KeywordSignalTest, NoRulesAndWrongOutputSize) {
  auto ks = KeywordSignal::Create({});
  ASSERT_TRUE(ks.ok());
  SignalResults r;
  EXPECT_TRUE((*ks)->Match("anything", &r).ok());
  EXPECT_TRUE(r.keyword_matched.empty());

  auto one = KeywordSignal::Create({Rule("a", {"a"})});
  ASSERT_TRUE(one.ok());
  std::vector<uint8_t> wrong(3);
  EXPECT_FALSE((*one)->Match("a", std::span<uint8_t>(wrong)).ok());
}

TEST(KeywordSignalTest, FillsSignalResults) {
  auto ks = KeywordSignal::Create({Rule("a", {"alpha"}), Rule("b", {"beta"})});
  ASSERT_TRUE(ks.ok());
  SignalResults r;
  ASSERT_TRUE((*ks)->Match("beta test", &r).ok());
  EXPECT_EQ(r.keyword_matched, (std::vector<uint8_t>{0, 1}));
}

TEST(KeywordSignalTest, NonAsciiLiteral) {
  auto ks = KeywordSignal::Create({Rule("cafe", {"café"})});
  ASSERT_TRUE(ks.ok());
  EXPECT_EQ(MatchAll(**ks, "un café noir"), std::vector<uint8_t>{1});
  EXPECT_EQ(MatchAll(**ks, "un cafe noir"), std::vector<uint8_t>{0});
}

TEST(KeywordSignalTest, TwoInstancesOnOneThreadShareScratchCorrectly) {
  auto small = KeywordSignal::Create({Rule("a", {"alpha"})});
  std::vector<std::string> many;
  for (int i = 0; i < 300; ++i) many.push_back("word" + std::to_string(i));
  auto big = KeywordSignal::Create({Rule("many", many), Rule("x", {"xylophone"})});
  ASSERT_TRUE(small.ok() && big.ok());
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(MatchAll(**small, "alpha"), std::vector<uint8_t>{1});
    EXPECT_EQ(MatchAll(**big, "say word299 and xylophone"), (std::vector<uint8_t>{1, 1}));
    EXPECT_EQ(MatchAll(**big, "say word300"), (std::vector<uint8_t>{0, 0}));
  }
}

TEST(KeywordSignalConcurrencyTest, ManyThreadsMatchConcurrently) {
  auto ks = KeywordSignal::Create(
      {Rule("a", {"alpha", "gamma"}), Rule("b", {"beta"}, KeywordOperator::kNor)});
  ASSERT_TRUE(ks.ok());
  std::vector<std::thread> threads;
  std::vector<int> errors(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        bool even = (i + t) % 2 == 0;
        std::vector<uint8_t> out(2);
        Status s = (*ks)->Match(even ? "alpha text" : "beta text", std::span<uint8_t>(out));
        std::vector<uint8_t> want = even ? std::vector<uint8_t>{1, 1} : std::vector<uint8_t>{0, 0};
        if (!s.ok() || out != want) ++errors[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int e : errors) EXPECT_EQ(e, 0);
}

}  // namespace
}  // namespace vsr::signals
