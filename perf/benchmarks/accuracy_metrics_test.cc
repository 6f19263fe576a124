#include "perf/benchmarks/accuracy_metrics.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace vsr::perf {
namespace {

std::string WriteTemp(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

classification::Entity E(const std::string& type, uint32_t b, uint32_t e) {
  classification::Entity x;
  x.type = type;
  x.begin = b;
  x.end = e;
  return x;
}

TEST(AccuracyMetrics, LoadsClassFileAndSkipsBlankLines) {
  auto path = WriteTemp("c.jsonl",
                        "{\"text\":\"a\",\"label\":\"math\"}\n\n"
                        "{\"text\":\"b\",\"label\":\"law\"}\n");
  auto gold = LoadGoldClassFile(path);
  ASSERT_TRUE(gold.ok()) << gold.status().ToString();
  ASSERT_EQ(gold->size(), 2u);
  EXPECT_EQ((*gold)[1].label, "law");
}

TEST(AccuracyMetrics, ClassFileErrorsNameFileAndLine) {
  auto path = WriteTemp("bad.jsonl", "{\"text\":\"a\",\"label\":\"x\"}\n{\"text\":1}\n");
  auto gold = LoadGoldClassFile(path);
  ASSERT_FALSE(gold.ok());
  EXPECT_NE(gold.status().ToString().find("bad.jsonl:2"), std::string::npos);
  EXPECT_FALSE(LoadGoldClassFile(WriteTemp("empty.jsonl", "\n")).ok());
  EXPECT_FALSE(LoadGoldClassFile(::testing::TempDir() + "/does-not-exist.jsonl").ok());
  EXPECT_FALSE(LoadGoldClassFile(WriteTemp("notjson.jsonl", "{oops\n")).ok());
}

TEST(AccuracyMetrics, LoadsPiiFileAndRejectsSpansOutsideText) {
  auto ok = LoadGoldPiiFile(
      WriteTemp("p.jsonl",
                "{\"text\":\"I am Bob\",\"label\":[{\"type\":\"PERSON\",\"begin\":5,\"end\":8}]}\n"
                "{\"text\":\"nothing\",\"label\":[]}\n"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)[0].entities[0], (GoldSpan{"PERSON", 5, 8}));
  EXPECT_TRUE((*ok)[1].entities.empty());
  EXPECT_FALSE(
      LoadGoldPiiFile(WriteTemp("p2.jsonl",
                                "{\"text\":\"Bob\",\"label\":[{\"type\":\"PERSON\",\"begin\":0,"
                                "\"end\":9}]}\n"))
          .ok());
  EXPECT_FALSE(LoadGoldPiiFile(WriteTemp("p3.jsonl", "{\"text\":\"Bob\",\"label\":\"x\"}\n")).ok());
}

TEST(AccuracyMetrics, AccuracyCountsExactLabels) {
  std::vector<GoldClassExample> gold = {{"a", "math"}, {"b", "law"}, {"c", "law"}, {"d", "x"}};
  EXPECT_DOUBLE_EQ(Accuracy({"math", "law", "math", "y"}, gold), 0.5);
  EXPECT_DOUBLE_EQ(Accuracy({}, {}), 0.0);
}

TEST(AccuracyMetrics, BinaryScores) {
  std::vector<GoldClassExample> gold = {
      {"", "jailbreak"}, {"", "jailbreak"}, {"", "benign"}, {"", "benign"}, {"", "benign"}};
  auto s = ScoreBinary({"jailbreak", "benign", "jailbreak", "benign", "benign"}, gold, "jailbreak");
  EXPECT_DOUBLE_EQ(s.precision(), 0.5);
  EXPECT_DOUBLE_EQ(s.recall(), 0.5);
  EXPECT_DOUBLE_EQ(s.false_positive_rate(), 1.0 / 3.0);
}

TEST(AccuracyMetrics, EntityScoresAreStrictOnTypeAndSpan) {
  std::vector<GoldPiiExample> gold = {{"", {{"PERSON", 0, 3}, {"EMAIL_ADDRESS", 10, 20}}},
                                      {"", {}}};
  // one exact hit, one wrong end, one wrong type, one spurious entity in a clean text
  std::vector<std::vector<classification::Entity>> pred = {
      {E("PERSON", 0, 3), E("EMAIL_ADDRESS", 10, 19), E("PHONE_NUMBER", 10, 20)},
      {E("PERSON", 1, 2)}};
  auto s = ScoreEntities(pred, gold);
  EXPECT_EQ(s.true_positives, 1);
  EXPECT_EQ(s.false_positives, 3);
  EXPECT_EQ(s.false_negatives, 1);
  EXPECT_DOUBLE_EQ(s.precision(), 0.25);
  EXPECT_DOUBLE_EQ(s.recall(), 0.5);
  EXPECT_NEAR(s.f1(), 1.0 / 3.0, 1e-12);
  // a duplicate prediction cannot match the same gold entity twice
  auto d = ScoreEntities({{E("PERSON", 0, 3), E("PERSON", 0, 3)}, {}},
                         {{"", {{"PERSON", 0, 3}}}, {"", {}}});
  EXPECT_EQ(d.true_positives, 1);
  EXPECT_EQ(d.false_positives, 1);
}

TEST(AccuracyMetricsTest, EntityScoresByTypeSplitTheTotals) {
  // gold: PERSON [0,3) and EMAIL [4,9); predicted: PERSON [0,3) (hit), PERSON [4,9) (a
  // wrong type: a false positive for PERSON and a miss for EMAIL), IP [10,12) (spurious).
  std::vector<std::vector<classification::Entity>> pred = {
      {E("PERSON", 0, 3), E("PERSON", 4, 9), E("IP", 10, 12)}};
  std::vector<GoldPiiExample> gold = {{"", {{"PERSON", 0, 3}, {"EMAIL", 4, 9}}}};
  auto by = ScoreEntitiesByType(pred, gold);
  ASSERT_EQ(by.size(), 3u);
  EXPECT_EQ(by["PERSON"].true_positives, 1);
  EXPECT_EQ(by["PERSON"].false_positives, 1);
  EXPECT_EQ(by["PERSON"].false_negatives, 0);
  EXPECT_DOUBLE_EQ(by["PERSON"].f1(), 2.0 / 3.0);
  EXPECT_EQ(by["EMAIL"].false_negatives, 1);
  EXPECT_DOUBLE_EQ(by["EMAIL"].f1(), 0.0);
  EXPECT_EQ(by["IP"].false_positives, 1);
  auto total = ScoreEntities(pred, gold);
  EXPECT_EQ(total.true_positives, 1);
  EXPECT_EQ(total.false_positives, 2);
  EXPECT_EQ(total.false_negatives, 1);
}

}  // namespace
}  // namespace vsr::perf
