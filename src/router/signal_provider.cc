#include "router/signal_provider.h"

namespace vsr::router {

bool SignalNeeds::Needs(config::SignalType type) const {
  switch (type) {
    case config::SignalType::kKeyword:
      return keyword;
    case config::SignalType::kDomain:
      return domain;
    case config::SignalType::kEmbedding:
      return embedding;
    case config::SignalType::kPii:
      return pii;
    case config::SignalType::kJailbreak:
      return jailbreak;
    case config::SignalType::kContext:
      return context;
  }
  return false;
}

void SignalNeeds::Set(config::SignalType type) {
  switch (type) {
    case config::SignalType::kKeyword:
      keyword = true;
      break;
    case config::SignalType::kDomain:
      domain = true;
      break;
    case config::SignalType::kEmbedding:
      embedding = true;
      break;
    case config::SignalType::kPii:
      pii = true;
      break;
    case config::SignalType::kJailbreak:
      jailbreak = true;
      break;
    case config::SignalType::kContext:
      context = true;
      break;
  }
}

namespace {
void Walk(const config::RuleNode& node, SignalNeeds* needs) {
  if (node.is_leaf) {
    needs->Set(node.type);
    return;
  }
  for (const config::RuleNode& child : node.children) Walk(child, needs);
}
}  // namespace

SignalNeeds SignalNeeds::FromConfig(const config::RouterConfig& config) {
  SignalNeeds needs;
  for (const config::DecisionConfig& d : config.routing.decisions) Walk(d.rules, &needs);
  return needs;
}

}  // namespace vsr::router
