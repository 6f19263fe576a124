// vsr-cli: the engine from the command line. Output is JSON on stdout; errors go to stderr
// with a non-zero exit status.
//
//   vsr-cli tokenize MODEL_DIR [TEXT]    ids, tokens and byte spans
//   vsr-cli classify MODEL_DIR [TEXT]    label, confidence, probabilities (sequence models)
//                                        or entities (token models)
//   vsr-cli embed MODEL_DIR [TEXT]       L2-normalised mean-pooled embedding
//
// TEXT defaults to standard input. --threads N sets the engine's threads.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "classification/embedder.h"
#include "classification/sequence_classifier.h"
#include "classification/token_classifier.h"
#include "inference/model_config.h"
#include "tokenizer/tokenizer.h"

namespace {

using nlohmann::json;

int Fail(const vsr::Status& st) {
  std::fprintf(stderr, "vsr-cli: %s\n", st.ToString().c_str());
  return 1;
}

// JSON strings must be valid UTF-8: invalid bytes become U+FFFD in the output only.
json Text(std::string_view s) {
  return json::parse(json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace));
}

int Tokenize(const std::string& dir, const std::string& text) {
  auto tok = vsr::Tokenizer::FromModelDir(dir);
  if (!tok.ok()) return Fail(tok.status());
  vsr::Encoding e;
  vsr::Status st = (*tok)->Encode(text, &e);
  if (!st.ok()) return Fail(st);
  json out = {{"ids", e.ids},
              {"tokens", json::array()},
              {"offsets", json::array()},
              {"special_tokens_mask", e.special_tokens_mask}};
  for (size_t i = 0; i < e.ids.size(); ++i) {
    out["tokens"].push_back(Text((*tok)->IdToToken(e.ids[i])));
    out["offsets"].push_back({e.offsets[i].first, e.offsets[i].second});
  }
  std::cout << out.dump() << "\n";
  return 0;
}

int Classify(const std::string& dir, const std::string& text, int threads) {
  auto cfg = vsr::inference::ModelConfig::Load(dir + "/config.json");
  if (!cfg.ok()) return Fail(cfg.status());
  bool token = false;
  for (const auto& a : cfg->architectures)
    token |= a.find("TokenClassification") != std::string::npos;
  if (token) {
    auto clf = vsr::classification::TokenClassifier::Load(dir, {.threads = threads});
    if (!clf.ok()) return Fail(clf.status());
    auto ents = (*clf)->Classify(text);
    if (!ents.ok()) return Fail(ents.status());
    json out = {{"entities", json::array()}};
    for (const auto& e : *ents) {
      out["entities"].push_back({{"type", e.type},
                                 {"text", Text(e.text)},
                                 {"begin", e.begin},
                                 {"end", e.end},
                                 {"confidence", e.confidence}});
    }
    std::cout << out.dump() << "\n";
    return 0;
  }
  auto clf = vsr::classification::SequenceClassifier::Load(dir, {.threads = threads});
  if (!clf.ok()) return Fail(clf.status());
  auto r = (*clf)->Classify(text);
  if (!r.ok()) return Fail(r.status());
  json probs = json::object();
  for (size_t i = 0; i < r->probabilities.size(); ++i)
    probs[(*clf)->labels()[i]] = r->probabilities[i];
  std::cout << json{{"label", r->label},
                    {"class_id", r->class_id},
                    {"confidence", r->confidence},
                    {"probabilities", probs}}
                   .dump()
            << "\n";
  return 0;
}

int Embed(const std::string& dir, const std::string& text, int threads) {
  auto emb = vsr::classification::Embedder::Load(dir, {.threads = threads});
  if (!emb.ok()) return Fail(emb.status());
  auto v = (*emb)->Embed(text);
  if (!v.ok()) return Fail(v.status());
  std::cout << json{{"dim", v->size()}, {"embedding", *v}}.dump() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vsr-cli: tokenize, classify and embed with an HF model directory"};
  app.require_subcommand(1);
  int threads = 1;
  app.add_option("--threads", threads, "engine threads");
  std::string dir, text;
  bool have_text = false;
  std::vector<CLI::App*> subs;
  for (const char* name : {"tokenize", "classify", "embed"}) {
    CLI::App* sub = app.add_subcommand(name, std::string(name) + " TEXT (or stdin)");
    sub->add_option("model_dir", dir, "HF model directory")->required();
    sub->add_option("text", text, "input text (default: stdin)")->each([&](const std::string&) {
      have_text = true;
    });
    subs.push_back(sub);
  }
  CLI11_PARSE(app, argc, argv);
  if (!have_text) text.assign(std::istreambuf_iterator<char>(std::cin), {});
  if (subs[0]->parsed()) return Tokenize(dir, text);
  if (subs[1]->parsed()) return Classify(dir, text, threads);
  return Embed(dir, text, threads);
}
