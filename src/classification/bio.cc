#include "classification/bio.h"

#include <algorithm>

namespace vsr::classification {
namespace {

struct Tok {
  char kind;              // 'O', 'B', 'I'
  std::string_view type;  // empty for O
  uint32_t begin, end;    // clamped to the text
  float probability;
  bool alnum;
  bool continuation;
};

Tok MakeTok(std::string_view text, const TokenPrediction& t,
            const std::vector<std::string>& labels) {
  Tok out{'O', {}, 0, 0, t.probability, false, t.continuation};
  const auto size = static_cast<uint32_t>(text.size());
  out.end = std::min(t.end, size);
  out.begin = std::min(t.begin, out.end);
  if (t.label >= 0 && static_cast<size_t>(t.label) < labels.size()) {
    std::string_view label = labels[static_cast<size_t>(t.label)];
    if (!label.empty() && label != "O") {
      if (label.size() > 2 && (label[0] == 'B' || label[0] == 'I') &&
          (label[1] == '-' || label[1] == '_')) {
        out.kind = label[0];
        out.type = label.substr(2);
      } else {
        out.kind = 'I';
        out.type = label;
      }
    }
  }
  for (uint32_t i = out.begin; i < out.end; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
      out.alnum = true;
      break;
    }
  }
  return out;
}

// The label most of a word's alphanumeric tokens carry; ties: the one seen first.
std::string_view VoteWord(std::span<const Tok> word) {
  const bool any_alnum =
      std::any_of(word.begin(), word.end(), [](const Tok& t) { return t.alnum; });
  std::string_view best;
  int best_count = -1;
  for (size_t i = 0; i < word.size(); ++i) {
    if (any_alnum && !word[i].alnum) continue;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; ++j) {
      seen = (!any_alnum || word[j].alnum) && word[j].type == word[i].type;
    }
    if (seen) continue;
    int count = 0;
    for (size_t j = i; j < word.size(); ++j) {
      count += (!any_alnum || word[j].alnum) && word[j].type == word[i].type;
    }
    if (count > best_count) {
      best_count = count;
      best = word[i].type;
    }
  }
  return best;
}

struct Span {
  std::string_view type;
  size_t first, last;  // token indices
};

bool IsOneOf(std::string_view s, std::string_view chars) {
  return s.size() == 1 && chars.find(s[0]) != std::string_view::npos;
}

// Drops trailing punctuation, leading quotes and unpartnered brackets of [first, last].
void Trim(std::string_view text, const std::vector<Tok>& toks, size_t& first, size_t& last) {
  auto str = [&](size_t i) { return text.substr(toks[i].begin, toks[i].end - toks[i].begin); };
  auto has = [&](std::string_view chars) {
    for (size_t i = first; i <= last; ++i) {
      if (IsOneOf(str(i), chars)) return true;
    }
    return false;
  };
  while (first <= last) {
    const std::string_view s = str(last);
    if (IsOneOf(s, ".,;:!?\"'") || (IsOneOf(s, ")]") && !has("(["))) {
      if (last == first) {
        first = last + 1;
        break;
      }
      --last;
      continue;
    }
    break;
  }
  while (first <= last) {
    const std::string_view s = str(first);
    if (IsOneOf(s, "\"'") || (IsOneOf(s, "([") && !has(")]"))) {
      ++first;
      continue;
    }
    break;
  }
}

}  // namespace

std::vector<Entity> AggregateBio(std::string_view text, std::span<const TokenPrediction> tokens,
                                 const std::vector<std::string>& labels) {
  // Tokens and word boundaries: word w is toks[starts[w], starts[w + 1]).
  // Per-thread scratch: no allocations per call once warm (the router runs this per request).
  thread_local std::vector<Tok> toks;
  thread_local std::vector<size_t> starts;
  thread_local std::vector<bool> after_special;  // per word: a special token precedes it
  toks.clear();
  starts.clear();
  after_special.clear();
  bool broken = true, special = false;
  for (const TokenPrediction& t : tokens) {
    if (t.special || t.begin >= t.end) {
      broken = true;
      special = special || t.special;
      continue;
    }
    Tok tok = MakeTok(text, t, labels);
    if (broken || (tok.begin > toks.back().end && !t.continuation)) {
      starts.push_back(toks.size());
      after_special.push_back(special);
    }
    toks.push_back(tok);
    broken = special = false;
  }
  starts.push_back(toks.size());

  thread_local std::vector<Span> spans;
  spans.clear();
  bool open = false;
  for (size_t w = 0; w + 1 < starts.size(); ++w) {
    const size_t wb = starts[w], we = starts[w + 1];
    if (after_special[w]) open = false;
    const std::string_view type = VoteWord(std::span<const Tok>(toks).subspan(wb, we - wb));
    if (type.empty()) {
      open = false;
      continue;
    }
    size_t first = wb, last = we - 1;
    while (toks[first].type.empty()) ++first;
    while (toks[last].type.empty()) --last;
    while (first > wb && toks[first].continuation) --first;  // whole WordPiece words
    while (last + 1 < we && toks[last + 1].continuation) ++last;
    const bool joins = open && spans.back().type == type && first == wb && toks[first].kind != 'B';
    if (joins) {
      spans.back().last = last;
    } else if (!std::any_of(toks.begin() + static_cast<std::ptrdiff_t>(wb),
                            toks.begin() + static_cast<std::ptrdiff_t>(we),
                            [](const Tok& t) { return t.alnum; })) {
      open = false;  // punctuation alone ("+", "--") never opens an entity
      continue;
    } else {
      spans.push_back({type, first, last});
      open = true;
    }
    if (last != we - 1) open = false;
  }

  std::vector<Entity> out;
  for (Span s : spans) {
    Trim(text, toks, s.first, s.last);
    if (s.first > s.last) continue;
    Entity e;
    e.type = std::string(s.type);
    e.begin = toks[s.first].begin;
    e.end = toks[s.first].end;
    float sum = 0.0f;
    for (size_t i = s.first; i <= s.last; ++i) {
      e.end = std::max(e.end, toks[i].end);
      sum += toks[i].probability;
    }
    e.confidence = sum / static_cast<float>(s.last - s.first + 1);
    e.text = std::string(text.substr(e.begin, e.end - e.begin));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace vsr::classification
