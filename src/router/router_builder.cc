#include "router/router_builder.h"

#include "cache/semantic_cache.h"
#include "router/classifier_signal_provider.h"
#include "router/engine_decision_selector.h"
#include "router/model_classifiers.h"
#include "router/stub_classifiers.h"

namespace vsr::router {

namespace {
StatusOr<cache::CacheOptions> CacheOptionsFrom(const config::ResponseCacheConfig& c) {
  cache::CacheOptions o;
  auto mode = cache::ParseSearchMode(c.search_mode);
  if (!mode.ok()) return mode.status();
  auto policy = cache::ParseEvictionPolicy(c.eviction_policy);
  if (!policy.ok()) return policy.status();
  o.search_mode = *mode;
  o.eviction_policy = *policy;
  o.max_entries = static_cast<size_t>(c.max_entries);
  o.similarity_threshold = c.similarity_threshold;
  o.ttl = std::chrono::seconds(c.ttl_seconds);
  o.hnsw.m = static_cast<size_t>(c.hnsw_m);
  o.hnsw.ef_construction = static_cast<size_t>(c.hnsw_ef_construction);
  o.hnsw.ef_search = static_cast<size_t>(c.hnsw_ef_search);
  return o;
}
}  // namespace

StatusOr<BuiltRouter> BuildRouter(config::RouterConfig cfg, const BuildOptions& options) {
  BuiltRouter b;
  auto config = std::make_shared<const config::RouterConfig>(std::move(cfg));
  b.config = config;
  b.metrics = std::make_shared<RouterMetrics>();

  if (options.stub_classifiers) {
    b.classifiers = std::make_shared<StubClassifiers>();
  } else {
    auto m = ModelClassifiers::Load(config->global.model_catalog);
    if (!m.ok()) return m.status();
    b.classifiers = std::shared_ptr<const TextClassifiers>(std::move(m).value());
  }

  RouterDeps deps;
  deps.config = config;
  deps.metrics = b.metrics;
  auto provider =
      ClassifierSignalProvider::Create(*config, b.classifiers, options.parallel_signals);
  if (!provider.ok()) return provider.status();
  deps.signals = std::shared_ptr<const SignalProvider>(std::move(provider).value());
  auto selector = EngineDecisionSelector::Create(config);
  if (!selector.ok()) return selector.status();
  deps.selector = std::shared_ptr<const DecisionSelector>(std::move(selector).value());

  const auto& rc = config->global.response_cache;
  if (rc.enabled) {
    if (!b.classifiers->has_embedder()) {
      b.warnings.push_back(
          "semantic cache disabled: global.stores.response_cache is enabled but no embedding "
          "model is configured (global.model_catalog embeddings)");
    } else {
      auto opts = CacheOptionsFrom(rc);
      if (!opts.ok()) return opts.status().WithContext("response_cache");
      auto cache = cache::CreateInMemoryCache(*opts);
      if (!cache.ok()) return cache.status().WithContext("response_cache");
      std::shared_ptr<const TextClassifiers> classifiers = b.classifiers;
      deps.cache = std::make_shared<SemanticResponseCache>(
          std::move(cache).value(), [classifiers](std::string_view text, std::vector<float>* out) {
            return classifiers->Embed(text, out);
          });
    }
  }
  b.router = std::make_unique<Router>(std::move(deps));
  return b;
}

}  // namespace vsr::router
