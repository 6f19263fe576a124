#include "tokenizer/wordpiece_tokenizer.h"

#include <algorithm>
#include <vector>

#include "tokenizer/unicode.h"

namespace vsr::tokenizer {

// One pre-token being collected: its normalised bytes, where each normalised character
// starts, and the original bytes each character came from. Buffers are per thread and
// keep their capacity, so steady-state encoding does not allocate.
struct WordPieceTokenizer::Word {
  std::string bytes;
  std::vector<uint32_t> char_start;  // nchars + 1 entries once closed
  std::vector<uint32_t> orig_begin;
  std::vector<uint32_t> orig_end;
  size_t nchars = 0;
  bool too_long = false;
  uint32_t begin = 0;  // original span of the whole word
  uint32_t end = 0;

  void Reset() {
    bytes.clear();
    char_start.clear();
    orig_begin.clear();
    orig_end.clear();
    nchars = 0;
    too_long = false;
  }
  bool empty() const { return nchars == 0 && !too_long; }
  void Append(uint32_t cp, uint32_t b, uint32_t e, size_t max_chars) {
    if (empty()) begin = b;
    end = e;
    if (too_long) return;
    if (nchars == max_chars) {
      too_long = true;
      return;
    }
    char_start.push_back(static_cast<uint32_t>(bytes.size()));
    char buf[4];
    bytes.append(buf, EncodeUtf8(cp, buf));
    orig_begin.push_back(b);
    orig_end.push_back(e);
    ++nchars;
  }
};

namespace {

// ASCII classes for the fast path.
enum AsciiClass : uint8_t { kAsciiWord = 0, kAsciiSpace = 1, kAsciiControl = 2, kAsciiPunct = 3 };

struct AsciiTable {
  uint8_t cls[128];
  constexpr AsciiTable() : cls() {
    for (int c = 0; c < 128; ++c) {
      uint8_t k = kAsciiWord;
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        k = kAsciiSpace;
      } else if (c < 32 || c == 127) {
        k = kAsciiControl;  // \v and \f are Cc: removed by clean_text
      } else if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
                 (c >= 123 && c <= 126)) {
        k = kAsciiPunct;
      }
      cls[c] = k;
    }
  }
};
constexpr AsciiTable kAscii;

}  // namespace

WordPieceTokenizer::WordPieceTokenizer(const BertNormalizerOptions& normalizer,
                                       const WordPieceOptions& model)
    : norm_(normalizer), model_(model) {
  if (model_.max_input_chars_per_word == 0) model_.max_input_chars_per_word = 100;
}

Status WordPieceTokenizer::Finish() {
  model_unk_id_ = vocab_.Find(model_.unk_token);
  if (model_unk_id_ < 0) {
    return Status::InvalidArgument("WordPiece: unk_token '" + model_.unk_token +
                                   "' is not in the vocabulary");
  }
  const std::string& prefix = model_.continuing_subword_prefix;
  for (size_t id = 0; id < vocab_.size(); ++id) {
    std::string_view t = vocab_.Token(static_cast<int32_t>(id));
    if (t.empty() || vocab_.Find(t) != static_cast<int32_t>(id)) continue;
    if (t.size() > prefix.size() && t.substr(0, prefix.size()) == prefix) {
      continuation_.Add(t.substr(prefix.size()), static_cast<int32_t>(id));
    }
  }
  if (prefix.empty()) {
    for (size_t id = 0; id < vocab_.size(); ++id) {
      std::string_view t = vocab_.Token(static_cast<int32_t>(id));
      if (!t.empty()) continuation_.Add(t, static_cast<int32_t>(id));
    }
  }
  max_piece_bytes_ = std::max(vocab_.max_token_bytes(), continuation_.max_token_bytes());
  if (unk_id_ < 0) unk_id_ = model_unk_id_;
  return Status::OK();
}

