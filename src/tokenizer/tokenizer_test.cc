// Unit tests of the tokenizer pieces and of bad input: missing or corrupt files,
// unsupported components, invalid UTF-8, huge texts, truncation edges, added tokens.
#include "tokenizer/tokenizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "tokenizer/bpe_tokenizer.h"
#include "tokenizer/unicode.h"
#include "tokenizer/vocab.h"

namespace vsr {
namespace {

using tokenizer::DecodeUtf8;
using tokenizer::kReplacementChar;

constexpr const char* kBertDir = "src/tokenizer/testdata/bert-base-uncased";
constexpr const char* kBpeDir = "src/tokenizer/testdata/bpe-modernbert-style";

std::unique_ptr<Tokenizer> Load(const std::string& dir) {
  auto tok = Tokenizer::FromModelDir(dir);
  EXPECT_TRUE(tok.ok()) << tok.status().ToString();
  return tok.ok() ? std::move(tok).value() : nullptr;
}

std::vector<std::string> Tokens(const Tokenizer& tok, const Encoding& enc) {
  std::vector<std::string> out;
  for (int32_t id : enc.ids) out.emplace_back(tok.IdToToken(id));
  return out;
}

TEST(Utf8, DecodesValidSequences) {
  const std::string s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t len;
  EXPECT_EQ(DecodeUtf8(p, s.size(), &len), 'a');
  EXPECT_EQ(len, 1u);
  EXPECT_EQ(DecodeUtf8(p + 1, s.size() - 1, &len), 0xE9u);
  EXPECT_EQ(len, 2u);
  EXPECT_EQ(DecodeUtf8(p + 3, s.size() - 3, &len), 0x20ACu);
  EXPECT_EQ(len, 3u);
  EXPECT_EQ(DecodeUtf8(p + 6, s.size() - 6, &len), 0x1F600u);
  EXPECT_EQ(len, 4u);
}

TEST(Utf8, ReplacesMaximalInvalidSubparts) {
  struct Case {
    std::string bytes;
    size_t len;
  } cases[] = {
      {"\xFF", 1},
      {"\x80", 1},
      {"\xC0\xAF", 1},  // overlong lead
      {"\xE2\x82", 2},
      {"\xE2\x82\x28", 2},
      {"\xF0\x9F\x98", 3},
      {"\xED\xA0\x80", 1},  // surrogate: ED then A0 is not allowed
      {"\xF4\x90\x80\x80", 1},
      {"\xC3", 1},
  };
  for (const Case& c : cases) {
    size_t len;
    EXPECT_EQ(
        DecodeUtf8(reinterpret_cast<const unsigned char*>(c.bytes.data()), c.bytes.size(), &len),
        kReplacementChar);
    EXPECT_EQ(len, c.len) << c.bytes.size();
  }
}

TEST(Unicode, MappingsAndClasses) {
  uint32_t out[3];
  ASSERT_EQ(tokenizer::StripAccents(0xE9, out), 1u);  // é -> e
  EXPECT_EQ(out[0], static_cast<uint32_t>('e'));
  ASSERT_EQ(tokenizer::StripAccents(0x0301, out), 0u);  // a lone combining acute vanishes
  ASSERT_EQ(tokenizer::StripAccents(0xD55C, out), 3u);  // 한 -> 3 jamo
  uint32_t lo[2];
  ASSERT_EQ(tokenizer::ToLower(0x130, lo), 2u);  // İ -> i + combining dot
  EXPECT_EQ(tokenizer::ToLower(0x410, lo), 1u);  // А -> а
  EXPECT_EQ(lo[0], 0x430u);
  EXPECT_TRUE(tokenizer::Flags(0x3000) & tokenizer::kSpace);
  EXPECT_TRUE(tokenizer::Flags(0x3002) & tokenizer::kPunct);    // 。
  EXPECT_TRUE(tokenizer::Flags(0x200B) & tokenizer::kControl);  // zero width space is Cf
  EXPECT_TRUE(tokenizer::Flags(0x4E2D) & tokenizer::kLetter);
  EXPECT_TRUE(tokenizer::IsChineseChar(0x4E2D));
  EXPECT_FALSE(tokenizer::IsChineseChar(0x3042));  // hiragana is not
}

TEST(Vocab, FindsWithoutCopiesAndLaterIdsWin) {
  tokenizer::Vocab v;
  EXPECT_TRUE(v.Add("hello", 3));
  EXPECT_TRUE(v.Add("world", 0));
  EXPECT_EQ(v.Find("hello"), 3);
  EXPECT_EQ(v.Find(std::string_view("hello world").substr(6)), 0);
  EXPECT_EQ(v.Find("hell"), -1);
  EXPECT_EQ(v.Token(3), "hello");
  EXPECT_EQ(v.Token(1), "");
  EXPECT_EQ(v.Token(99), "");
  EXPECT_FALSE(v.Add("hello", 5));
  EXPECT_EQ(v.Find("hello"), 5);
  for (int i = 0; i < 5000; ++i) v.Add(std::to_string(i) + "t", 10 + i);  // forces growth
  EXPECT_EQ(v.Find("4999t"), 5009);
  EXPECT_EQ(v.Find("world"), 0);
}

TEST(WordPiece, SplitsWordsAndSpans) {
  auto tok = Load(kBertDir);
  ASSERT_NE(tok, nullptr);
  Encoding enc;
  const std::string text = "Unaffable runners, café!";
  ASSERT_TRUE(tok->Encode(text, &enc).ok());
  EXPECT_EQ(Tokens(*tok, enc), (std::vector<std::string>{"[CLS]", "una", "##ffa", "##ble",
                                                         "runners", ",", "cafe", "!", "[SEP]"}));
  EXPECT_EQ(enc.special_tokens_mask, (std::vector<uint8_t>{1, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(enc.offsets[1], (std::pair<uint32_t, uint32_t>{0, 3}));
  EXPECT_EQ(enc.offsets[2], (std::pair<uint32_t, uint32_t>{3, 6}));
  EXPECT_EQ(enc.offsets[3], (std::pair<uint32_t, uint32_t>{6, 9}));
  EXPECT_EQ(text.substr(enc.offsets[6].first, enc.offsets[6].second - enc.offsets[6].first),
            "café");
  EXPECT_EQ(enc.offsets[0], (std::pair<uint32_t, uint32_t>{0, 0}));
}

TEST(WordPiece, LongWordIsOneUnkOverTheWholeWord) {
  auto tok = Load(kBertDir);
  ASSERT_NE(tok, nullptr);
  Encoding enc;
  std::string text = "x ";  // (built step by step: GCC 12 warns on a chain of operator+)
  text.append(150, 'a');
  text.append(" y");
  ASSERT_TRUE(tok->Encode(text, &enc, false).ok());
  ASSERT_EQ(enc.ids.size(), 3u);
  EXPECT_EQ(enc.ids[1], tok->unk_id());
  EXPECT_EQ(enc.offsets[1], (std::pair<uint32_t, uint32_t>{2, 152}));
}

TEST(WordPiece, AddedTokensInTextMapToTheirIds) {
  auto tok = Load(kBertDir);
  ASSERT_NE(tok, nullptr);
  Encoding enc;
  ASSERT_TRUE(tok->Encode("a [MASK] b", &enc, false).ok());
  EXPECT_EQ(Tokens(*tok, enc), (std::vector<std::string>{"a", "[MASK]", "b"}));
  EXPECT_EQ(enc.offsets[1], (std::pair<uint32_t, uint32_t>{2, 8}));
}

TEST(WordPiece, AddedTokenSingleWordAndRstrip) {
  auto tok = Tokenizer::FromTokenizerJsonString(
      R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1, "<tag>": 2}},
          "pre_tokenizer": {"type": "BertPreTokenizer"},
          "added_tokens": [{"id": 2, "content": "<tag>", "single_word": true,
                            "rstrip": true, "special": false}]})",
      "single_word.json");
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  Encoding enc;
  ASSERT_TRUE((*tok)->Encode("a <tag>  a", &enc).ok());
  EXPECT_EQ(enc.ids, (std::vector<int32_t>{1, 2, 1}));  // no post-processor: no specials
  EXPECT_EQ(enc.offsets[1], (std::pair<uint32_t, uint32_t>{2, 7}));
  EXPECT_EQ(enc.offsets[2], (std::pair<uint32_t, uint32_t>{9, 10}));
  ASSERT_TRUE((*tok)->Encode("a<tag>", &enc).ok());        // inside a word: not the added token
  EXPECT_EQ(enc.ids, (std::vector<int32_t>{1, 0, 0, 0}));  // a < tag >: the last three unknown
}

TEST(Bpe, ModernBertStyleOffsets) {
  auto tok = Load(kBpeDir);
  ASSERT_NE(tok, nullptr);
  Encoding enc;
  const std::string text = "Hello  world";
  ASSERT_TRUE(tok->Encode(text, &enc).ok());
  // [CLS] H ello Ġ Ġworld [SEP] (the fixture keeps only GPT-2's first 12000 merges)
  ASSERT_EQ(enc.ids.size(), 6u);
  EXPECT_EQ(tok->IdToToken(enc.ids[4]), "\xC4\xA0world");
  EXPECT_EQ(enc.offsets[1], (std::pair<uint32_t, uint32_t>{0, 1}));
  EXPECT_EQ(enc.offsets[2], (std::pair<uint32_t, uint32_t>{1, 5}));
  EXPECT_EQ(enc.offsets[3], (std::pair<uint32_t, uint32_t>{5, 6}));  // all space: kept
  // TemplateProcessing does not trim (as in HF): the span includes the leading space.
  EXPECT_EQ(enc.offsets[4], (std::pair<uint32_t, uint32_t>{6, 12}));
  EXPECT_EQ(tok->cls_id(), enc.ids.front());
  EXPECT_EQ(tok->sep_id(), enc.ids.back());
}

TEST(Bpe, RobertaProcessingTrimsOffsets) {
  auto tok = Tokenizer::FromTokenizerJsonString(
      R"({"model": {"type": "BPE", "vocab": {"a": 0, "\u0120": 1, "\u0120a": 2, "<s>": 3,
          "</s>": 4}, "merges": ["\u0120 a"]},
          "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false},
          "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 4],
                             "cls": ["<s>", 3], "trim_offsets": true}})",
      "roberta.json");
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  Encoding enc;
  ASSERT_TRUE((*tok)->Encode("a a", &enc).ok());
  EXPECT_EQ(enc.ids, (std::vector<int32_t>{3, 0, 2, 4}));
  EXPECT_EQ(enc.offsets[2], (std::pair<uint32_t, uint32_t>{2, 3}));
  ASSERT_TRUE((*tok)->Encode("a  a", &enc).ok());
  EXPECT_EQ(enc.ids, (std::vector<int32_t>{3, 0, 1, 2, 4}));
  EXPECT_EQ(enc.offsets[2], (std::pair<uint32_t, uint32_t>{2, 2}));  // all space: empty, as HF
  EXPECT_EQ(enc.offsets[3], (std::pair<uint32_t, uint32_t>{3, 4}));
  EXPECT_EQ((*tok)->cls_id(), 3);
  EXPECT_EQ((*tok)->sep_id(), 4);
}

