// NgramHead on the tiny golden sequence classifier: the documented feature rule (ids and
// hashed neighbour pairs, mean of rows, softmax, weighted mean with the encoder), texts
// without features, and every bad configuration as a clear error.
#include "classification/ngram_head.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "classification/model_bundle.h"
#include "classification/sequence_classifier.h"
#include "inference/safetensors.h"

namespace vsr::classification {
namespace {

namespace fs = std::filesystem;
const std::string kData = VSR_INFERENCE_TESTDATA;
constexpr int64_t kVocab = 100;  // bert_seq_f32's config
constexpr int64_t kLabels = 3;
constexpr int64_t kBuckets = 7;

fs::path CopyModel(const std::string& dest) {
  fs::path d = fs::path(::testing::TempDir()) / dest;
  fs::remove_all(d);
  fs::create_directories(d);
  for (const auto& f : fs::directory_iterator(kData + "bert_seq_f32"))
    fs::copy(f.path(), d / f.path().filename());
  return d;
}

void SetHeadConfig(const fs::path& d, const nlohmann::json& spec) {
  std::ifstream in(d / "config.json");
  nlohmann::json config = nlohmann::json::parse(in);
  config["ngram_head"] = spec;
  std::ofstream(d / "config.json") << config.dump(2);
}

void WriteRows(const fs::path& d, const std::vector<float>& rows, int64_t n_rows) {
  inference::SafeTensorsWriter w;
  w.Add("ngram_head.weight", {n_rows, kLabels}, rows, inference::DType::kF16);
  ASSERT_TRUE(w.WriteFile((d / "ngram_head.safetensors").string()).ok());
}

std::vector<int32_t> NonSpecialIds(const ModelBundle& b, std::string_view text) {
  Encoding e;
  EXPECT_TRUE(b.tokenizer->Encode(text, &e, true, b.max_length).ok());
  std::vector<int32_t> ids;
  for (size_t i = 0; i < e.ids.size(); ++i)
    if (!e.special_tokens_mask[i]) ids.push_back(e.ids[i]);
  return ids;
}

TEST(NgramHeadTest, MixesTheMeanOfIdAndPairRowsWithTheEncoder) {
  const fs::path d = CopyModel("vsr_ngram");
  auto plain = SequenceClassifier::Load(d.string());
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  auto bundle = ModelBundle::Load(d.string(), {});
  ASSERT_TRUE(bundle.ok());
  const std::string text = "How do I write a binary search tree in Python?";
  const std::vector<int32_t> ids = NonSpecialIds(*bundle, text);
  ASSERT_GE(ids.size(), 3u);

  // Row of the first id votes for class 1 (1.5 per unit), the first pair's row for class 2
  // (values exactly representable in f16); every other row is zero.
  std::vector<float> rows(static_cast<size_t>((kVocab + kBuckets) * kLabels), 0.0f);
  rows[static_cast<size_t>(ids[0] * kLabels + 1)] += 6.0f;
  const uint64_t pair =
      static_cast<uint64_t>(ids[0]) * NgramHead::kPairMultiplier + static_cast<uint64_t>(ids[1]);
  const int64_t pair_row = kVocab + static_cast<int64_t>(pair % kBuckets);
  rows[static_cast<size_t>(pair_row * kLabels + 2)] += 3.0f;
  WriteRows(d, rows, kVocab + kBuckets);
  SetHeadConfig(d, {{"buckets", kBuckets}, {"weight", 0.25}});

  auto mixed = SequenceClassifier::Load(d.string());
  ASSERT_TRUE(mixed.ok()) << mixed.status().ToString();
  auto p = (*plain)->Classify(text);
  auto q = (*mixed)->Classify(text);
  ASSERT_TRUE(p.ok() && q.ok());

  // Expected, from the documented rule: n ids and n - 1 pairs, mean of their rows. Any other
  // pair may hash to the same bucket as the first one; count those too.
  const double features = 2.0 * static_cast<double>(ids.size()) - 1.0;
  double head[kLabels] = {0.0, 0.0, 0.0};
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == ids[0]) head[1] += 6.0;
    if (i > 0) {
      const uint64_t h = (static_cast<uint64_t>(ids[i - 1]) * NgramHead::kPairMultiplier +
                          static_cast<uint64_t>(ids[i])) %
                         kBuckets;
      if (kVocab + static_cast<int64_t>(h) == pair_row) head[2] += 3.0;
    }
  }
  double z = 0.0;
  for (double& h : head) z += (h = std::exp(h / features));
  float sum = 0.0f;
  for (int c = 0; c < kLabels; ++c) {
    const double expected = 0.75 * p->probabilities[c] + 0.25 * head[c] / z;
    EXPECT_NEAR(q->probabilities[c], expected, 1e-5) << c;
    sum += q->probabilities[c];
  }
  EXPECT_NEAR(sum, 1.0f, 1e-5);
  EXPECT_FLOAT_EQ(q->confidence, q->probabilities[static_cast<size_t>(q->class_id)]);

