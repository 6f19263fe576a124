// DecisionEngine: picks the routing decision for one request from its signals.
//
// Built once from a RouterConfig: every decision's rule tree is compiled into a flat node
// array whose leaves are indices into a per-request table of signal values (one slot per
// routing.signals rule); names are resolved at build time, so evaluation compares integers,
// never strings (except the domain classifier's labels, looked up by binary search).
//
// Semantics (docs/decision.md):
//   leaf   (type, name): matched with the signal's confidence (keyword/context: 1; domain: the
//          classifier confidence of the label or of one of its mmlu_categories; embedding: the
//          similarity, matched when >= threshold; pii: the best confidence among detected
//          types not allowed, matched when >= threshold; jailbreak: the jailbreak confidence,
//          matched when detected and >= threshold). An unmatched leaf has confidence 0.
//   AND    all children match; confidence = mean of the children's confidences.
//   OR     any child matches; confidence = best matched child.
//   NOT    exactly one child; matches when the child does not; confidence 1 when matched.
//   empty  AND/OR without children match with confidence 0.
// Selection among matched decisions: "priority" = priority desc, confidence desc, name asc;
// "confidence" = confidence desc, priority desc, name asc. No match: result.matched = false
// and the default model.
//
// Evaluate() is const and thread-safe; all scratch lives in the caller's DecisionResult, so a
// result reused across requests makes evaluation allocation-free after its first use.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "config/config.h"
#include "signals/signal_results.h"

namespace vsr::decision {

// A leaf of the selected decision that matched (leaves under a NOT are not listed).
struct MatchedLeaf {
  config::SignalType type = config::SignalType::kKeyword;
  std::string_view name;  // the signal rule's name
  float confidence = 0.0f;
};

// The outcome of one evaluation. Views point into the engine: valid while it lives.
class DecisionResult {
 public:
  bool matched = false;       // false: no decision matched; `model` is the default model
  std::string_view decision;  // the selected decision's name ("" when !matched)
  int decision_index = -1;    // its index in routing.decisions (-1 when !matched)
  float confidence = 0.0f;
  int priority = 0;
  // The model to use: the decision's first modelRef, else providers.defaults.model.
  std::string_view model;
  bool use_reasoning = false;                      // of that first modelRef
  std::string_view reasoning_effort;               // of that first modelRef ("" = provider default)
  std::span<const config::ModelRef> model_refs;    // all of the decision's modelRefs
  const config::PluginsConfig* plugins = nullptr;  // null when !matched
  std::vector<MatchedLeaf> matched_leaves;

 private:
  friend class DecisionEngine;
  std::vector<std::pair<uint8_t, float>> leaf_values_;  // scratch: one slot per signal rule
};

class DecisionEngine {
 public:
  // Compiles `cfg.routing`. Fails (naming the decision) when a leaf names no signal rule, a NOT
  // does not have exactly one child, a tree is nested too deeply, or a modelRef or the default
  // model names no provider model. The engine keeps its own copy of what it needs.
  static StatusOr<std::unique_ptr<DecisionEngine>> Create(const config::RouterConfig& cfg);

  Status Evaluate(const signals::SignalResults& signals, DecisionResult* result) const;

  size_t num_decisions() const { return decisions_.size(); }
  size_t num_signal_slots() const { return num_slots_; }
  config::SelectionStrategy strategy() const { return strategy_; }

 private:
  enum class Kind : uint8_t { kLeaf, kAnd, kOr, kNot };
  struct Node {
    Kind kind = Kind::kLeaf;
    uint32_t slot = 0;         // leaf: signal slot
    uint32_t first_child = 0;  // operator: index of the first child in nodes_
    uint32_t num_children = 0;
  };
  struct Compiled {
    uint32_t root = 0;
    int priority = 0;
    uint32_t name_rank = 0;  // position of the name in sorted order (ties)
  };
  struct SlotInfo {
    config::SignalType type;
    uint32_t rule;  // index within its routing.signals section
    std::string_view name;
  };

  DecisionEngine() = default;
  Status CompileTree(const config::RuleNode& rule, const std::string& decision, int depth,
                     uint32_t index);
  void ComputeLeafValues(const signals::SignalResults& s, DecisionResult* r) const;
  std::pair<bool, float> EvalNode(uint32_t index, const DecisionResult& r) const;
  void CollectLeaves(uint32_t index, DecisionResult* r) const;
  bool Better(const Compiled& a, float ca, const Compiled& b, float cb) const;

  std::unique_ptr<config::RouterConfig> cfg_;  // owns every string the results view
  config::SelectionStrategy strategy_ = config::SelectionStrategy::kPriority;
  std::vector<Compiled> decisions_;
  std::vector<Node> nodes_;
  std::vector<SlotInfo> slots_;
  size_t num_slots_ = 0;
  // First slot of each signal section, indexed by SignalType.
  uint32_t section_base_[config::kNumSignalTypes] = {};
  // Classifier label -> domain rule, sorted by label (a label may map to several domains).
  std::vector<std::pair<std::string, uint32_t>> domain_labels_;
  size_t max_leaves_ = 0;
};

}  // namespace vsr::decision

namespace vsr {
using decision::DecisionEngine;
using decision::DecisionResult;
}  // namespace vsr
