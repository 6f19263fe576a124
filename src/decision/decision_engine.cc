#include "decision/decision_engine.h"

#include <algorithm>
#include <numeric>

namespace vsr::decision {
namespace {

using config::SignalType;

constexpr int kMaxDepth = 64;

template <typename Rules>
int FindRule(const Rules& rules, std::string_view name) {
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

StatusOr<std::unique_ptr<DecisionEngine>> DecisionEngine::Create(const config::RouterConfig& cfg) {
  std::unique_ptr<DecisionEngine> e(new DecisionEngine());
  e->cfg_ = std::make_unique<config::RouterConfig>(cfg);
  const config::RouterConfig& c = *e->cfg_;
  const config::SignalsConfig& s = c.routing.signals;
  e->strategy_ = c.routing.strategy;

  if (c.providers.FindModel(c.providers.default_model) == nullptr) {
    return Status::InvalidArgument("default model '" + c.providers.default_model +
                                   "' is not in providers.models");
  }

  // Signal slots: every rule of every section, in SignalType order.
  auto add_section = [&](SignalType t, const auto& rules) {
    e->section_base_[static_cast<int>(t)] = static_cast<uint32_t>(e->slots_.size());
    for (size_t i = 0; i < rules.size(); ++i) {
      e->slots_.push_back({t, static_cast<uint32_t>(i), rules[i].name});
    }
  };
  add_section(SignalType::kKeyword, s.keywords);
  add_section(SignalType::kDomain, s.domains);
  add_section(SignalType::kEmbedding, s.embeddings);
  add_section(SignalType::kPii, s.pii);
  add_section(SignalType::kJailbreak, s.jailbreak);
  add_section(SignalType::kContext, s.context);
  e->num_slots_ = e->slots_.size();

  for (uint32_t d = 0; d < s.domains.size(); ++d) {
    e->domain_labels_.emplace_back(s.domains[d].name, d);
    for (const std::string& cat : s.domains[d].mmlu_categories) {
      if (cat != s.domains[d].name) e->domain_labels_.emplace_back(cat, d);
    }
  }
  std::sort(e->domain_labels_.begin(), e->domain_labels_.end());
  e->domain_labels_.erase(std::unique(e->domain_labels_.begin(), e->domain_labels_.end()),
                          e->domain_labels_.end());

  const auto& decisions = c.routing.decisions;
  std::vector<uint32_t> order(decisions.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return decisions[a].name < decisions[b].name; });
  e->decisions_.resize(decisions.size());
  for (uint32_t rank = 0; rank < order.size(); ++rank) {
    e->decisions_[order[rank]].name_rank = rank;
  }
  for (size_t d = 0; d < decisions.size(); ++d) {
    const config::DecisionConfig& dc = decisions[d];
    for (const config::ModelRef& ref : dc.model_refs) {
      if (c.providers.FindModel(ref.model) == nullptr) {
        return Status::InvalidArgument("decision '" + dc.name + "': modelRef '" + ref.model +
                                       "' is not in providers.models");
      }
    }
    Compiled& comp = e->decisions_[d];
    comp.priority = dc.priority;
    comp.root = static_cast<uint32_t>(e->nodes_.size());
    e->nodes_.emplace_back();
    size_t before = e->nodes_.size();
    VSR_RETURN_IF_ERROR(e->CompileTree(dc.rules, dc.name, 0, comp.root));
    e->max_leaves_ = std::max(e->max_leaves_, e->nodes_.size() - before + 1);
  }
  return e;
}

Status DecisionEngine::CompileTree(const config::RuleNode& rule, const std::string& decision,
                                   int depth, uint32_t index) {
  if (depth > kMaxDepth) {
    return Status::InvalidArgument("decision '" + decision + "': rule tree deeper than " +
                                   std::to_string(kMaxDepth));
  }
  if (rule.is_leaf) {
    const config::SignalsConfig& s = cfg_->routing.signals;
    int found = -1;
    switch (rule.type) {
      case SignalType::kKeyword:
        found = FindRule(s.keywords, rule.name);
        break;
      case SignalType::kDomain:
        found = FindRule(s.domains, rule.name);
        break;
      case SignalType::kEmbedding:
        found = FindRule(s.embeddings, rule.name);
        break;
      case SignalType::kPii:
        found = FindRule(s.pii, rule.name);
        break;
      case SignalType::kJailbreak:
        found = FindRule(s.jailbreak, rule.name);
        break;
      case SignalType::kContext:
        found = FindRule(s.context, rule.name);
        break;
    }
    if (found < 0) {
      return Status::InvalidArgument("decision '" + decision + "': no " +
                                     std::string(config::SignalTypeName(rule.type)) +
                                     " signal named '" + rule.name + "'");
    }
    Node& n = nodes_[index];
    n.kind = Kind::kLeaf;
    n.slot = section_base_[static_cast<int>(rule.type)] + static_cast<uint32_t>(found);
    return Status::OK();
  }
  if (rule.op == config::RuleOperator::kNot && rule.children.size() != 1) {
    return Status::InvalidArgument("decision '" + decision +
                                   "': NOT takes exactly one condition; got " +
                                   std::to_string(rule.children.size()));
  }
  uint32_t first = static_cast<uint32_t>(nodes_.size());
  nodes_.resize(nodes_.size() + rule.children.size());
  Node& n = nodes_[index];  // after the resize: the reference stays valid below
  n.kind = rule.op == config::RuleOperator::kAnd
               ? Kind::kAnd
               : (rule.op == config::RuleOperator::kOr ? Kind::kOr : Kind::kNot);
  n.first_child = first;
  n.num_children = static_cast<uint32_t>(rule.children.size());
  for (size_t i = 0; i < rule.children.size(); ++i) {
    VSR_RETURN_IF_ERROR(
        CompileTree(rule.children[i], decision, depth + 1, first + static_cast<uint32_t>(i)));
  }
  return Status::OK();
}

void DecisionEngine::ComputeLeafValues(const signals::SignalResults& s, DecisionResult* r) const {
  auto& v = r->leaf_values_;
  if (v.size() != num_slots_) v.resize(num_slots_);
  std::fill(v.begin(), v.end(), std::pair<uint8_t, float>{0, 0.0f});
  const config::SignalsConfig& sc = cfg_->routing.signals;

  uint32_t base = section_base_[static_cast<int>(SignalType::kKeyword)];
  size_t nk = std::min(sc.keywords.size(), s.keyword_matched.size());
  for (size_t i = 0; i < nk; ++i) {
    if (s.keyword_matched[i]) v[base + i] = {1, 1.0f};
  }

  base = section_base_[static_cast<int>(SignalType::kDomain)];
  for (const signals::DomainScore& d : s.domains()) {
    auto it = std::lower_bound(domain_labels_.begin(), domain_labels_.end(), d.label,
                               [](const std::pair<std::string, uint32_t>& a, const std::string& b) {
                                 return a.first < b;
                               });
    for (; it != domain_labels_.end() && it->first == d.label; ++it) {
      auto& slot = v[base + it->second];
      if (!slot.first || d.confidence > slot.second) slot = {1, d.confidence};
    }
  }

  base = section_base_[static_cast<int>(SignalType::kEmbedding)];
  size_t ne = std::min(sc.embeddings.size(), s.embedding_similarity.size());
  for (size_t i = 0; i < ne; ++i) {
    float sim = s.embedding_similarity[i];
    if (sim != signals::SignalResults::kNotComputed && sim >= sc.embeddings[i].threshold) {
      v[base + i] = {1, sim};
    }
  }

  base = section_base_[static_cast<int>(SignalType::kPii)];
  for (size_t i = 0; i < sc.pii.size(); ++i) {
    const config::PiiRule& rule = sc.pii[i];
    for (const signals::PiiDetection& p : s.pii()) {
      if (p.confidence < rule.threshold) continue;
      if (std::find(rule.pii_types_allowed.begin(), rule.pii_types_allowed.end(), p.type) !=
          rule.pii_types_allowed.end()) {
        continue;
      }
      auto& slot = v[base + i];
      if (!slot.first || p.confidence > slot.second) slot = {1, p.confidence};
    }
  }

  base = section_base_[static_cast<int>(SignalType::kJailbreak)];
  if (s.jailbreak_evaluated && s.jailbreak_detected) {
    for (size_t i = 0; i < sc.jailbreak.size(); ++i) {
      if (s.jailbreak_confidence >= sc.jailbreak[i].threshold) {
        v[base + i] = {1, s.jailbreak_confidence};
      }
    }
  }

  base = section_base_[static_cast<int>(SignalType::kContext)];
  if (s.token_count >= 0) {
    for (size_t i = 0; i < sc.context.size(); ++i) {
      const config::ContextRule& rule = sc.context[i];
      if (s.token_count >= rule.min_tokens && s.token_count <= rule.max_tokens) {
        v[base + i] = {1, 1.0f};
      }
    }
  }
}

std::pair<bool, float> DecisionEngine::EvalNode(uint32_t index, const DecisionResult& r) const {
  const Node& n = nodes_[index];
  switch (n.kind) {
    case Kind::kLeaf: {
      const auto& v = r.leaf_values_[n.slot];
      return {v.first != 0, v.first ? v.second : 0.0f};
    }
    case Kind::kAnd: {
      if (n.num_children == 0) return {true, 0.0f};
      float sum = 0.0f;
      for (uint32_t i = 0; i < n.num_children; ++i) {
        auto [m, c] = EvalNode(n.first_child + i, r);
        if (!m) return {false, 0.0f};
        sum += c;
      }
      return {true, sum / static_cast<float>(n.num_children)};
    }
    case Kind::kOr: {
      if (n.num_children == 0) return {true, 0.0f};
      bool any = false;
      float best = 0.0f;
      for (uint32_t i = 0; i < n.num_children; ++i) {
        auto [m, c] = EvalNode(n.first_child + i, r);
        if (m && (!any || c > best)) best = c;
        any = any || m;
      }
      return {any, any ? best : 0.0f};
    }
    case Kind::kNot: {
      bool m = EvalNode(n.first_child, r).first;
      return {!m, m ? 0.0f : 1.0f};
    }
  }
  return {false, 0.0f};
}

void DecisionEngine::CollectLeaves(uint32_t index, DecisionResult* r) const {
  const Node& n = nodes_[index];
  if (n.kind == Kind::kNot) return;  // what matched under a NOT argued against the decision
  if (n.kind == Kind::kLeaf) {
    const auto& v = r->leaf_values_[n.slot];
    if (v.first) r->matched_leaves.push_back({slots_[n.slot].type, slots_[n.slot].name, v.second});
    return;
  }
  for (uint32_t i = 0; i < n.num_children; ++i) CollectLeaves(n.first_child + i, r);
}

bool DecisionEngine::Better(const Compiled& a, float ca, const Compiled& b, float cb) const {
  if (strategy_ == config::SelectionStrategy::kPriority) {
    if (a.priority != b.priority) return a.priority > b.priority;
    if (ca != cb) return ca > cb;
  } else {
    if (ca != cb) return ca > cb;
    if (a.priority != b.priority) return a.priority > b.priority;
  }
  return a.name_rank < b.name_rank;
}

Status DecisionEngine::Evaluate(const signals::SignalResults& signals,
                                DecisionResult* result) const {
  ComputeLeafValues(signals, result);
  int best = -1;
  float best_conf = 0.0f;
  for (size_t d = 0; d < decisions_.size(); ++d) {
    auto [m, conf] = EvalNode(decisions_[d].root, *result);
    if (!m) continue;
    if (best < 0 || Better(decisions_[d], conf, decisions_[best], best_conf)) {
      best = static_cast<int>(d);
      best_conf = conf;
    }
  }

  result->matched_leaves.clear();
  if (result->matched_leaves.capacity() < max_leaves_) result->matched_leaves.reserve(max_leaves_);
  result->matched = best >= 0;
  result->use_reasoning = false;
  result->reasoning_effort = {};
  if (best < 0) {
    result->decision = {};
    result->decision_index = -1;
    result->confidence = 0.0f;
    result->priority = 0;
    result->model = cfg_->providers.default_model;
    result->model_refs = {};
    result->plugins = nullptr;
    return Status::OK();
  }
  const config::DecisionConfig& dc = cfg_->routing.decisions[best];
  result->decision = dc.name;
  result->decision_index = best;
  result->confidence = best_conf;
  result->priority = dc.priority;
  result->model_refs = dc.model_refs;
  result->plugins = &dc.plugins;
  if (!dc.model_refs.empty()) {
    result->model = dc.model_refs.front().model;
    result->use_reasoning = dc.model_refs.front().use_reasoning;
    result->reasoning_effort = dc.model_refs.front().reasoning_effort;
  } else {
    result->model = cfg_->providers.default_model;
  }
  CollectLeaves(decisions_[best].root, result);
  return Status::OK();
}

}  // namespace vsr::decision
