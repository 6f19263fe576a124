#include "tokenizer/tokenizer_json.h"

#include <nlohmann/json.hpp>

#include <vector>

#include "tokenizer/bpe_tokenizer.h"
#include "tokenizer/wordpiece_tokenizer.h"

namespace vsr::tokenizer {
namespace {

using nlohmann::json;

// Errors all start with the source and the key they are about.
class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}
  const std::string& source() const { return source_; }

  Status Error(const std::string& key, const std::string& what) const {
    return Status::InvalidArgument(source_ + ": " + key + ": " + what);
  }
  Status Unsupported(const std::string& key, const std::string& what) const {
    return Status::Unimplemented(source_ + ": " + key + ": " + what + " is not supported");
  }

  // A bool field with a default; null reads as the default.
  StatusOr<bool> Bool(const json& obj, const std::string& parent, const char* key, bool def) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return def;
    if (!it->is_boolean()) return Error(parent + "." + key, "expected true or false");
    return it->get<bool>();
  }
  StatusOr<std::string> String(const json& obj, const std::string& parent, const char* key,
                               const std::string& def) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return def;
    if (!it->is_string()) return Error(parent + "." + key, "expected a string");
    return it->get<std::string>();
  }

 private:
  const std::string& source_;
};

// Ids index embedding tables: anything past 16M is a corrupt file, not a vocabulary.
constexpr int64_t kMaxId = int64_t{1} << 24;

