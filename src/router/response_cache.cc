#include "router/response_cache.h"

namespace vsr::router {

SemanticResponseCache::SemanticResponseCache(std::unique_ptr<cache::SemanticCache> cache,
                                             EmbedFunction embed)
    : cache_(std::move(cache)), embed_(std::move(embed)) {}

Status SemanticResponseCache::Lookup(std::string_view model, std::string_view query,
                                     std::optional<float> threshold, CacheProbe* probe) {
  probe->Clear();
  VSR_RETURN_IF_ERROR(embed_(query, &probe->embedding).WithContext("cache embedding"));
  StatusOr<cache::LookupResult> r = cache_->Lookup(model, probe->embedding, threshold);
  if (!r.ok()) return r.status().WithContext("cache lookup");
  probe->similarity = r->similarity;
  if (r->found) probe->hit = std::move(r->response);
  return Status::OK();
}

Status SemanticResponseCache::Store(std::string_view model, const CacheProbe& probe,
                                    std::string_view request_body, std::string_view response_body,
                                    std::chrono::milliseconds ttl) {
  if (probe.embedding.empty()) return Status::FailedPrecondition("store without a lookup");
  std::string id = "vsr-" + std::to_string(next_id_.fetch_add(1, std::memory_order_relaxed));
  cache::CacheEntryInput entry;
  entry.request_id = id;
  entry.model = model;
  entry.embedding = probe.embedding;
  entry.request_body = request_body;
  entry.response_body = response_body;
  entry.ttl = ttl;
  return cache_->Add(entry);
}

}  // namespace vsr::router