TEST(Bpe, MaskSwallowsSpaceBeforeIt) {
  auto tok = Load(kBpeDir);
  ASSERT_NE(tok, nullptr);
  Encoding enc;
  ASSERT_TRUE(tok->Encode("a [MASK]", &enc, false).ok());
  ASSERT_EQ(enc.ids.size(), 2u);
  EXPECT_EQ(tok->IdToToken(enc.ids[1]), "[MASK]");
  EXPECT_EQ(enc.offsets[1], (std::pair<uint32_t, uint32_t>{2, 8}));
}

TEST(Bpe, ByteAlphabetIsGpt2) {
  EXPECT_EQ(tokenizer::BpeTokenizer::ByteToCodepoint(' '), 0x120u);   // Ġ
  EXPECT_EQ(tokenizer::BpeTokenizer::ByteToCodepoint('\n'), 0x10Au);  // Ċ
  EXPECT_EQ(tokenizer::BpeTokenizer::ByteToCodepoint('A'), static_cast<uint32_t>('A'));
  EXPECT_EQ(tokenizer::BpeTokenizer::ByteToCodepoint(0xAD), 0x143u);
}

class BothTokenizers : public ::testing::TestWithParam<const char*> {};

TEST_P(BothTokenizers, TruncationEdges) {
  auto tok = Load(GetParam());
  ASSERT_NE(tok, nullptr);
  Encoding enc;
  const std::string text = "one two three four five six seven eight nine ten";
  ASSERT_TRUE(tok->Encode(text, &enc, true, 0).ok());
  const size_t full = enc.ids.size();
  ASSERT_GT(full, 6u);
  for (size_t max : {size_t{2}, size_t{3}, size_t{5}, full - 1, full, full + 10}) {
    ASSERT_TRUE(tok->Encode(text, &enc, true, max).ok());
    EXPECT_EQ(enc.ids.size(), std::min(max, full)) << max;
    EXPECT_EQ(enc.ids.front(), tok->cls_id());
    EXPECT_EQ(enc.ids.back(), tok->sep_id());
  }
  EXPECT_FALSE(tok->Encode(text, &enc, true, 1).ok());  // no room for the special tokens
  ASSERT_TRUE(tok->Encode(text, &enc, false, 3).ok());
  EXPECT_EQ(enc.ids.size(), 3u);
  EXPECT_FALSE(tok->Encode(text, nullptr).ok());
}

