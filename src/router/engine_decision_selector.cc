#include "router/engine_decision_selector.h"

namespace vsr::router {

StatusOr<std::unique_ptr<EngineDecisionSelector>> EngineDecisionSelector::Create(
    std::shared_ptr<const config::RouterConfig> config) {
  auto engine = decision::DecisionEngine::Create(*config);
  if (!engine.ok()) return engine.status().WithContext("decision engine");
  std::unique_ptr<EngineDecisionSelector> s(new EngineDecisionSelector());
  s->config_ = std::move(config);
  s->engine_ = std::move(engine).value();
  return s;
}

Selection EngineDecisionSelector::Select(const signals::SignalResults& signals) const {
  thread_local decision::DecisionResult result;
  Selection sel;
  if (!engine_->Evaluate(signals, &result).ok() || !result.matched) return sel;
  const auto& decisions = config_->routing.decisions;
  if (result.decision_index < 0 || static_cast<size_t>(result.decision_index) >= decisions.size()) {
    return sel;
  }
  sel.decision = &decisions[static_cast<size_t>(result.decision_index)];
  sel.confidence = result.confidence;
  return sel;
}

}  // namespace vsr::router
