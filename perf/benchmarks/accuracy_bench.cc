// Accuracy of the default models (models/README.md) on their committed gold sets, measured
// through the C++ classifiers the router uses. One op = one pass over a whole gold set;
// latency counters are per pass, qps counts examples.
//
//  BenchmarkClassifyIntent_GoldAccuracy     domain, hand-written prompts  -> intent_acc_pct
//  BenchmarkClassifyIntent_HeldoutAccuracy  domain, held-out definitions  -> intent_heldout_acc_pct
//  BenchmarkClassifyIntent_Dev2Accuracy     domain, models/dev/domain_dev2.jsonl: prompts
//                                           written blind to the training side (a dev set,
//                                           not gold: choices were made on it) ->
//                                           intent_dev2_acc_pct
//  BenchmarkClassifyIntent_GoldAccuracy_EncoderOnly  the same gold prompts on the domain
//                                           model without its n-gram head (a copy of the
//                                           directory whose config.json drops "ngram_head"):
//                                           what the head adds, in accuracy and in time
//                                           -> intent_encoder_only_acc_pct
//  BenchmarkClassifyPII_GoldF1              PII entities (strict spans)   -> pii_f1_pct,
//                                           pii_precision_pct, pii_recall_pct, and
//                                           pii_f1_<TYPE>_pct per entity type
//  BenchmarkClassifyJailbreak_GoldPrecisionRecall  -> jailbreak_precision_pct,
//                                           jailbreak_recall_pct, jailbreak_fpr_pct
//  BenchmarkEmbed_GoldParaphraseTop1        embedding: is a text's paraphrase its nearest
//                                           neighbour among all paraphrases -> paraphrase_top1_pct
//
// Environment: VSR_MODELS_DIR (default <source>/models), VSR_GOLD_DIR (default
// <models>/gold), VSR_MODEL_WEIGHTS (f32 default, bf16 or int8: the accuracy of the router's
// global.model_catalog.weights options; the committed baseline is f32). A missing model is reported
// as a benchmark error naming the directory and `make download-models`, never a crash.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "classification/embedder.h"
#include "classification/sequence_classifier.h"
#include "classification/token_classifier.h"
#include "perf/benchmarks/accuracy_metrics.h"
#include "perf/lib/benchmark/latency_recorder.h"
#include "perf/lib/metrics/alloc_counter.h"

namespace {

using vsr::perf::GoldClassExample;
using vsr::perf::GoldPiiExample;
using vsr::perf::LatencyRecorder;
using vsr::perf::ScopedAllocPause;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::string(v) : fallback;
}

std::string ModelsDir() { return EnvOr("VSR_MODELS_DIR", std::string(VSR_SOURCE_DIR) + "/models"); }
std::string GoldDir() {
  return EnvOr("VSR_GOLD_DIR", std::string(VSR_SOURCE_DIR) + "/models/gold");
}

// A loaded model with its gold set, or the reason it could not be loaded.
template <typename Model, typename Example>
struct Fixture {
  std::unique_ptr<Model> model;
  std::vector<Example> gold;
  std::vector<std::string_view> texts;
  std::string error;
};

