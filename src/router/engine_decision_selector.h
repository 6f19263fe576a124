// EngineDecisionSelector: the DecisionSelector backed by decision::DecisionEngine.
// Per-thread scratch keeps evaluation allocation-free after a thread's first request.
#pragma once

#include <memory>

#include "decision/decision_engine.h"
#include "router/decision_selector.h"

namespace vsr::router {

class EngineDecisionSelector final : public DecisionSelector {
 public:
  // `config` must outlive the selector (decisions are returned as pointers into it).
  static StatusOr<std::unique_ptr<EngineDecisionSelector>> Create(
      std::shared_ptr<const config::RouterConfig> config);
  Selection Select(const signals::SignalResults& signals) const override;

 private:
  EngineDecisionSelector() = default;
  std::shared_ptr<const config::RouterConfig> config_;
  std::unique_ptr<decision::DecisionEngine> engine_;
};

}  // namespace vsr::router
