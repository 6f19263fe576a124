// The classifiers on the tiny golden models of src/inference/testdata (vocab.txt tokenizer):
// results agree with the engine run on the tokenizer's ids, labels come from the right
// place, and bad inputs give results or clear errors, never a crash.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "classification/embedder.h"
#include "classification/model_bundle.h"
#include "classification/sequence_classifier.h"
#include "classification/token_classifier.h"
#include "classification/unified_classifier.h"
#include "inference/encoder_model.h"

namespace vsr::classification {
namespace {

namespace fs = std::filesystem;
const std::string kData = VSR_INFERENCE_TESTDATA;

std::vector<std::string_view> Texts() {
  static const std::string kLong(100 * 1024, 'a');
  static const std::string kInvalid = "caf\xc3 \xff\xfe python \xe2\x82";
  return {"What is the derivative of x^2+3x+5?",
          "How do I write a binary search tree in Python?",
          "",
          "my name is John Smith, email john@example.com",
          kLong,
          kInvalid};
}

TEST(SequenceClassifierTest, MatchesEngineOnTokenizerIds) {
  auto clf = SequenceClassifier::Load(kData + "bert_seq_f32", {.threads = 2});
  ASSERT_TRUE(clf.ok()) << clf.status().ToString();
  EXPECT_EQ((*clf)->labels(), (std::vector<std::string>{"math", "computer science", "other"}));
  auto texts = Texts();
  auto results = (*clf)->ClassifyBatch(texts);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), texts.size());

  auto bundle = ModelBundle::Load(kData + "bert_seq_f32", {});
  ASSERT_TRUE(bundle.ok());
  for (size_t i = 0; i < texts.size(); ++i) {
    const ClassResult& r = (*results)[i];
    Encoding e;
    ASSERT_TRUE(bundle->tokenizer->Encode(texts[i], &e, true, 64).ok());
    ASSERT_LE(e.ids.size(), 64u);
    inference::PackedBatch b;
    b.Add(e.ids);
    std::vector<float> logits;
    ASSERT_TRUE(bundle->model->RunSequenceLogits(b, &logits).ok());
    Softmax(logits.data(), logits.size());
    float sum = 0;
    for (size_t c = 0; c < logits.size(); ++c) {
      EXPECT_NEAR(r.probabilities[c], logits[c], 1e-5) << i;
      sum += r.probabilities[c];
    }
    EXPECT_NEAR(sum, 1.0f, 1e-5);
    EXPECT_EQ(r.label, (*clf)->labels()[static_cast<size_t>(r.class_id)]);
    EXPECT_FLOAT_EQ(r.confidence, r.probabilities[static_cast<size_t>(r.class_id)]);
    // Batch and single calls agree.
    auto single = (*clf)->Classify(texts[i]);
    ASSERT_TRUE(single.ok());
    EXPECT_EQ(single->label, r.label);
    EXPECT_NEAR(single->confidence, r.confidence, 1e-5);
  }
}

fs::path CopyModel(const std::string& name, const std::string& dest) {
  fs::path d = fs::path(::testing::TempDir()) / dest;
  fs::remove_all(d);
  fs::create_directories(d);
  for (const auto& f : fs::directory_iterator(kData + name))
    fs::copy(f.path(), d / f.path().filename());
  return d;
}

TEST(SequenceClassifierTest, MappingFileOverridesId2LabelAndIsValidated) {
  fs::path d = CopyModel("bert_seq_f32", "vsr_mapping");
  std::ofstream(d / "category_mapping.json")
      << R"({"category_to_idx":{"biology":0,"law":1,"math":2},)"
      << R"("idx_to_category":{"0":"biology","1":"law","2":"math"}})";
  auto clf = SequenceClassifier::Load(d.string());
  ASSERT_TRUE(clf.ok()) << clf.status().ToString();
  EXPECT_EQ((*clf)->labels(), (std::vector<std::string>{"biology", "law", "math"}));
  std::ofstream(d / "category_mapping.json") << R"({"idx_to_category":{"0":"x"}})";
  clf = SequenceClassifier::Load(d.string());
  ASSERT_FALSE(clf.ok());
  EXPECT_NE(clf.status().message().find("category_mapping.json"), std::string::npos);
  fs::remove_all(d);
}