  // No non-special token (the empty text is [CLS] [SEP]): the encoder's probabilities as
  // they are. A batch gives what single calls give.
  auto pe = (*plain)->Classify("");
  auto qe = (*mixed)->Classify("");
  ASSERT_TRUE(pe.ok() && qe.ok());
  for (int c = 0; c < kLabels; ++c) EXPECT_FLOAT_EQ(qe->probabilities[c], pe->probabilities[c]);
  const std::vector<std::string_view> batch = {"", text, std::string_view(text).substr(0, 9)};
  auto qb = (*mixed)->ClassifyBatch(batch);
  ASSERT_TRUE(qb.ok());
  for (size_t i = 0; i < batch.size(); ++i) {
    auto one = (*mixed)->Classify(batch[i]);
    ASSERT_TRUE(one.ok());
    for (int c = 0; c < kLabels; ++c)
      EXPECT_NEAR((*qb)[i].probabilities[c], one->probabilities[c], 1e-6);
  }
  fs::remove_all(d);
}

TEST(NgramHeadTest, WeightZeroIsTheEncoderAlone) {
  const fs::path d = CopyModel("vsr_ngram_zero");
  auto plain = SequenceClassifier::Load(d.string());
  ASSERT_TRUE(plain.ok());
  WriteRows(d, std::vector<float>(static_cast<size_t>((kVocab + 1) * kLabels), 4.0f), kVocab + 1);
  SetHeadConfig(d, {{"buckets", 1}, {"weight", 0}});
  auto mixed = SequenceClassifier::Load(d.string());
  ASSERT_TRUE(mixed.ok()) << mixed.status().ToString();
  auto p = (*plain)->Classify("binary search tree");
  auto q = (*mixed)->Classify("binary search tree");
  ASSERT_TRUE(p.ok() && q.ok());
  for (int c = 0; c < kLabels; ++c) EXPECT_FLOAT_EQ(q->probabilities[c], p->probabilities[c]);
  fs::remove_all(d);
}

TEST(NgramHeadTest, BadConfigurationsAreClearErrors) {
  const fs::path d = CopyModel("vsr_ngram_bad");
  WriteRows(d, std::vector<float>(static_cast<size_t>((kVocab + kBuckets) * kLabels), 0.0f),
            kVocab + kBuckets);
  const struct {
    nlohmann::json spec;
    std::string message;
  } cases[] = {
      {"yes", "must be an object"},
      {{{"weight", 0.5}}, "\"buckets\""},
      {{{"buckets", 0}, {"weight", 0.5}}, "\"buckets\""},
      {{{"buckets", 2.5}, {"weight", 0.5}}, "\"buckets\""},
      {{{"buckets", kBuckets}}, "\"weight\""},
      {{{"buckets", kBuckets}, {"weight", 1.5}}, "\"weight\""},
      {{{"buckets", kBuckets}, {"weight", -0.1}}, "\"weight\""},
      {{{"buckets", kBuckets}, {"weight", "half"}}, "\"weight\""},
      // The file holds kVocab + 7 rows, not kVocab + 8.
      {{{"buckets", kBuckets + 1}, {"weight", 0.5}}, "shape"},
  };
  for (const auto& c : cases) {
    SetHeadConfig(d, c.spec);
    auto clf = SequenceClassifier::Load(d.string());
    ASSERT_FALSE(clf.ok()) << c.spec.dump();
    EXPECT_NE(clf.status().message().find(c.message), std::string::npos)
        << c.spec.dump() << ": " << clf.status().ToString();
  }
  SetHeadConfig(d, {{"buckets", kBuckets}, {"weight", 0.5}});
  ASSERT_TRUE(SequenceClassifier::Load(d.string()).ok());
  fs::remove(d / "ngram_head.safetensors");
  auto missing = SequenceClassifier::Load(d.string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("ngram_head.safetensors"), std::string::npos)
      << missing.status().ToString();
  fs::remove_all(d);
}

}  // namespace
}  // namespace vsr::classification