std::string TypeOf(const json& obj) {
  auto it = obj.find("type");
  return (it != obj.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

Status FillVocab(const Reader& r, const json& model, Vocab* vocab) {
  auto it = model.find("vocab");
  if (it == model.end() || !it->is_object())
    return r.Error("model.vocab", "missing or not an object");
  for (auto e = it->begin(); e != it->end(); ++e) {
    if (!e.value().is_number_integer() || e.value().get<int64_t>() < 0 ||
        e.value().get<int64_t>() >= kMaxId) {
      return r.Error("model.vocab." + e.key(), "id is not an integer in [0, 2^24)");
    }
    vocab->Add(e.key(), static_cast<int32_t>(e.value().get<int64_t>()));
  }
  if (vocab->count() == 0) return r.Error("model.vocab", "empty vocabulary");
  return Status::OK();
}

Status FillAddedTokens(const Reader& r, const json& root, PipelineTokenizer* tok) {
  auto it = root.find("added_tokens");
  if (it == root.end() || it->is_null()) return Status::OK();
  if (!it->is_array()) return r.Error("added_tokens", "expected an array");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& t = (*it)[i];
    const std::string key = "added_tokens[" + std::to_string(i) + "]";
    if (!t.is_object() || !t.contains("id") || !t["id"].is_number_integer() ||
        !t.contains("content") || !t["content"].is_string()) {
      return r.Error(key, "expected {id, content, ...}");
    }
    AddedToken a;
    a.id = static_cast<int32_t>(t["id"].get<int64_t>());
    a.content = t["content"].get<std::string>();
    if (a.id < 0 || a.id >= kMaxId) return r.Error(key + ".id", "id not in [0, 2^24)");
    auto b = r.Bool(t, key, "special", false);
    if (!b.ok()) return b.status();
    a.special = *b;
    if (!(b = r.Bool(t, key, "lstrip", false)).ok()) return b.status();
    a.lstrip = *b;
    if (!(b = r.Bool(t, key, "rstrip", false)).ok()) return b.status();
    a.rstrip = *b;
    if (!(b = r.Bool(t, key, "single_word", false)).ok()) return b.status();
    a.single_word = *b;
    tok->vocab().Add(a.content, a.id);  // the added token's id wins, as in HF
    tok->added_tokens().Add(std::move(a));
  }
  return Status::OK();
}

// The id of a special token named in a post-processor: ["[SEP]", 102].
StatusOr<int32_t> PairId(const Reader& r, const json& pp, const char* key) {
  auto it = pp.find(key);
  if (it == pp.end() || !it->is_array() || it->size() != 2 || !(*it)[1].is_number_integer()) {
    return r.Error(std::string("post_processor.") + key, "expected [token, id]");
  }
  return static_cast<int32_t>((*it)[1].get<int64_t>());
}

struct PostProcess {
  std::vector<int32_t> prefix, suffix;
  bool trim_offsets = false;
};

Status ReadPostProcessor(const Reader& r, const json& pp, PostProcess* out) {
  if (pp.is_null()) return Status::OK();
  if (!pp.is_object()) return r.Error("post_processor", "expected an object");
  const std::string type = TypeOf(pp);
  if (type == "BertProcessing" || type == "RobertaProcessing") {
    auto cls = PairId(r, pp, "cls");
    if (!cls.ok()) return cls.status();
    auto sep = PairId(r, pp, "sep");
    if (!sep.ok()) return sep.status();
    out->prefix = {*cls};
    out->suffix = {*sep};
    if (type == "RobertaProcessing") {
      auto trim = r.Bool(pp, "post_processor", "trim_offsets", true);
      if (!trim.ok()) return trim.status();
      out->trim_offsets = out->trim_offsets || *trim;
    }
    return Status::OK();
  }
  if (type == "ByteLevel") {
    auto trim = r.Bool(pp, "post_processor", "trim_offsets", true);
    if (!trim.ok()) return trim.status();
    out->trim_offsets = out->trim_offsets || *trim;
    return Status::OK();
  }
  if (type == "Sequence") {
    auto it = pp.find("processors");
    if (it == pp.end() || !it->is_array()) {
      return r.Error("post_processor.processors", "expected an array");
    }
    for (const json& p : *it) VSR_RETURN_IF_ERROR(ReadPostProcessor(r, p, out));
    return Status::OK();
  }
  if (type == "TemplateProcessing") {
    auto single = pp.find("single");
    auto specials = pp.find("special_tokens");
    if (single == pp.end() || !single->is_array()) {
      return r.Error("post_processor.single", "expected an array");
    }
    out->prefix.clear();
    out->suffix.clear();
    bool seen_sequence = false;
    for (const json& piece : *single) {
      if (piece.contains("Sequence")) {
        if (seen_sequence) return r.Unsupported("post_processor.single", "two sequences");
        seen_sequence = true;
        continue;
      }
      if (!piece.contains("SpecialToken") || !piece["SpecialToken"].contains("id") ||
          !piece["SpecialToken"]["id"].is_string()) {
        return r.Error("post_processor.single", "expected Sequence or SpecialToken pieces");
      }
      const std::string name = piece["SpecialToken"]["id"].get<std::string>();
      if (specials == pp.end() || !specials->is_object() || !specials->contains(name) ||
          !(*specials)[name].contains("ids") || !(*specials)[name]["ids"].is_array()) {
        return r.Error("post_processor.special_tokens", "no ids for '" + name + "'");
      }
      for (const json& id : (*specials)[name]["ids"]) {
        if (!id.is_number_integer()) {
          return r.Error("post_processor.special_tokens." + name, "ids must be integers");
        }
        (seen_sequence ? out->suffix : out->prefix)
            .push_back(static_cast<int32_t>(id.get<int64_t>()));
      }
    }
    if (!seen_sequence) return r.Error("post_processor.single", "no $A sequence");
    return Status::OK();
  }
  return r.Unsupported("post_processor.type", "'" + type + "'");
}

int32_t FirstKnown(const Vocab& v, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    const int32_t id = v.Find(n);
    if (id >= 0) return id;
  }
  return -1;
}

// Every id the post-processor adds must be in the vocabulary.
Status CheckTemplateIds(const Reader& r, const PostProcess& pp, const PipelineTokenizer& tok) {
  for (const std::vector<int32_t>* ids : {&pp.prefix, &pp.suffix}) {
    for (int32_t id : *ids) {
      if (id < 0 || static_cast<size_t>(id) >= tok.vocab_size()) {
        return r.Error("post_processor", "special token id " + std::to_string(id) +
                                             " is outside the vocabulary (size " +
                                             std::to_string(tok.vocab_size()) + ")");
      }
    }
  }
  return Status::OK();
}

