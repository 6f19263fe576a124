#include "signals/keyword_signal.h"

#include <hs/hs.h>
#include <re2/re2.h>

#include <atomic>
#include <climits>
#include <cstdio>

namespace vsr::signals {
namespace {

bool IsWordChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::atomic<uint64_t> g_next_id{1};

// Per-thread scan state: one vectorscan scratch grown to fit every database this thread has
// scanned, and the per-rule keyword counters.
struct ThreadScanState {
  hs_scratch_t* scratch = nullptr;
  uint64_t fitted_for = 0;  // id of the last KeywordSignal the scratch was checked against
  std::vector<uint32_t> counts;
  ~ThreadScanState() {
    if (scratch != nullptr) hs_free_scratch(scratch);
  }
};

ThreadScanState& ScanState() {
  thread_local ThreadScanState state;
  return state;
}

struct ScanContext {
  const uint32_t* pattern_rule;
  uint32_t* counts;
};

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/,
            unsigned int /*flags*/, void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  ++c->counts[c->pattern_rule[id]];  // HS_FLAG_SINGLEMATCH: each pattern reports once per scan
  return 0;
}

}  // namespace

std::string KeywordSignal::LiteralPattern(std::string_view keyword) {
  std::string out;
  out.reserve(keyword.size() * 4 + 4);
  if (!keyword.empty() && IsWordChar(static_cast<unsigned char>(keyword.front()))) out += "\\b";
  for (char ch : keyword) {
    auto c = static_cast<unsigned char>(ch);
    if (IsWordChar(c)) {
      out += ch;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    }
  }
  if (!keyword.empty() && IsWordChar(static_cast<unsigned char>(keyword.back()))) out += "\\b";
  return out;
}

StatusOr<std::unique_ptr<KeywordSignal>> KeywordSignal::Create(
    const std::vector<config::KeywordRule>& rules) {
  std::unique_ptr<KeywordSignal> ks(new KeywordSignal());
  ks->id_ = g_next_id.fetch_add(1);
  std::vector<std::string> exprs;
  std::vector<unsigned> flags;
  for (uint32_t r = 0; r < rules.size(); ++r) {
    const config::KeywordRule& rule = rules[r];
    ks->rule_ops_.push_back(rule.op);
    ks->rule_keyword_counts_.push_back(static_cast<uint32_t>(rule.keywords.size()));
    unsigned f = HS_FLAG_SINGLEMATCH | (rule.case_sensitive ? 0u : HS_FLAG_CASELESS);
    for (const std::string& kw : rule.keywords) {
      if (rule.method == config::KeywordMethod::kExact) {
        exprs.push_back(LiteralPattern(kw));
        flags.push_back(f);
        ks->pattern_rule_.push_back(r);
        continue;
      }
      // A trial compile (not just hs_expression_info): some patterns, e.g. ones that match
      // the empty string, only fail at compile time and would sink the whole database.
      hs_database_t* trial = nullptr;
      hs_compile_error_t* err = nullptr;
      if (hs_compile(kw.c_str(), f, HS_MODE_BLOCK, nullptr, &trial, &err) == HS_SUCCESS) {
        hs_free_database(trial);
        exprs.push_back(kw);
        flags.push_back(f);
        ks->pattern_rule_.push_back(r);
        continue;
      }
      std::string hs_msg = err != nullptr ? err->message : "unknown error";
      hs_free_compile_error(err);
      RE2::Options opts;
      opts.set_log_errors(false);
      opts.set_case_sensitive(rule.case_sensitive);
      auto re = std::make_unique<RE2>(kw, opts);
      if (!re->ok()) {
        return Status::InvalidArgument("keyword rule '" + rule.name + "': pattern '" + kw +
                                       "' compiles with neither vectorscan (" + hs_msg +
                                       ") nor re2 (" + re->error() + ")");
      }
      ks->re2_patterns_.push_back({std::move(re), r});
    }
  }
  ks->num_hs_patterns_ = exprs.size();
  if (!exprs.empty()) {
    std::vector<const char*> cexprs;
    std::vector<unsigned> ids;
    for (size_t i = 0; i < exprs.size(); ++i) {
      cexprs.push_back(exprs[i].c_str());
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(cexprs.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &ks->db_,
                         &err) != HS_SUCCESS) {
      std::string msg = err != nullptr ? err->message : "unknown error";
      int bad = err != nullptr ? err->expression : -1;
      hs_free_compile_error(err);
      std::string where;
      if (bad >= 0) {
        const config::KeywordRule& rule = rules[ks->pattern_rule_[bad]];
        where = " (rule '" + rule.name + "', expression '" + exprs[bad] + "')";
      }
      return Status::InvalidArgument("keyword rules do not compile: " + msg + where);
    }
  }
  return ks;
}

KeywordSignal::~KeywordSignal() {
  if (db_ != nullptr) hs_free_database(db_);
}

Status KeywordSignal::Match(std::string_view text, std::span<uint8_t> matched) const {
  if (matched.size() != num_rules()) {
    return Status::InvalidArgument("KeywordSignal::Match: output has " +
                                   std::to_string(matched.size()) + " slots for " +
                                   std::to_string(num_rules()) + " rules");
  }
  if (text.size() > UINT_MAX) return Status::InvalidArgument("text longer than 4 GiB");
  ThreadScanState& st = ScanState();
  if (st.counts.size() < num_rules()) st.counts.resize(num_rules());
  std::fill(st.counts.begin(), st.counts.begin() + static_cast<ptrdiff_t>(num_rules()), 0u);

  if (db_ != nullptr) {
    if (st.fitted_for != id_) {
      // Grows the scratch to fit this database too (no-op when it already fits).
      if (hs_alloc_scratch(db_, &st.scratch) != HS_SUCCESS) {
        return Status::ResourceExhausted("cannot allocate vectorscan scratch");
      }
      st.fitted_for = id_;
    }
    ScanContext ctx{pattern_rule_.data(), st.counts.data()};
    const char* data = text.data() != nullptr ? text.data() : "";
    hs_error_t rc =
        hs_scan(db_, data, static_cast<unsigned>(text.size()), 0, st.scratch, &OnMatch, &ctx);
    if (rc != HS_SUCCESS) {
      return Status::Internal("vectorscan scan failed with code " + std::to_string(rc));
    }
  }
  for (const Re2Pattern& p : re2_patterns_) {
    if (RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *p.re)) ++st.counts[p.rule];
  }
  for (size_t r = 0; r < num_rules(); ++r) {
    uint32_t n = st.counts[r];
    bool m = false;
    switch (rule_ops_[r]) {
      case config::KeywordOperator::kOr:
        m = n > 0;
        break;
      case config::KeywordOperator::kAnd:
        m = n == rule_keyword_counts_[r];
        break;
      case config::KeywordOperator::kNor:
        m = n == 0;
        break;
    }
    matched[r] = m ? 1 : 0;
  }
  return Status::OK();
}

Status KeywordSignal::Match(std::string_view text, SignalResults* results) const {
  results->keyword_matched.resize(num_rules());
  return Match(text, std::span<uint8_t>(results->keyword_matched));
}

}  // namespace vsr::signals
