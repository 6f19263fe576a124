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
  // Run a request's model signals concurrently (one helper thread per extra model) instead
  // of one after the other on the request's thread. Off by default: the HTTP server already
  // runs one I/O thread per core, so parallelism across requests uses the cores without the
  // per-request thread start-ups (measured in docs/router.md); it only lowers the latency of
  // a lone request on an idle machine.
  bool parallel_signals = false;
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
