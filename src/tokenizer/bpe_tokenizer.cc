#include "tokenizer/bpe_tokenizer.h"

#include <algorithm>
#include <functional>

#include "tokenizer/unicode.h"

namespace vsr::tokenizer {
namespace {

uint64_t PairKey(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

size_t PairHash(uint64_t key) {
  key ^= key >> 31;
  key *= 0x9E3779B97F4A7C15ull;
  key ^= key >> 29;
  return static_cast<size_t>(key);
}

enum CharClass { kClassLetter, kClassNumber, kClassSpace, kClassOther };

CharClass ClassOf(uint32_t cp) {
  if (cp < 0x80) {
    if ((cp | 32) >= 'a' && (cp | 32) <= 'z') return kClassLetter;
    if (cp >= '0' && cp <= '9') return kClassNumber;
    if (cp == ' ' || (cp >= '\t' && cp <= '\r')) return kClassSpace;
    return kClassOther;
  }
  const uint8_t f = Flags(cp);
  if (f & kLetter) return kClassLetter;
  if (f & kNumber) return kClassNumber;
  if (f & kSpace) return kClassSpace;
  return kClassOther;
}

// Valid UTF-8 is guaranteed by the caller.
uint32_t CodepointAt(std::string_view s, size_t i, size_t* len) {
  return DecodeUtf8(reinterpret_cast<const unsigned char*>(s.data()) + i, s.size() - i, len);
}

// The end of the GPT-2 pattern match that starts at `i` (i < s.size()).
size_t NextPiece(std::string_view s, size_t i) {
  const size_t n = s.size();
  size_t len;
  const uint32_t cp = CodepointAt(s, i, &len);
  if (cp == '\'' && i + 1 < n) {  // 's|'t|'re|'ve|'m|'ll|'d
    const char c1 = s[i + 1];
    if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return i + 2;
    if (i + 2 < n) {
      const char c2 = s[i + 2];
      if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) {
        return i + 3;
      }
    }
  }
  size_t j = i;
  CharClass cls = ClassOf(cp);
  if (cp == ' ' && i + 1 < n) {  // " ?X+": the space joins a following run
    size_t len2;
    const CharClass next = ClassOf(CodepointAt(s, i + 1, &len2));
    if (next != kClassSpace) {
      cls = next;
      j = i + 1;
    }
  }
  if (cls != kClassSpace) {  // \p{L}+, \p{N}+ or [^\s\p{L}\p{N}]+
    while (j < n) {
      size_t l;
      if (ClassOf(CodepointAt(s, j, &l)) != cls) break;
      j += l;
    }
    return j;
  }
  // \s+(?!\S)|\s+ : a run of white space; when a non-space follows, the run gives up its
  // last character (unless that leaves nothing).
  size_t last = i;
  j = i;
  while (j < n) {
    size_t l;
    if (ClassOf(CodepointAt(s, j, &l)) != kClassSpace) break;
    last = j;
    j += l;
  }
  if (j == n || last == i) return j;
  return last;
}

}  // namespace

// Per-thread working state; buffers keep their capacity between calls.
struct BpeTokenizer::Scratch {
  std::string text;                  // the text the model sees (prefix space, U+FFFD)
  std::vector<uint32_t> orig_begin;  // per byte of `text`: original span (empty: identity)
  std::vector<uint32_t> orig_end;
  uint32_t base = 0;
  bool identity = true;
  std::string_view view;