TEST_P(BothTokenizers, EmptyAndWhitespaceOnly) {
  auto tok = Load(GetParam());
  ASSERT_NE(tok, nullptr);
  Encoding enc;
  for (const char* text : {"", "   ", "\n\t"}) {
    ASSERT_TRUE(tok->Encode(text, &enc).ok());
    EXPECT_GE(enc.ids.size(), 2u);
    EXPECT_EQ(enc.ids.front(), tok->cls_id());
  }
  ASSERT_TRUE(tok->Encode("", &enc, false).ok());
  EXPECT_TRUE(enc.ids.empty());
}

TEST_P(BothTokenizers, HundredKilobytesStopsAtTheLimit) {
  auto tok = Load(GetParam());
  ASSERT_NE(tok, nullptr);
  std::string text;
  while (text.size() < 100 * 1024) text += "The quick brown fox jumps over the lazy dog. ";
  Encoding enc;
  ASSERT_TRUE(tok->Encode(text, &enc).ok());
  EXPECT_EQ(enc.ids.size(), 512u);
  ASSERT_TRUE(tok->Encode(std::string(100 * 1024, 'z'), &enc).ok());  // one huge word
  EXPECT_LE(enc.ids.size(), 512u);
  ASSERT_TRUE(tok->Encode(text, &enc, true, 0).ok());
  EXPECT_GT(enc.ids.size(), 20000u);
}

