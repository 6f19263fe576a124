// KeywordSignal: every routing.signals.keywords rule evaluated in one pass over the prompt.
//
// At construction all keywords of all rules are compiled into one vectorscan (Hyperscan)
// database: literals become escaped patterns with word-boundary assertions (`\b` on each
// side that starts or ends with a word character), case-insensitive unless the rule says
// case_sensitive; regex keywords are compiled as written. The rare regex vectorscan cannot
// compile (back-references, look-around, ...) is handed to re2 instead. Match() scans the text
// once, counts the distinct keywords each rule saw, and applies the rule's operator:
// OR = at least one, AND = all, NOR = none.
//
// Thread safety: Match() is const and may run on many threads at once. Each thread keeps its
// own vectorscan scratch and counters (thread_local, grown on first use), so a thread's
// steady-state Match() allocates nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/config.h"
#include "signals/signal_results.h"

struct hs_database;

namespace re2 {
class RE2;
}

namespace vsr::signals {

class KeywordSignal {
 public:
  // Compiles `rules` (already validated by the config loader). Fails with the rule and
  // keyword when a pattern compiles with neither vectorscan nor re2.
  static StatusOr<std::unique_ptr<KeywordSignal>> Create(
      const std::vector<config::KeywordRule>& rules);
  ~KeywordSignal();
  KeywordSignal(const KeywordSignal&) = delete;
  KeywordSignal& operator=(const KeywordSignal&) = delete;

  // Writes one flag per rule (1 = matched) into `matched`, whose size must be num_rules().
  Status Match(std::string_view text, std::span<uint8_t> matched) const;
  // Resizes results->keyword_matched to num_rules() and fills it.
  Status Match(std::string_view text, SignalResults* results) const;

  size_t num_rules() const { return rule_ops_.size(); }
  // Patterns in the vectorscan database / handed to re2.
  size_t num_vectorscan_patterns() const { return num_hs_patterns_; }
  size_t num_re2_patterns() const { return re2_patterns_.size(); }

  // The vectorscan expression a literal keyword compiles to (exposed for tests).
  static std::string LiteralPattern(std::string_view keyword);

 private:
  KeywordSignal() = default;

  struct Re2Pattern {
    std::unique_ptr<re2::RE2> re;
    uint32_t rule;
  };

  std::vector<config::KeywordOperator> rule_ops_;
  std::vector<uint32_t> rule_keyword_counts_;  // keywords per rule (AND needs all)
  std::vector<uint32_t> pattern_rule_;         // vectorscan pattern id -> rule
  size_t num_hs_patterns_ = 0;
  hs_database* db_ = nullptr;  // null when no pattern went to vectorscan
  std::vector<Re2Pattern> re2_patterns_;
  uint64_t id_ = 0;  // distinguishes instances in the thread-local scratch cache
};

}  // namespace vsr::signals