  struct Sym {
    int32_t id;
    int32_t prev;
    int32_t next;
    uint32_t begin;  // bytes of `view`
    uint32_t end;
  };
  struct Cand {
    int32_t rank;
    int32_t pos;
    int32_t left_id;
    int32_t right_id;
    bool operator>(const Cand& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  mutable std::vector<Sym> syms;
  mutable std::vector<Cand> heap;
  mutable std::string piece;

  uint32_t Begin(size_t pos) const {
    return identity ? base + static_cast<uint32_t>(pos) : base + orig_begin[pos];
  }
  uint32_t End(size_t pos_end) const {  // end of byte pos_end - 1
    return identity ? base + static_cast<uint32_t>(pos_end) : base + orig_end[pos_end - 1];
  }
};

namespace {

struct ByteAlphabet {
  uint32_t cp[256];
  constexpr ByteAlphabet() : cp() {
    uint32_t n = 0;
    for (uint32_t b = 0; b < 256; ++b) {
      const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
      cp[b] = printable ? b : 256 + n++;  // the other 68 bytes map, in order, to 256, ...
    }
  }
};
constexpr ByteAlphabet kByteAlphabet;

}  // namespace

uint32_t BpeTokenizer::ByteToCodepoint(uint8_t b) { return kByteAlphabet.cp[b]; }

BpeTokenizer::BpeTokenizer(const ByteLevelOptions& byte_level, const BpeOptions& model)
    : byte_level_(byte_level), model_(model) {
  std::fill(std::begin(byte_id_), std::end(byte_id_), -1);
}

const BpeTokenizer::MergeSlot* BpeTokenizer::FindMerge(int32_t left, int32_t right) const {
  if (merges_.empty()) return nullptr;
  const uint64_t key = PairKey(left, right);
  const size_t mask = merges_.size() - 1;
  for (size_t i = PairHash(key) & mask;; i = (i + 1) & mask) {
    if (merges_[i].key == key) return &merges_[i];
    if (merges_[i].key == ~0ull) return nullptr;
  }
}

void BpeTokenizer::InsertMerge(int32_t left, int32_t right, int32_t rank, int32_t merged) {
  if ((merge_count_ + 1) * 2 > merges_.size()) {
    std::vector<MergeSlot> old = std::move(merges_);
    merges_.assign(old.empty() ? 1024 : old.size() * 2, MergeSlot{});
    const size_t mask = merges_.size() - 1;
    for (const MergeSlot& m : old) {
      if (m.key == ~0ull) continue;
      size_t i = PairHash(m.key) & mask;
      while (merges_[i].key != ~0ull) i = (i + 1) & mask;
      merges_[i] = m;
    }
  }
  const uint64_t key = PairKey(left, right);
  const size_t mask = merges_.size() - 1;
  size_t i = PairHash(key) & mask;
  while (merges_[i].key != ~0ull) {
    if (merges_[i].key == key) return;  // a repeated rule keeps its first (best) rank
    i = (i + 1) & mask;
  }
  merges_[i] = MergeSlot{key, rank, merged};
  ++merge_count_;
}

Status BpeTokenizer::AddMerge(std::string_view left, std::string_view right) {
  const int32_t l = vocab_.Find(left);
  const int32_t r = vocab_.Find(right);
  std::string joined;
  joined.reserve(left.size() + right.size());
  joined.append(left).append(right);
  const int32_t m = vocab_.Find(joined);
  if (l < 0 || r < 0 || m < 0) {
    return Status::InvalidArgument("BPE: merge '" + std::string(left) + " " + std::string(right) +
                                   "' uses a token not in the vocabulary");
  }
  InsertMerge(l, r, static_cast<int32_t>(merge_count_), m);
  return Status::OK();
}

Status BpeTokenizer::Finish() {
  for (int b = 0; b < 256; ++b) {
    char buf[4];
    const size_t len = EncodeUtf8(ByteToCodepoint(static_cast<uint8_t>(b)), buf);
    byte_id_[b] = vocab_.Find(std::string_view(buf, len));
  }
  if (!model_.unk_token.empty()) model_unk_id_ = vocab_.Find(model_.unk_token);
  if (unk_id_ < 0) unk_id_ = model_unk_id_;
  return Status::OK();
}

bool BpeTokenizer::EmitPiece(const Scratch& work, size_t a, size_t b, size_t limit,
                             Encoding* out) const {
  const auto* s = reinterpret_cast<const unsigned char*>(work.view.data());
  auto push = [&](int32_t id, size_t pa, size_t pb) {
    if (byte_level_.trim_offsets) {  // as HF's process_offsets: an all-space token ends empty
      size_t lead = 0, trail = 0;
      while (pa + lead < pb && s[pa + lead] == ' ') ++lead;
      while (trail < pb - pa && s[pb - 1 - trail] == ' ') ++trail;
      if (lead == pb - pa) {
        pa = pb;
      } else {
        pa += lead;
        pb -= trail;
      }
    }
    if (pa == pb) {
      const uint32_t at = pa == 0 ? work.Begin(0) : work.End(pa);
      Push(out, id, at, at);
      return out->ids.size() < limit;
    }
    Push(out, id, work.Begin(pa), work.End(pb));
    return out->ids.size() < limit;
  };

  if (model_.ignore_merges) {
    std::string& piece = work.piece;
    piece.clear();
    for (size_t k = a; k < b; ++k) {
      char buf[4];
      piece.append(buf, EncodeUtf8(ByteToCodepoint(s[k]), buf));
    }
    const int32_t id = vocab_.Find(piece);
    if (id >= 0) return push(id, a, b);
  }

  auto& syms = work.syms;
  auto& heap = work.heap;
  syms.clear();
  heap.clear();
  for (size_t k = a; k < b; ++k) {
    const int32_t id = byte_id_[s[k]];
    if (id < 0 && model_unk_id_ < 0) continue;  // no way to say it: dropped, as HF does
    const int32_t idx = static_cast<int32_t>(syms.size());
    syms.push_back({id < 0 ? model_unk_id_ : id, idx - 1, idx + 1, static_cast<uint32_t>(k),
                    static_cast<uint32_t>(k + 1)});
  }
  if (syms.empty()) return out->ids.size() < limit;
  syms.back().next = -1;
  const std::greater<Scratch::Cand> cmp;
  auto consider = [&](int32_t pos) {
    const int32_t nx = syms[static_cast<size_t>(pos)].next;
    if (nx < 0) return;
    const MergeSlot* m =
        FindMerge(syms[static_cast<size_t>(pos)].id, syms[static_cast<size_t>(nx)].id);
    if (m == nullptr) return;
    heap.push_back(
        {m->rank, pos, syms[static_cast<size_t>(pos)].id, syms[static_cast<size_t>(nx)].id});
    std::push_heap(heap.begin(), heap.end(), cmp);
  };
  for (int32_t k = 0; k + 1 < static_cast<int32_t>(syms.size()); ++k) consider(k);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), cmp);
    const Scratch::Cand c = heap.back();
    heap.pop_back();
    Scratch::Sym& left = syms[static_cast<size_t>(c.pos)];
    if (left.id != c.left_id || left.next < 0) continue;  // stale
    Scratch::Sym& right = syms[static_cast<size_t>(left.next)];
    if (right.id != c.right_id) continue;
    const MergeSlot* m = FindMerge(left.id, right.id);
    left.id = m->merged;
    left.end = right.end;
    left.next = right.next;
    right.id = -2;  // dead
    if (left.next >= 0) syms[static_cast<size_t>(left.next)].prev = c.pos;
    if (left.prev >= 0) consider(left.prev);
    consider(c.pos);
  }
  for (int32_t k = 0; k >= 0; k = syms[static_cast<size_t>(k)].next) {
    const Scratch::Sym& sym = syms[static_cast<size_t>(k)];
    if (!push(sym.id, sym.begin, sym.end)) return false;
  }
  return true;
}