bool WordPieceTokenizer::EmitWord(const Word& w, uint32_t base, size_t limit, Encoding* out) const {
  if (w.empty()) return out->ids.size() < limit;
  const size_t first = out->ids.size();
  bool bad = w.too_long;
  if (!bad) {
    const uint32_t* cs = w.char_start.data();
    const uint32_t total = static_cast<uint32_t>(w.bytes.size());
    auto byte_at = [&](size_t ci) { return ci == w.nchars ? total : cs[ci]; };
    size_t start = 0;
    while (start < w.nchars) {
      size_t end = w.nchars;
      while (end > start && byte_at(end) - cs[start] > max_piece_bytes_) --end;
      int32_t id = -1;
      for (; end > start; --end) {
        std::string_view piece(w.bytes.data() + cs[start], byte_at(end) - cs[start]);
        id = start == 0 ? vocab_.Find(piece) : continuation_.Find(piece);
        if (id >= 0) break;
      }
      if (id < 0) {
        bad = true;
        break;
      }
      Push(out, id, base + w.orig_begin[start], base + w.orig_end[end - 1]);
      if (out->ids.size() >= limit) return false;  // truncated inside the word
      start = end;
    }
  }
  if (bad) {
    out->ids.resize(first);
    out->offsets.resize(first);
    out->special_tokens_mask.resize(first);
    Push(out, model_unk_id_, base + w.begin, base + w.end);
  }
  return out->ids.size() < limit;
}

void WordPieceTokenizer::EncodeText(std::string_view text, uint32_t base, size_t limit,
                                    Encoding* out) const {
  thread_local Word word;
  word.Reset();
  const size_t max_chars = model_.max_input_chars_per_word;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const bool clean = norm_.enabled && norm_.clean_text;
  const bool cjk = norm_.enabled && norm_.handle_chinese_chars;
  const bool strip = norm_.enabled && norm_.strip_accents;
  const bool lower = norm_.enabled && norm_.lowercase;

  auto flush = [&]() -> bool {
    const bool more = EmitWord(word, base, limit, out);
    word.Reset();
    return more;
  };
  // A word of one character (punctuation, CJK ideograph).
  auto single = [&](uint32_t cp, uint32_t b, uint32_t e) -> bool {
    if (!flush()) return false;
    word.Append(cp, b, e, max_chars);
    return flush();
  };

  size_t i = 0;
  while (i < n) {
    const uint32_t b = static_cast<uint32_t>(i);
    const unsigned char c = s[i];
    if (c < 0x80) {  // ASCII fast path
      ++i;
      switch (kAscii.cls[c]) {
        case kAsciiSpace:
          if (!flush()) return;
          continue;
        case kAsciiControl:
          if (clean) continue;           // removed by the normaliser
          if (c == '\v' || c == '\f') {  // White_Space: the pre-tokeniser splits there
            if (!flush()) return;
            continue;
          }
          break;
        case kAsciiPunct:
          if (!single(c, b, b + 1)) return;
          continue;
        default:
          break;
      }
      const uint32_t lc = (lower && c >= 'A' && c <= 'Z') ? c + 32u : c;
      word.Append(lc, b, b + 1, max_chars);
      continue;
    }
    size_t len;
    const uint32_t cp = DecodeUtf8(s + i, n - i, &len);
    i += len;
    const uint32_t e = static_cast<uint32_t>(i);
    const uint8_t f = Flags(cp);
    if (clean && (cp == kReplacementChar || (f & kControl))) continue;
    if (f & kSpace) {
      if (!flush()) return;
      continue;
    }
    if (cjk && IsChineseChar(cp)) {
      if (!flush()) return;
      uint32_t stripped[3];
      const size_t ns = strip ? StripAccents(cp, stripped) : (stripped[0] = cp, 1);
      for (size_t k = 0; k < ns; ++k) word.Append(stripped[k], b, e, max_chars);
      if (!flush()) return;
      continue;
    }
    uint32_t stripped[3];
    const size_t ns = strip ? StripAccents(cp, stripped) : (stripped[0] = cp, 1);
    for (size_t k = 0; k < ns; ++k) {
      uint32_t lowered[2];
      const size_t nl = lower ? ToLower(stripped[k], lowered) : (lowered[0] = stripped[k], 1);
      for (size_t j = 0; j < nl; ++j) {
        const uint32_t o = lowered[j];
        const uint8_t of = o == cp ? f : Flags(o);
        if (of & kPunct) {
          if (!single(o, b, e)) return;
        } else if (of & kSpace) {
          if (!flush()) return;
        } else {
          word.Append(o, b, e, max_chars);
        }
      }
    }
  }
  flush();
}

}  // namespace vsr::tokenizer