TEST_P(BothTokenizers, RandomBytesNeverCrashAndSpansStayInside) {
  auto tok = Load(GetParam());
  ASSERT_NE(tok, nullptr);
  std::mt19937 rng(42);
  Encoding enc;
  for (int iter = 0; iter < 2000; ++iter) {
    std::string text(rng() % 64, '\0');
    for (char& c : text) {
      const uint32_t r = rng();
      // Mostly high bytes and UTF-8 lead bytes, some ASCII.
      c = static_cast<char>((r & 3) == 0 ? 0x20 + (r >> 8) % 96 : 0x80 + (r >> 8) % 128);
    }
    ASSERT_TRUE(tok->Encode(text, &enc, true, 0).ok());
    for (size_t i = 0; i < enc.ids.size(); ++i) {
      ASSERT_GE(enc.ids[i], 0);
      ASSERT_LT(static_cast<size_t>(enc.ids[i]), tok->vocab_size());
      ASSERT_LE(enc.offsets[i].first, enc.offsets[i].second);
      ASSERT_LE(enc.offsets[i].second, text.size());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BothTokenizers, ::testing::Values(kBertDir, kBpeDir));

class LoaderErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vsr_tok_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& content) {
    const std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  std::filesystem::path dir_;
};

TEST_F(LoaderErrors, MissingFilesAreNamed) {
  auto tok = Tokenizer::FromModelDir(dir_.string());
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.status().code(), StatusCode::kNotFound);
  EXPECT_NE(tok.status().message().find("tokenizer.json or vocab.txt"), std::string::npos);
  auto json = Tokenizer::FromTokenizerJson((dir_ / "nope.json").string());
  ASSERT_FALSE(json.ok());
  EXPECT_NE(json.status().message().find("nope.json"), std::string::npos);
}