void BpeTokenizer::EncodeText(std::string_view text, uint32_t base, size_t limit,
                              Encoding* out) const {
  thread_local Scratch work;
  work.base = base;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();

  // Is the text usable as it is (valid UTF-8, no prefix space to add)?
  bool valid = true;
  for (size_t i = 0; i < n;) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    if (DecodeUtf8(s + i, n - i, &len) == kReplacementChar &&
        !(len == 3 && s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xBD)) {
      valid = false;
      break;
    }
    i += len;
  }
  const bool prefix = byte_level_.add_prefix_space && (n == 0 || s[0] != ' ');
  if (valid && !prefix) {
    work.identity = true;
    work.view = text;
  } else {
    work.identity = false;
    work.text.clear();
    work.orig_begin.clear();
    work.orig_end.clear();
    if (prefix) {
      work.text.push_back(' ');
      work.orig_begin.push_back(0);
      work.orig_end.push_back(0);
    }
    for (size_t i = 0; i < n;) {
      size_t len;
      const uint32_t cp = DecodeUtf8(s + i, n - i, &len);
      char buf[4];
      const size_t m = EncodeUtf8(cp, buf);
      work.text.append(buf, m);
      for (size_t k = 0; k < m; ++k) {
        work.orig_begin.push_back(static_cast<uint32_t>(i));
        work.orig_end.push_back(static_cast<uint32_t>(i + len));
      }
      i += len;
    }
    work.view = work.text;
  }

  const std::string_view v = work.view;
  if (!byte_level_.use_regex) {
    if (!v.empty()) EmitPiece(work, 0, v.size(), limit, out);
    return;
  }
  for (size_t i = 0; i < v.size();) {
    const size_t j = NextPiece(v, i);
    if (!EmitPiece(work, i, j, limit, out)) return;
    i = j;
  }
}

}  // namespace vsr::tokenizer