void SetSpecialIds(const json& root, const PostProcess& pp, PipelineTokenizer* tok) {
  const Vocab& v = tok->vocab();
  const int32_t cls = !pp.prefix.empty() ? pp.prefix.front() : FirstKnown(v, {"[CLS]", "<s>"});
  const int32_t sep = !pp.suffix.empty() ? pp.suffix.back() : FirstKnown(v, {"[SEP]", "</s>"});
  int32_t pad = FirstKnown(v, {"[PAD]", "<pad>", "<|padding|>"});
  auto padding = root.find("padding");
  if (padding != root.end() && padding->is_object() && padding->contains("pad_id") &&
      (*padding)["pad_id"].is_number_integer()) {
    const int64_t id = (*padding)["pad_id"].get<int64_t>();
    if (id >= 0 && static_cast<size_t>(id) < v.size()) pad = static_cast<int32_t>(id);
  }
  tok->SetSpecialIds(cls, sep, pad, -1);  // unk is filled in by the model's Finish()
}

StatusOr<std::unique_ptr<Tokenizer>> LoadWordPiece(const Reader& r, const json& root,
                                                   const json& model) {
  BertNormalizerOptions norm;
  const json& n = root.contains("normalizer") ? root["normalizer"] : json();
  if (n.is_null()) {
    norm.enabled = false;
  } else if (TypeOf(n) == "BertNormalizer") {
    auto b = r.Bool(n, "normalizer", "clean_text", true);
    if (!b.ok()) return b.status();
    norm.clean_text = *b;
    if (!(b = r.Bool(n, "normalizer", "handle_chinese_chars", true)).ok()) return b.status();
    norm.handle_chinese_chars = *b;
    if (!(b = r.Bool(n, "normalizer", "lowercase", true)).ok()) return b.status();
    norm.lowercase = *b;
    if (!(b = r.Bool(n, "normalizer", "strip_accents", norm.lowercase)).ok()) return b.status();
    norm.strip_accents = *b;
  } else {
    return r.Unsupported("normalizer.type", "'" + TypeOf(n) + "' with WordPiece");
  }
  const json& pre = root.contains("pre_tokenizer") ? root["pre_tokenizer"] : json();
  if (pre.is_null() || TypeOf(pre) != "BertPreTokenizer") {
    return r.Unsupported("pre_tokenizer.type",
                         "'" + (pre.is_null() ? std::string("null") : TypeOf(pre)) +
                             "' with WordPiece (only BertPreTokenizer)");
  }
  WordPieceOptions opts;
  auto s = r.String(model, "model", "unk_token", "[UNK]");
  if (!s.ok()) return s.status();
  opts.unk_token = *s;
  if (!(s = r.String(model, "model", "continuing_subword_prefix", "##")).ok()) return s.status();
  opts.continuing_subword_prefix = *s;
  if (model.contains("max_input_chars_per_word")) {
    const json& m = model["max_input_chars_per_word"];
    if (!m.is_number_integer() || m.get<int64_t>() <= 0) {
      return r.Error("model.max_input_chars_per_word", "expected a positive integer");
    }
    opts.max_input_chars_per_word = static_cast<size_t>(m.get<int64_t>());
  }
  auto tok = std::make_unique<WordPieceTokenizer>(norm, opts);
  VSR_RETURN_IF_ERROR(FillVocab(r, model, &tok->vocab()));
  VSR_RETURN_IF_ERROR(FillAddedTokens(r, root, tok.get()));
  PostProcess pp;
  VSR_RETURN_IF_ERROR(
      ReadPostProcessor(r, root.contains("post_processor") ? root["post_processor"] : json(), &pp));
  VSR_RETURN_IF_ERROR(CheckTemplateIds(r, pp, *tok));
  tok->SetTemplate(pp.prefix, pp.suffix);
  SetSpecialIds(root, pp, tok.get());
  Status st = tok->Finish();
  if (!st.ok()) return st.WithContext(r.source());
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

StatusOr<std::unique_ptr<Tokenizer>> LoadBpe(const Reader& r, const json& root, const json& model) {
  const json& n = root.contains("normalizer") ? root["normalizer"] : json();
  if (!n.is_null() && TypeOf(n) != "NFC") {
    return r.Unsupported("normalizer.type", "'" + TypeOf(n) + "' with BPE");
  }
  const json& pre = root.contains("pre_tokenizer") ? root["pre_tokenizer"] : json();
  if (pre.is_null() || TypeOf(pre) != "ByteLevel") {
    return r.Unsupported(
        "pre_tokenizer.type",
        "'" + (pre.is_null() ? std::string("null") : TypeOf(pre)) + "' with BPE (only ByteLevel)");
  }
  ByteLevelOptions bl;
  auto b = r.Bool(pre, "pre_tokenizer", "add_prefix_space", true);
  if (!b.ok()) return b.status();
  bl.add_prefix_space = *b;
  if (!(b = r.Bool(pre, "pre_tokenizer", "use_regex", true)).ok()) return b.status();
  bl.use_regex = *b;

  BpeOptions opts;
  auto s = r.String(model, "model", "unk_token", "");
  if (!s.ok()) return s.status();
  opts.unk_token = *s;
  if (!(b = r.Bool(model, "model", "ignore_merges", false)).ok()) return b.status();
  opts.ignore_merges = *b;
  for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
    if (!(s = r.String(model, "model", key, "")).ok()) return s.status();
    if (!s->empty()) return r.Unsupported(std::string("model.") + key, "'" + *s + "'");
  }
  if (model.contains("dropout") && model["dropout"].is_number() &&
      model["dropout"].get<double>() > 0) {
    return r.Unsupported("model.dropout", "BPE dropout");
  }

  PostProcess pp;
  VSR_RETURN_IF_ERROR(
      ReadPostProcessor(r, root.contains("post_processor") ? root["post_processor"] : json(), &pp));
  bl.trim_offsets = pp.trim_offsets;
  auto tok = std::make_unique<BpeTokenizer>(bl, opts);
  VSR_RETURN_IF_ERROR(FillVocab(r, model, &tok->vocab()));
  auto merges = model.find("merges");
  if (merges == model.end() || !merges->is_array()) {
    return r.Error("model.merges", "missing or not an array");
  }
  for (size_t i = 0; i < merges->size(); ++i) {
    const json& m = (*merges)[i];
    std::string left, right;
    if (m.is_string()) {
      const std::string& line = m.get_ref<const std::string&>();
      const size_t sp = line.find(' ');
      if (sp == std::string::npos || sp == 0 || sp + 1 == line.size()) {
        return r.Error("model.merges[" + std::to_string(i) + "]", "expected \"left right\"");
      }
      left = line.substr(0, sp);
      right = line.substr(sp + 1);
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      left = m[0].get<std::string>();
      right = m[1].get<std::string>();
    } else {
      return r.Error("model.merges[" + std::to_string(i) + "]", "expected a pair of tokens");
    }
    Status st = tok->AddMerge(left, right);
    if (!st.ok()) return st.WithContext(r.source() + ": model.merges[" + std::to_string(i) + "]");
  }
  VSR_RETURN_IF_ERROR(FillAddedTokens(r, root, tok.get()));
  VSR_RETURN_IF_ERROR(CheckTemplateIds(r, pp, *tok));
  tok->SetTemplate(pp.prefix, pp.suffix);
  SetSpecialIds(root, pp, tok.get());
  VSR_RETURN_IF_ERROR(tok->Finish());
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

}  // namespace

StatusOr<std::unique_ptr<Tokenizer>> LoadTokenizerJson(std::string_view text,
                                                       const std::string& source) {
  const Reader r(source);
  json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Status::Corruption(source + ": not valid JSON");
  if (!root.is_object()) return Status::Corruption(source + ": expected a JSON object");
  auto model = root.find("model");
  if (model == root.end() || !model->is_object()) return r.Error("model", "missing");
  std::string type = TypeOf(*model);
  if (type.empty()) type = model->contains("merges") ? "BPE" : "WordPiece";
  try {
    if (type == "WordPiece") return LoadWordPiece(r, root, *model);
    if (type == "BPE") return LoadBpe(r, root, *model);
  } catch (const std::exception& e) {  // a JSON value of an unexpected kind
    return r.Error("model", e.what());
  }
  return r.Unsupported("model.type", "'" + type + "'");
}

}  // namespace vsr::tokenizer
