#include "router/stub_classifiers.h"

#include <cctype>
#include <cmath>

namespace vsr::router {

namespace {

// Calls fn(word) for each maximal run of alphanumeric bytes, lower-cased into a scratch.
template <typename Fn>
void ForEachWord(std::string_view text, Fn fn) {
  thread_local std::string word;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !std::isalnum(static_cast<unsigned char>(text[i]))) ++i;
    size_t b = i;
    while (i < text.size() && std::isalnum(static_cast<unsigned char>(text[i]))) ++i;
    if (i > b) {
      word.assign(text.substr(b, i - b));
      for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      fn(std::string_view(word), b, i);
    }
  }
}

bool ContainsLower(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (size_t i = 0; i + needle.size() <= text.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() &&
           std::tolower(static_cast<unsigned char>(text[i + j])) == needle[j]) {
      ++j;
    }
    if (j == needle.size()) return true;
  }
  return false;
}

}  // namespace

StubClassifiers::StubClassifiers()
    : StubClassifiers(
          {{"math", {"integral", "derivative", "equation", "calculus", "algebra", "prove"}},
           {"computer science", {"code", "function", "algorithm", "python", "compile"}},
           {"physics", {"quantum", "velocity", "force", "energy", "particle"}},
           {"chemistry", {"molecule", "reaction", "acid", "chemical"}},
           {"biology", {"cell", "gene", "protein", "evolution"}},
           {"business", {"revenue", "profit", "market", "company"}},
           {"law", {"contract", "court", "lawsuit", "legal"}},
           {"health", {"symptom", "medication", "doctor", "disease"}},
           {"history", {"war", "empire", "century", "revolution"}}}) {}

StubClassifiers::StubClassifiers(
    std::vector<std::pair<std::string, std::vector<std::string>>> domains)
    : domains_(std::move(domains)) {}

StatusOr<classification::ClassResult> StubClassifiers::Domain(std::string_view text) const {
  classification::ClassResult r;
  for (size_t d = 0; d < domains_.size(); ++d) {
    for (const std::string& w : domains_[d].second) {
      if (ContainsLower(text, w)) {
        r.label = domains_[d].first;
        r.class_id = static_cast<int32_t>(d);
        r.confidence = 0.9f;
        return r;
      }
    }
  }
  r.label = "other";
  r.class_id = static_cast<int32_t>(domains_.size());
  r.confidence = 0.6f;
  return r;
}

StatusOr<std::vector<classification::Entity>> StubClassifiers::Pii(std::string_view text) const {
  std::vector<classification::Entity> out;
  // E-mail: a run of non-space bytes containing '@'.
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t b = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view tok = text.substr(b, i - b);
    size_t at = tok.find('@');
    if (at != std::string_view::npos && at > 0 && at + 1 < tok.size()) {
      out.push_back({"EMAIL_ADDRESS", std::string(tok), static_cast<uint32_t>(b),
                     static_cast<uint32_t>(i), 0.95f});
    }
  }
  // US SSN: ddd-dd-dddd.
  auto digit = [&](size_t k) {
    return k < text.size() && std::isdigit(static_cast<unsigned char>(text[k]));
  };
  for (size_t k = 0; k + 11 <= text.size(); ++k) {
    if (digit(k) && digit(k + 1) && digit(k + 2) && text[k + 3] == '-' && digit(k + 4) &&
        digit(k + 5) && text[k + 6] == '-' && digit(k + 7) && digit(k + 8) && digit(k + 9) &&
        digit(k + 10) && !digit(k + 11) && (k == 0 || !digit(k - 1))) {
      out.push_back({"US_SSN", std::string(text.substr(k, 11)), static_cast<uint32_t>(k),
                     static_cast<uint32_t>(k + 11), 0.9f});
    }
  }
  return out;
}

StatusOr<classification::ClassResult> StubClassifiers::Jailbreak(std::string_view text) const {
  classification::ClassResult r;
  bool bad =
      ContainsLower(text, "ignore all previous instructions") || ContainsLower(text, "jailbreak");
  r.label = bad ? "jailbreak" : "benign";
  r.class_id = bad ? 1 : 0;
  r.confidence = 0.95f;
  return r;
}

Status StubClassifiers::Embed(std::string_view text, std::vector<float>* out) const {
  out->assign(kDim, 0.0f);
  ForEachWord(text, [&](std::string_view w, size_t, size_t) {
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    (*out)[h % kDim] += (h >> 32) & 1 ? 1.0f : -1.0f;
  });
  double norm = 0;
  for (float v : *out) norm += static_cast<double>(v) * v;
  if (norm == 0) {
    (*out)[0] = 1.0f;
    return Status::OK();
  }
  float inv = static_cast<float>(1.0 / std::sqrt(norm));
  for (float& v : *out) v *= inv;
  return Status::OK();
}

int64_t StubClassifiers::CountTokens(std::string_view text) const {
  int64_t n = 0;
  ForEachWord(text, [&](std::string_view, size_t, size_t) { ++n; });
  return n;
}

}  // namespace vsr::router