TEST(SequenceClassifierTest, MissingTokenizerAndWrongHeadAreClearErrors) {
  fs::path d = CopyModel("bert_seq_f32", "vsr_notok");
  fs::remove(d / "vocab.txt");
  auto clf = SequenceClassifier::Load(d.string());
  ASSERT_FALSE(clf.ok());
  EXPECT_NE(clf.status().message().find("tokenizer"), std::string::npos) << clf.status().ToString();
  fs::remove_all(d);
  auto tok = SequenceClassifier::Load(kData + "bert_token_f16");
  ASSERT_FALSE(tok.ok());
  EXPECT_NE(tok.status().message().find("not a sequence classifier"), std::string::npos);
  auto corrupt_dir = CopyModel("bert_seq_f32", "vsr_corrupt");
  fs::resize_file(corrupt_dir / "model.safetensors", 5000);
  clf = SequenceClassifier::Load(corrupt_dir.string());
  ASSERT_FALSE(clf.ok());
  EXPECT_NE(clf.status().message().find("model.safetensors"), std::string::npos);
  fs::remove_all(corrupt_dir);
}

TEST(TokenClassifierTest, EntitiesAreWellFormedSpansOfTheText) {
  for (const char* model : {"bert_token_f16", "modernbert_token_bf16"}) {
    auto clf = TokenClassifier::Load(kData + model, {.threads = 2});
    ASSERT_TRUE(clf.ok()) << clf.status().ToString();
    auto texts = Texts();
    auto results = (*clf)->ClassifyBatch(texts);
    ASSERT_TRUE(results.ok()) << results.status().ToString();
    size_t total = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
      for (const Entity& e : (*results)[i]) {
        ++total;
        EXPECT_LT(e.begin, e.end);
        EXPECT_LE(e.end, texts[i].size());
        EXPECT_EQ(e.text, std::string(texts[i].substr(e.begin, e.end - e.begin)));
        EXPECT_TRUE(e.type == "PERSON" || e.type == "EMAIL_ADDRESS") << e.type;
        EXPECT_GT(e.confidence, 0.0f);
        EXPECT_LE(e.confidence, 1.0f);
      }
    }
    EXPECT_GT(total, 0u) << model << ": random weights should label something";
    EXPECT_TRUE((*results)[2].empty());  // the empty text
  }
}

TEST(EmbedderTest, UnitNormAndMatchesEngine) {
  auto emb = Embedder::Load(kData + "bert_embed_bf16");
  ASSERT_TRUE(emb.ok()) << emb.status().ToString();
  EXPECT_EQ((*emb)->dim(), 32u);
  auto v = (*emb)->Embed("photosynthesis in the cloud");
  ASSERT_TRUE(v.ok());
  double norm = 0;
  for (float x : *v) norm += x * x;
  EXPECT_NEAR(norm, 1.0, 1e-5);
  auto batch = (*emb)->EmbedBatch(Texts());
  ASSERT_TRUE(batch.ok());
  auto again = (*emb)->Embed(Texts()[0]);
  ASSERT_TRUE(again.ok());
  for (size_t j = 0; j < 32; ++j) EXPECT_NEAR((*batch)[0][j], (*again)[j], 1e-5);
}

TEST(UnifiedClassifierTest, ClassifiesDomainPiiAndJailbreakInOneCall) {
  UnifiedClassifierPaths paths{kData + "bert_seq_f32", kData + "bert_token_f16",
                               kData + "modernbert_seq_f32"};
  auto u = UnifiedClassifier::Load(paths);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  auto texts = Texts();
  auto r = (*u)->ClassifyBatch(texts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), texts.size());
  auto domain = (*u)->domain()->ClassifyBatch(texts);
  auto pii = (*u)->pii()->ClassifyBatch(texts);
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ((*r)[i].domain.label, (*domain)[i].label);
    EXPECT_EQ((*r)[i].pii.size(), (*pii)[i].size());
    EXPECT_FALSE((*r)[i].jailbreak.label.empty());
  }
  // Absent models leave their part empty; a bad path names the classifier.
  auto partial = UnifiedClassifier::Load({kData + "bert_seq_f32", "", ""});
  ASSERT_TRUE(partial.ok());
  auto pr = (*partial)->ClassifyBatch(texts);
  ASSERT_TRUE(pr.ok());
  EXPECT_TRUE((*pr)[0].jailbreak.label.empty());
  auto bad = UnifiedClassifier::Load({"", "/nonexistent", ""});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("PII"), std::string::npos);
}

}  // namespace
}  // namespace vsr::classification
