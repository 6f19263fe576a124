// BuildRouter: assembles a Router from a loaded config: classifiers (real models from
// global.model_catalog, or StubClassifiers when asked), the signal provider, the decision
// engine and the semantic cache (global.stores.response_cache; it needs an embedder).
// Errors name the part that failed (e.g. "domain model 'models/domain': ...").
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "router/router.h"
#include "router/text_classifiers.h"

namespace vsr::router {

struct BuildOptions {
  bool stub_classifiers = false;  // StubClassifiers instead of the configured models
  bool parallel_signals = true;
};

struct BuiltRouter {
  std::shared_ptr<const config::RouterConfig> config;
  std::shared_ptr<const TextClassifiers> classifiers;  // null when no model is configured
  std::shared_ptr<RouterMetrics> metrics;
  std::unique_ptr<Router> router;
  std::vector<std::string> warnings;  // e.g. "semantic cache disabled: no embedding model"
};

StatusOr<BuiltRouter> BuildRouter(config::RouterConfig config, const BuildOptions& options = {});

}  // namespace vsr::router