// A copy of models/<model_name> (in the temporary directory) whose config.json has no
// "ngram_head" entry: the encoder alone. "" and `error` set when the copy fails.
std::string EncoderOnlyCopy(const std::string& model_name, std::string* error) {
  namespace fs = std::filesystem;
  const fs::path src = fs::path(ModelsDir()) / model_name;
  // Per process (two runs at once must not share it); removed once the model is loaded.
  const fs::path dst = fs::temp_directory_path() / ("vsr-accuracy-encoder-only-" + model_name +
                                                    "-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(dst, ec);
  fs::create_directories(dst, ec);
  for (const auto& entry : fs::directory_iterator(src, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == "config.json" || name == "ngram_head.safetensors" || !entry.is_regular_file())
      continue;
    fs::copy_file(entry.path(), dst / name, ec);
    if (ec) break;
  }
  std::ifstream in(src / "config.json");
  nlohmann::json config = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (ec || config.is_discarded() || !config.is_object()) {
    *error = "cannot make an encoder-only copy of " + src.string() + " in " + dst.string() +
             (ec ? ": " + ec.message() : ": config.json is not a JSON object");
    return "";
  }
  config.erase("ngram_head");
  std::ofstream(dst / "config.json") << config.dump(2);
  return dst.string();
}

template <typename Model, typename Example, typename Loader>
Fixture<Model, Example> MakeFixture(const std::string& model_name, const std::string& gold_name,
                                    Loader load_gold, bool encoder_only = false) {
  Fixture<Model, Example> f;
  std::string dir = ModelsDir() + "/" + model_name;
  if (encoder_only && (dir = EncoderOnlyCopy(model_name, &f.error)).empty()) return f;
  const std::string weights = EnvOr("VSR_MODEL_WEIGHTS", "f32");
  vsr::inference::EngineOptions options{.threads = 1};
  if (!vsr::inference::SetWeightFormat(weights, &options)) {
    f.error = "VSR_MODEL_WEIGHTS must be f32, bf16 or int8, not '" + weights + "'";
    return f;
  }
  auto model = Model::Load(dir, options);
  if (encoder_only) {  // Load read every file into memory
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  if (!model.ok()) {
    f.error = dir + ": " + model.status().ToString() + " (run `make download-models`)";
    return f;
  }
  auto gold = load_gold(gold_name.starts_with('/') ? gold_name : GoldDir() + "/" + gold_name);
  if (!gold.ok()) {
    f.error = gold.status().ToString();
    return f;
  }
  f.model = std::move(model).value();
  f.gold = std::move(gold).value();
  for (const Example& e : f.gold) f.texts.emplace_back(e.text);
  return f;
}

using ClassFixture = Fixture<vsr::classification::SequenceClassifier, GoldClassExample>;

// The domain model with one evaluation set (a file in the gold directory, or an absolute
// path), loaded on first use; benchmarks run one at a time.
const ClassFixture& Domain(const std::string& gold_name, bool encoder_only = false) {
  ScopedAllocPause pause;
  static std::map<std::string, ClassFixture> fixtures;
  const std::string key = gold_name + (encoder_only ? " (encoder only)" : "");
  auto it = fixtures.find(key);
  if (it == fixtures.end()) {
    it = fixtures
             .emplace(key, MakeFixture<vsr::classification::SequenceClassifier, GoldClassExample>(
                               "domain-classifier", gold_name, vsr::perf::LoadGoldClassFile,
                               encoder_only))
             .first;
  }
  return it->second;
}

const ClassFixture& Jailbreak() {
  ScopedAllocPause pause;
  static const ClassFixture f =
      MakeFixture<vsr::classification::SequenceClassifier, GoldClassExample>(
          "jailbreak-classifier", "jailbreak.jsonl", vsr::perf::LoadGoldClassFile);
  return f;
}

const Fixture<vsr::classification::TokenClassifier, GoldPiiExample>& Pii() {
  ScopedAllocPause pause;
  static const auto f = MakeFixture<vsr::classification::TokenClassifier, GoldPiiExample>(
      "pii-classifier", "pii.jsonl", vsr::perf::LoadGoldPiiFile);
  return f;
}

const Fixture<vsr::classification::Embedder, GoldClassExample>& Embedding() {
  ScopedAllocPause pause;
  static const auto f = MakeFixture<vsr::classification::Embedder, GoldClassExample>(
      "embedding", "embedding.jsonl", vsr::perf::LoadGoldClassFile);
  return f;
}

// Labels of one pass over a sequence-classification gold set ("" marks a failed call).
bool ClassifyAll(benchmark::State& state, const ClassFixture& f, LatencyRecorder& lat,
                 std::vector<std::string>& labels) {
  auto t = lat.Begin();
  auto results = f.model->ClassifyBatch(f.texts);
  lat.AddBatch(LatencyRecorder::Clock::now() - t, static_cast<int64_t>(f.texts.size()));
  if (!results.ok()) {
    state.SkipWithError(results.status().ToString().c_str());
    return false;
  }
  labels.clear();
  for (const auto& r : *results) labels.push_back(r.label);
  return true;
}

void RunIntent(benchmark::State& state, const std::string& gold_name, const char* counter,
               bool encoder_only = false) {
  const ClassFixture& f = Domain(gold_name, encoder_only);
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  LatencyRecorder lat;
  std::vector<std::string> labels;
  double acc = 0.0;
  for (auto _ : state) {
    if (!ClassifyAll(state, f, lat, labels)) return;
    acc = vsr::perf::Accuracy(labels, f.gold);
  }
  lat.Report(state);
  state.counters[counter] = 100.0 * acc;
  state.counters["gold_examples"] = static_cast<double>(f.gold.size());
}

void BenchmarkClassifyIntent_GoldAccuracy(benchmark::State& state) {
  RunIntent(state, "domain.jsonl", "intent_acc_pct");
}

void BenchmarkClassifyIntent_HeldoutAccuracy(benchmark::State& state) {
  RunIntent(state, "domain_heldout.jsonl", "intent_heldout_acc_pct");
}

void BenchmarkClassifyIntent_Dev2Accuracy(benchmark::State& state) {
  RunIntent(state, std::string(VSR_SOURCE_DIR) + "/models/dev/domain_dev2.jsonl",
            "intent_dev2_acc_pct");
}

void BenchmarkClassifyIntent_GoldAccuracy_EncoderOnly(benchmark::State& state) {
  RunIntent(state, "domain.jsonl", "intent_encoder_only_acc_pct", /*encoder_only=*/true);
}

void BenchmarkClassifyPII_GoldF1(benchmark::State& state) {
  const auto& f = Pii();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  LatencyRecorder lat;
  vsr::perf::EntityScores scores;
  std::map<std::string, vsr::perf::EntityScores> by_type;
  for (auto _ : state) {
    auto t = lat.Begin();
    auto results = f.model->ClassifyBatch(f.texts);
    lat.AddBatch(LatencyRecorder::Clock::now() - t, static_cast<int64_t>(f.texts.size()));
    if (!results.ok()) {
      state.SkipWithError(results.status().ToString().c_str());
      return;
    }
    scores = vsr::perf::ScoreEntities(*results, f.gold);
    by_type = vsr::perf::ScoreEntitiesByType(*results, f.gold);
  }
  lat.Report(state);
  state.counters["pii_f1_pct"] = 100.0 * scores.f1();
  state.counters["pii_precision_pct"] = 100.0 * scores.precision();
  state.counters["pii_recall_pct"] = 100.0 * scores.recall();
  for (const auto& [type, s] : by_type) {  // e.g. pii_f1_EMAIL_ADDRESS_pct
    state.counters["pii_f1_" + type + "_pct"] = 100.0 * s.f1();
  }
  state.counters["gold_examples"] = static_cast<double>(f.gold.size());
}

void BenchmarkClassifyJailbreak_GoldPrecisionRecall(benchmark::State& state) {
  const ClassFixture& f = Jailbreak();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  LatencyRecorder lat;
  std::vector<std::string> labels;
  vsr::perf::BinaryScores scores;
  for (auto _ : state) {
    if (!ClassifyAll(state, f, lat, labels)) return;
    scores = vsr::perf::ScoreBinary(labels, f.gold, "jailbreak");
  }
  lat.Report(state);
  state.counters["jailbreak_precision_pct"] = 100.0 * scores.precision();
  state.counters["jailbreak_recall_pct"] = 100.0 * scores.recall();
  state.counters["jailbreak_fpr_pct"] = 100.0 * scores.false_positive_rate();
  state.counters["gold_examples"] = static_cast<double>(f.gold.size());
}

void BenchmarkEmbed_GoldParaphraseTop1(benchmark::State& state) {
  const auto& f = Embedding();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  std::vector<std::string_view> views;
  {
    ScopedAllocPause pause;
    for (const GoldClassExample& e : f.gold) views.emplace_back(e.label);
  }
  LatencyRecorder lat;
  double top1 = 0.0;
  for (auto _ : state) {
    auto t = lat.Begin();
    auto a = f.model->EmbedBatch(f.texts);
    auto b = f.model->EmbedBatch(views);
    lat.AddBatch(LatencyRecorder::Clock::now() - t, static_cast<int64_t>(2 * f.texts.size()));
    if (!a.ok() || !b.ok()) {
      state.SkipWithError((a.ok() ? b.status() : a.status()).ToString().c_str());
      return;
    }
    size_t hits = 0;
    for (size_t i = 0; i < a->size(); ++i) {
      size_t best = 0;
      float best_sim = -2.0f;
      for (size_t j = 0; j < b->size(); ++j) {
        float s = 0.0f;
        for (size_t k = 0; k < (*a)[i].size(); ++k) s += (*a)[i][k] * (*b)[j][k];
        if (s > best_sim) {
          best_sim = s;
          best = j;
        }
      }
      hits += best == i;
    }
    top1 = a->empty() ? 0.0 : static_cast<double>(hits) / static_cast<double>(a->size());
  }
  lat.Report(state);
  state.counters["paraphrase_top1_pct"] = 100.0 * top1;
  state.counters["gold_examples"] = static_cast<double>(f.gold.size());
}

}  // namespace

BENCHMARK(BenchmarkClassifyIntent_GoldAccuracy)->Unit(benchmark::kMillisecond);
BENCHMARK(BenchmarkClassifyIntent_HeldoutAccuracy)->Unit(benchmark::kMillisecond);
BENCHMARK(BenchmarkClassifyIntent_Dev2Accuracy)->Unit(benchmark::kMillisecond);
BENCHMARK(BenchmarkClassifyIntent_GoldAccuracy_EncoderOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BenchmarkClassifyPII_GoldF1)->Unit(benchmark::kMillisecond);
BENCHMARK(BenchmarkClassifyJailbreak_GoldPrecisionRecall)->Unit(benchmark::kMillisecond);
BENCHMARK(BenchmarkEmbed_GoldParaphraseTop1)->Unit(benchmark::kMillisecond);
