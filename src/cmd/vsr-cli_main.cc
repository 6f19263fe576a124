// vsr-cli: the engine from the command line. Output is JSON on stdout; errors go to stderr
// with a non-zero exit status.
//
//   vsr-cli tokenize MODEL_DIR [TEXT]    ids, tokens and byte spans
//   vsr-cli classify MODEL_DIR [TEXT]    label, confidence, probabilities (sequence models)
//                                        or entities (token models)
//   vsr-cli embed MODEL_DIR [TEXT]       L2-normalised mean-pooled embedding
//
// TEXT defaults to standard input. --threads N sets the engine's threads; --dtype f32 |
// bf16 | int8 the encoder's weight format (EngineOptions; int8 needs AVX-512 VNNI). Empty
// (or all-white-space) text and text that is not valid UTF-8 are rejected with exit status
// 2; a missing or broken model directory exits with 1, the message naming the file.
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
#include "tokenizer/unicode.h"

namespace {

using nlohmann::json;

using vsr::inference::EngineOptions;

int Fail(const vsr::Status& st) {
  std::fprintf(stderr, "vsr-cli: %s\n", st.ToString().c_str());
  return 1;
}

// Input checks: empty or white-space-only text, invalid UTF-8 (the byte offset of the first
// invalid sequence). Returns "" when the text is fine.
std::string CheckText(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  bool blank = true;
  for (size_t i = 0; i < text.size();) {
    size_t len = 0;
    const uint32_t cp = vsr::tokenizer::DecodeUtf8(s + i, text.size() - i, &len);
    const bool real_fffd = len == 3 && s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xBD;
    if (cp == 0xFFFD && !real_fffd) {
      return "text is not valid UTF-8 (invalid byte 0x" +
             std::string(1, "0123456789abcdef"[s[i] >> 4]) +
             std::string(1, "0123456789abcdef"[s[i] & 15]) + " at offset " + std::to_string(i) +
             ")";
    }
    blank = blank && (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r');
    i += len;
  }
  if (blank) return "empty text: give TEXT as an argument or on standard input";
  return "";
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

int Classify(const std::string& dir, const std::string& text, const EngineOptions& opt) {
  auto cfg = vsr::inference::ModelConfig::Load(dir + "/config.json");
  if (!cfg.ok()) return Fail(cfg.status());
  bool token = false;
  for (const auto& a : cfg->architectures)
    token |= a.find("TokenClassification") != std::string::npos;
  if (token) {
    auto clf = vsr::classification::TokenClassifier::Load(dir, opt);
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
  auto clf = vsr::classification::SequenceClassifier::Load(dir, opt);
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

int Embed(const std::string& dir, const std::string& text, const EngineOptions& opt) {
  auto emb = vsr::classification::Embedder::Load(dir, opt);
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
  app.add_option("--threads", threads, "engine threads")->check(CLI::Range(1, 256));
  std::string dtype = "f32";
  app.add_option("--dtype", dtype, "encoder weights: f32 (exact), bf16 or int8 (VNNI)")
      ->check(CLI::IsMember({"f32", "bf16", "int8"}));
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
  if (const std::string bad = CheckText(text); !bad.empty()) {
    std::fprintf(stderr, "vsr-cli: %s\n", bad.c_str());
    return 2;
  }
  EngineOptions opt;
  opt.threads = threads;
  vsr::inference::SetWeightFormat(dtype, &opt);  // CLI11 already checked the name
  if (subs[0]->parsed()) return Tokenize(dir, text);
  if (subs[1]->parsed()) return Classify(dir, text, opt);
  return Embed(dir, text, opt);
}
