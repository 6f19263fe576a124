// The Tokenizer factories: tokenizer.json, vocab.txt, a model directory.
#include "tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tokenizer/tokenizer_json.h"
#include "tokenizer/wordpiece_tokenizer.h"

namespace vsr {
namespace {

StatusOr<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound(path + ": no such file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError(path + ": read error");
  return ss.str();
}

}  // namespace

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromTokenizerJson(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return tokenizer::LoadTokenizerJson(*text, path);
}

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromTokenizerJsonString(
    std::string_view json, const std::string& source_name) {
  return tokenizer::LoadTokenizerJson(json, source_name);
}

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromVocabTxt(const std::string& path,
                                                             bool lowercase) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  tokenizer::BertNormalizerOptions norm;
  norm.lowercase = lowercase;
  norm.strip_accents = lowercase;
  auto tok = std::make_unique<tokenizer::WordPieceTokenizer>(norm, tokenizer::WordPieceOptions{});
  std::string_view rest = *text;
  int32_t id = 0;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    tok->vocab().Add(line, id++);
  }
  if (tok->vocab().count() == 0) return Status::InvalidArgument(path + ": empty vocabulary");
  for (const char* special : {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}) {
    const int32_t sid = tok->vocab().Find(special);
    if (sid < 0) continue;
    tokenizer::AddedToken a;
    a.content = special;
    a.id = sid;
    a.special = true;
    tok->added_tokens().Add(std::move(a));
  }
  const int32_t cls = tok->vocab().Find("[CLS]");
  const int32_t sep = tok->vocab().Find("[SEP]");
  if (cls < 0 || sep < 0) {
    return Status::InvalidArgument(path + ": vocabulary has no [CLS] or [SEP]");
  }
  tok->SetTemplate({cls}, {sep});
  tok->SetSpecialIds(cls, sep, tok->vocab().Find("[PAD]"), -1);
  Status st = tok->Finish();
  if (!st.ok()) return st.WithContext(path);
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

StatusOr<std::unique_ptr<Tokenizer>> Tokenizer::FromModelDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string json_path = (fs::path(dir) / "tokenizer.json").string();
  if (fs::exists(json_path, ec)) return FromTokenizerJson(json_path);
  const std::string vocab_path = (fs::path(dir) / "vocab.txt").string();
  if (!fs::exists(vocab_path, ec)) {
    return Status::NotFound(dir + ": no tokenizer.json or vocab.txt");
  }
  bool lowercase = true;
  const std::string config_path = (fs::path(dir) / "tokenizer_config.json").string();
  if (fs::exists(config_path, ec)) {
    auto text = ReadFile(config_path);
    if (!text.ok()) return text.status();
    auto cfg = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (cfg.is_discarded() || !cfg.is_object()) {
      return Status::Corruption(config_path + ": not a JSON object");
    }
    auto it = cfg.find("do_lower_case");
    if (it != cfg.end() && it->is_boolean()) lowercase = it->get<bool>();
  }
  return FromVocabTxt(vocab_path, lowercase);
}

}  // namespace vsr
