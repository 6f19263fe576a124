// RouterHttpHandler: the router's OpenAI-compatible HTTP front door.
//
//   POST /v1/chat/completions          routed (Router), then proxied to the chosen backend
//                                      through a per-worker keep-alive pool; SSE streamed
//                                      through chunk by chunk; 2xx answers go to the cache
//   GET  /v1/models                    "auto" plus every configured model
//   POST /api/v1/classify/intent|pii|security|batch   the classifiers, directly
//   GET  /health, GET /metrics         liveness; Prometheus text format
//
// Backend failures become OpenAI-style JSON errors: cannot connect -> 502
// backend_unavailable; no response within the request timeout -> 504 backend_timeout;
// connection reset before the response -> 502 backend_error. A stream that breaks after its
// headers were sent ends with an SSE `data: {"error":...}` event and a proper last chunk.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "router/router.h"
#include "router/text_classifiers.h"
#include "server/backend_pool.h"
#include "server/http_server.h"

namespace vsr::server {

struct ProxyOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds request_timeout{300000};   // whole response, stream included
  size_t max_cached_response_bytes = 4 * 1024 * 1024;  // larger answers are not cached
};

class RouterHttpHandler final : public HttpHandler {
 public:
  // `classifiers` may be null (the classify API then answers 503).
  RouterHttpHandler(const router::Router* router,
                    std::shared_ptr<const router::TextClassifiers> classifiers,
                    ProxyOptions options);
  ~RouterHttpHandler() override;

  void OnWorkerStart(int worker, net::io_context& ioc) override;
  void OnWorkerStop(int worker) override;
  net::awaitable<bool> Handle(HttpRequest& req, beast::tcp_stream& stream, int worker) override;

  // Per-worker pool statistics, summed (for tests).
  BackendPoolStats PoolStats() const;

 private:
  net::awaitable<bool> ChatCompletions(HttpRequest& req, beast::tcp_stream& stream, int worker);
  net::awaitable<bool> Proxy(HttpRequest& req, beast::tcp_stream& stream, int worker,
                             router::RouteContext& ctx);
  net::awaitable<bool> Classify(HttpRequest& req, beast::tcp_stream& stream, std::string_view task);

  const router::Router* router_;
  std::shared_ptr<const router::TextClassifiers> classifiers_;
  ProxyOptions options_;
  std::vector<std::unique_ptr<BackendPool>> pools_;              // one per worker
  std::vector<std::unique_ptr<router::RouteContext>> contexts_;  // one per worker
  BackendPoolStats stopped_stats_;                               // of pools dropped by OnWorkerStop
};

}  // namespace vsr::server
