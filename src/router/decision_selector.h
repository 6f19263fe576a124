// DecisionSelector: picks the decision a request's signals select (or none).
//
// The router depends on this small interface rather than on the decision engine itself, so
// tests can script a choice; EngineDecisionSelector adapts decision::DecisionEngine.
// Implementations must be safe to call from many threads at once.
#pragma once

#include "config/config.h"
#include "signals/signal_results.h"

namespace vsr::router {

struct Selection {
  const config::DecisionConfig* decision = nullptr;  // null: no decision matched
  float confidence = 0.0f;
};

class DecisionSelector {
 public:
  virtual ~DecisionSelector() = default;
  virtual Selection Select(const signals::SignalResults& signals) const = 0;
};

}  // namespace vsr::router
