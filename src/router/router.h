// Router: the request pipeline both front doors (HTTP and Envoy ext_proc) share.
//
// Route() turns a chat-completions request body into a verdict: either "forward this
// rewritten body to this backend" or "answer the client with this status and body now"
// (bad input, unknown model, fast response, cache hit, internal error). Steps: parse (simdjson),
// signals the decisions need (SignalProvider), decision (DecisionSelector), model choice
// ("auto"/"MoM" -> the decision's model, else the default model; a configured model passes
// through; an unknown model is a 400), plugins (fast_response, semantic cache lookup,
// system prompt), body rewrite and the routing headers.
//
// OnResponse() is the second half: after a 2xx from the backend it stores the response in
// the semantic cache (a streamed response is reassembled first).
//
// Route never throws and never fails: every problem becomes an error verdict with an OpenAI
// error body. Thread-safe: many threads may route at once, each with its own RouteContext.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "router/chat_request.h"
#include "router/decision_selector.h"
#include "router/metrics.h"
#include "router/response_cache.h"
#include "router/signal_provider.h"
#include "signals/signal_results.h"

namespace vsr::router {

enum class RouteAction {
  kForward,  // send `body` to `backend`
  kRespond,  // answer the client with `status` and `body`
};

// The routing headers a verdict carries (added to the upstream request and to the answer).
inline constexpr std::string_view kHeaderSelectedModel = "x-selected-model";
inline constexpr std::string_view kHeaderDecision = "x-vsr-selected-decision";
inline constexpr std::string_view kHeaderConfidence = "x-vsr-selected-confidence";
inline constexpr std::string_view kHeaderCacheHit = "x-vsr-cache-hit";

struct RouteResult {
  RouteAction action = RouteAction::kRespond;
  int status = 200;               // HTTP status of a kRespond verdict
  std::string body;               // rewritten request (kForward) or the answer (kRespond)
  std::string_view content_type;  // of a kRespond body
  std::string error_reason;       // metrics reason of an error verdict ("" otherwise)

  std::string requested_model;  // as the client sent it
  std::string model;            // chosen model ("" when routing stopped before)
  const config::ModelSpec* model_spec = nullptr;
  const config::BackendRef* backend = nullptr;  // for kForward
  std::string decision;                         // "" = no decision matched
  float confidence = 0.0f;
  bool stream = false;
  bool cache_hit = false;
  bool fast_response = false;

  // What OnResponse needs to store the answer.
  bool cache_store = false;
  std::chrono::milliseconds cache_ttl{0};
  CacheProbe probe;

  // Routing headers (name, value) for the upstream request / the answer.
  std::vector<std::pair<std::string_view, std::string>> headers;

  void Clear();
};

// Per-request scratch a caller reuses across requests (one per connection or stream).
struct RouteContext {
  ChatRequestParser parser;
  ChatRequest request;
  signals::SignalResults signals;
  RouteResult result;
};

struct RouterDeps {
  std::shared_ptr<const config::RouterConfig> config;
  std::shared_ptr<const SignalProvider> signals;     // may be null when no decision tests signals
  std::shared_ptr<const DecisionSelector> selector;  // may be null: no decisions
  std::shared_ptr<ResponseCache> cache;              // may be null: no semantic cache
  std::shared_ptr<RouterMetrics> metrics;            // may be null: a private registry
};

class Router {
 public:
  explicit Router(RouterDeps deps);

  // Fills ctx->result for `body` (see the class comment).
  void Route(std::string_view body, RouteContext* ctx) const;

  // After the backend answered `status` with `response_body` (the SSE text when the request
  // was streamed): stores a 2xx answer in the semantic cache when the verdict asked for it.
  // Returns what the cache said (OK when nothing was to be stored).
  Status OnResponse(const RouteContext& ctx, std::string_view request_body, int status,
                    std::string_view response_body) const;

  const config::RouterConfig& config() const { return *deps_.config; }
  RouterMetrics& metrics() const { return *deps_.metrics; }
  const SignalNeeds& needs() const { return needs_; }
  // True for the model names that ask the router to choose ("auto", "MoM").
  static bool IsAutoModel(std::string_view model);

 private:
  void Fail(RouteContext* ctx, int status, std::string_view message, std::string_view type,
            std::string_view code) const;
  void Respond(RouteContext* ctx, std::string_view content, std::string_view id_prefix) const;
  const config::BackendRef* PickBackend(const config::ModelSpec& spec) const;
  void AddHeaders(RouteResult* r) const;

  RouterDeps deps_;
  SignalNeeds needs_;
  mutable std::atomic<uint64_t> rr_{0};
};

}  // namespace vsr::router
