// SignalProvider: fills the SignalResults of one request for the decision engine.
//
// The router asks only for the signal types its decisions test (SignalNeeds, computed once
// from the config), so a deployment without PII rules never runs the PII model. An
// implementation may evaluate independent signals in parallel. Implementations must be
// safe to call from many threads at once.
#pragma once

#include <string_view>

#include "common/status.h"
#include "config/config.h"
#include "signals/signal_results.h"

namespace vsr::router {

// Which signal types the decisions of a config test.
struct SignalNeeds {
  bool keyword = false;
  bool domain = false;
  bool embedding = false;
  bool pii = false;
  bool jailbreak = false;
  bool context = false;

  bool Needs(config::SignalType type) const;
  void Set(config::SignalType type);
  bool any() const { return keyword || domain || embedding || pii || jailbreak || context; }
  // The union over every decision's rule tree.
  static SignalNeeds FromConfig(const config::RouterConfig& config);
};

// What the provider reads: the text to classify (the last user message) and all the
// request's message texts joined (for keyword rules).
struct SignalInput {
  std::string_view query;
};

class SignalProvider {
 public:
  virtual ~SignalProvider() = default;
  // Clears `out` and fills the signals in `needs`. A failing classifier returns its Status;
  // the router then answers 500 rather than routing on half the evidence.
  virtual Status Compute(const SignalInput& input, const SignalNeeds& needs,
                         signals::SignalResults* out) const = 0;
};

}  // namespace vsr::router