TEST_F(LoaderErrors, CorruptJsonIsNamed) {
  const std::string p = Write("tokenizer.json", "{\"model\": {\"type\": \"WordPiece\", ");
  auto tok = Tokenizer::FromModelDir(dir_.string());
  ASSERT_FALSE(tok.ok());
  EXPECT_EQ(tok.status().code(), StatusCode::kCorruption);
  EXPECT_NE(tok.status().message().find(p), std::string::npos);
}

TEST_F(LoaderErrors, UnsupportedAndInvalidComponents) {
  struct Case {
    const char* json;
    const char* expect;
  } cases[] = {
      {R"({"model": {"type": "Unigram", "vocab": []}})", "model.type"},
      {R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}},
           "pre_tokenizer": {"type": "Whitespace"}})",
       "pre_tokenizer.type"},
      {R"({"model": {"type": "WordPiece", "vocab": {"a": 0}},
           "pre_tokenizer": {"type": "BertPreTokenizer"}})",
       "unk_token"},
      {R"({"model": {"type": "WordPiece", "vocab": {"a": -4}},
           "pre_tokenizer": {"type": "BertPreTokenizer"}})",
       "model.vocab.a"},
      {R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]},
           "pre_tokenizer": {"type": "ByteLevel"}})",
       "model.merges[0]"},
      {R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []},
           "normalizer": {"type": "NFKC"}, "pre_tokenizer": {"type": "ByteLevel"}})",
       "normalizer.type"},
      {R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}},
           "pre_tokenizer": {"type": "BertPreTokenizer"},
           "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "X"}}]}})",
       "post_processor"},
      {R"([1, 2])", "JSON object"},
      {R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 999999999}},
           "pre_tokenizer": {"type": "BertPreTokenizer"}})",
       "model.vocab.a"},
      {R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}},
           "pre_tokenizer": {"type": "BertPreTokenizer"},
           "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 7], "cls": ["[CLS]", 0]}})",
       "outside the vocabulary"},
  };
  for (const Case& c : cases) {
    auto tok = Tokenizer::FromTokenizerJsonString(c.json, "test.json");
    ASSERT_FALSE(tok.ok()) << c.json;
    EXPECT_NE(tok.status().message().find(c.expect), std::string::npos) << tok.status().ToString();
    EXPECT_NE(tok.status().message().find("test.json"), std::string::npos);
  }
}

TEST_F(LoaderErrors, VocabTxtWithoutSpecialTokens) {
  Write("vocab.txt", "a\nb\n");
  auto tok = Tokenizer::FromModelDir(dir_.string());
  ASSERT_FALSE(tok.ok());
  EXPECT_NE(tok.status().message().find("vocab.txt"), std::string::npos);
}

TEST_F(LoaderErrors, VocabTxtCasedFromTokenizerConfig) {
  Write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\nHello\n##lo\n");
  Write("tokenizer_config.json", R"({"do_lower_case": false})");
  auto tok = Tokenizer::FromModelDir(dir_.string());
  ASSERT_TRUE(tok.ok()) << tok.status().ToString();
  Encoding enc;
  ASSERT_TRUE((*tok)->Encode("Hello hello HELLO", &enc, false).ok());
  EXPECT_EQ(enc.ids, (std::vector<int32_t>{5, 4, 1}));
}

}  // namespace
}  // namespace vsr
