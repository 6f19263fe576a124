// Golden tokenisations from @huggingface/transformers (tools/make_goldens.mjs): ids must
// match exactly, and every token's byte span must map back to the token.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "tokenizer/bpe_tokenizer.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/unicode.h"

namespace vsr {
namespace {

constexpr const char* kData = "src/tokenizer/testdata/";

nlohmann::json LoadJson(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string CaseText(const nlohmann::json& c) {
  return c.contains("text_hex") ? FromHex(c["text_hex"].get<std::string>())
                                : c["text"].get<std::string>();
}

std::string Show(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What the BERT normaliser makes of `text` (clean-up, accent stripping, lower-casing),
// written independently of the tokenizer's streaming code, for the span invariant.
std::string BertNormalize(std::string_view text) {
  using namespace vsr::tokenizer;
  std::string out;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8(s + i, text.size() - i, &len);
    i += len;
    if (cp == 0 || cp == kReplacementChar || (Flags(cp) & kControl) || (Flags(cp) & kSpace)) {
      continue;
    }
    uint32_t st[3];
    const size_t ns = StripAccents(cp, st);
    for (size_t k = 0; k < ns; ++k) {
      uint32_t lo[2];
      const size_t nl = ToLower(st[k], lo);
      for (size_t j = 0; j < nl; ++j) {
        char buf[4];
        out.append(buf, EncodeUtf8(lo[j], buf));
      }
    }
  }
  return out;
}

// The bytes a byte-level BPE token stands for.
std::string ByteLevelDecode(std::string_view token) {
  using namespace vsr::tokenizer;
  std::string out;
  const auto* s = reinterpret_cast<const unsigned char*>(token.data());
  for (size_t i = 0; i < token.size();) {
    size_t len;
    const uint32_t cp = DecodeUtf8(s + i, token.size() - i, &len);
    i += len;
    for (int b = 0; b < 256; ++b) {
      if (BpeTokenizer::ByteToCodepoint(static_cast<uint8_t>(b)) == cp) {
        out.push_back(static_cast<char>(b));
        break;
      }
    }
  }
  return out;
}

void CheckGolden(const Tokenizer& tok, const std::string& golden_file, bool wordpiece) {
  const nlohmann::json golden = LoadJson(std::string(kData) + golden_file);
  ASSERT_GE(golden["cases"].size(), 200u);
  Encoding enc;
  size_t checked_spans = 0;
  for (const auto& c : golden["cases"]) {
    const std::string text = CaseText(c);
    SCOPED_TRACE("text: " + Show(text));
    ASSERT_TRUE(tok.Encode(text, &enc, true, 0).ok());
    EXPECT_EQ(enc.ids, c["ids"].get<std::vector<int32_t>>());
    ASSERT_EQ(enc.offsets.size(), enc.ids.size());
    ASSERT_EQ(enc.special_tokens_mask.size(), enc.ids.size());
    uint32_t prev_begin = 0, prev_end = 0;
    for (size_t i = 0; i < enc.ids.size(); ++i) {
      const auto [b, e] = enc.offsets[i];
      if (enc.special_tokens_mask[i]) {
        EXPECT_EQ(b, 0u);
        EXPECT_EQ(e, 0u);
        continue;
      }
      ASSERT_LE(b, e);
      ASSERT_LE(e, text.size());
      // Spans move forward; two pieces share bytes only when they split one original
      // character (a Hangul syllable becomes several jamo).
      EXPECT_GE(b, prev_begin) << "span goes backwards";
      EXPECT_GE(e, prev_end) << "span goes backwards";
      if (b < prev_end) {
        EXPECT_EQ(b, prev_begin) << "partial overlap";
      }
      prev_begin = b;
      prev_end = e;
      const std::string_view span = std::string_view(text).substr(b, e - b);
      std::string_view token = tok.IdToToken(enc.ids[i]);
      if (token.front() == '[' && token.back() == ']') continue;  // [UNK], [MASK] in text
      if (wordpiece) {
        if (token.substr(0, 2) == "##") token.remove_prefix(2);
        // A piece may cover part of what one original character expands to (Hangul).
        const std::string norm = BertNormalize(span);
        EXPECT_NE(norm.find(token), std::string::npos)
            << "token " << token << " span '" << span << "'";
      } else if (!c.contains("text_hex")) {
        // Byte-level BPE is lossless: the span is the token's bytes, less trimmed spaces.
        std::string bytes = ByteLevelDecode(token);
        EXPECT_NE(bytes.find(std::string(span)), std::string::npos)
            << "token " << token << " span '" << span << "'";
      }
      ++checked_spans;
    }
    ASSERT_TRUE(tok.Encode(text, &enc, false, 0).ok());
    EXPECT_EQ(enc.ids, c["ids_no_special"].get<std::vector<int32_t>>());
  }
  EXPECT_GT(checked_spans, 1000u);
  for (const auto& c : golden["truncation"]) {
    const std::string text = c["text"].get<std::string>();
    SCOPED_TRACE("truncation: " + text);
    ASSERT_TRUE(tok.Encode(text, &enc, true, c["max_length"].get<size_t>()).ok());
    EXPECT_EQ(enc.ids, c["ids"].get<std::vector<int32_t>>());
  }
}

TEST(TokenizerGolden, BertBaseUncasedTokenizerJson) {
  auto tok = Tokenizer::FromTokenizerJson(std::string(kData) + "bert-base-uncased/tokenizer.json");
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->model_type(), "wordpiece");
  EXPECT_EQ((*tok)->vocab_size(), 30522u);
  EXPECT_EQ((*tok)->cls_id(), 101);
  EXPECT_EQ((*tok)->sep_id(), 102);
  EXPECT_EQ((*tok)->pad_id(), 0);
  EXPECT_EQ((*tok)->unk_id(), 100);
  CheckGolden(**tok, "bert_base_uncased_golden.json", true);
}

TEST(TokenizerGolden, BertBaseUncasedVocabTxt) {
  auto tok = Tokenizer::FromVocabTxt(std::string(kData) + "bert-base-uncased/vocab.txt", true);
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  CheckGolden(**tok, "bert_base_uncased_golden.json", true);
}

TEST(TokenizerGolden, BpeModernBertStyle) {
  auto tok = Tokenizer::FromModelDir(std::string(kData) + "bpe-modernbert-style");
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  EXPECT_EQ((*tok)->model_type(), "bpe");
  CheckGolden(**tok, "bpe_modernbert_style_golden.json", false);
}

// Normaliser / pre-tokeniser / post-processor variants of the fixtures, each with its own
// oracle ids (the golden file carries the tokenizer.json keys it replaces).
void CheckVariants(const std::string& golden_file) {
  const nlohmann::json golden = LoadJson(std::string(kData) + golden_file);
  const nlohmann::json base = LoadJson(std::string(kData) + golden["tokenizer"].get<std::string>());
  ASSERT_GE(golden["variants"].size(), 2u);
  Encoding enc;
  for (const auto& v : golden["variants"]) {
    const std::string name = v["name"].get<std::string>();
    SCOPED_TRACE("variant " + name);
    nlohmann::json j = base;
    for (auto it = v["override"].begin(); it != v["override"].end(); ++it) j[it.key()] = it.value();
    auto tok = Tokenizer::FromTokenizerJsonString(j.dump(), name);
    ASSERT_TRUE(tok.ok()) << tok.status().ToString();
    ASSERT_GE(v["cases"].size(), 200u);
    for (const auto& c : v["cases"]) {
      const std::string text = c["text"].get<std::string>();
      SCOPED_TRACE("text: " + Show(text));
      ASSERT_TRUE((*tok)->Encode(text, &enc, true, 0).ok());
      EXPECT_EQ(enc.ids, c["ids"].get<std::vector<int32_t>>());
    }
  }
}

TEST(TokenizerGolden, BertNormalizerVariants) {
  CheckVariants("bert_base_uncased_variants_golden.json");
}

TEST(TokenizerGolden, ByteLevelVariants) {
  CheckVariants("bpe_modernbert_style_variants_golden.json");
}

}  // namespace
}  // namespace vsr
