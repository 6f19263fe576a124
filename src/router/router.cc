#include "router/router.h"

#include <charconv>
#include <ctime>

#include "router/body_rewriter.h"
#include "router/openai_json.h"

namespace vsr::router {

namespace {
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kEventStream = "text/event-stream";
}  // namespace

void RouteResult::Clear() {
  action = RouteAction::kRespond;
  status = 200;
  body.clear();
  content_type = kJson;
  error_reason.clear();
  requested_model.clear();
  model.clear();
  model_spec = nullptr;
  backend = nullptr;
  decision.clear();
  confidence = 0.0f;
  stream = false;
  cache_hit = false;
  fast_response = false;
  cache_store = false;
  cache_ttl = std::chrono::milliseconds(0);
  probe.Clear();
  for (auto& h : headers) h.second.clear();
}

Router::Router(RouterDeps deps) : deps_(std::move(deps)) {
  if (!deps_.metrics) deps_.metrics = std::make_shared<RouterMetrics>();
  if (!deps_.config) deps_.config = std::make_shared<config::RouterConfig>();
  needs_ = SignalNeeds::FromConfig(*deps_.config);
}

bool Router::IsAutoModel(std::string_view model) { return model == "auto" || model == "MoM"; }

void Router::Fail(RouteContext* ctx, int status, std::string_view message, std::string_view type,
                  std::string_view code) const {
  RouteResult& r = ctx->result;
  r.action = RouteAction::kRespond;
  r.status = status;
  r.body = ErrorBody(message, type, code);
  r.content_type = kJson;
  r.error_reason.assign(code);
  deps_.metrics->errors.Inc({code});
}

void Router::Respond(RouteContext* ctx, std::string_view content,
                     std::string_view id_prefix) const {
  RouteResult& r = ctx->result;
  r.action = RouteAction::kRespond;
  r.status = 200;
  r.body.clear();
  std::string id(id_prefix);
  id += std::to_string(rr_.fetch_add(1, std::memory_order_relaxed));
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (r.stream) {
    AppendChatCompletionSse(&r.body, id, r.model, now, content);
    r.content_type = kEventStream;
  } else {
    AppendChatCompletion(&r.body, id, r.model, now, content);
    r.content_type = kJson;
  }
}

const config::BackendRef* Router::PickBackend(const config::ModelSpec& spec) const {
  const auto& refs = spec.backend_refs;
  if (refs.empty()) return nullptr;
  if (refs.size() == 1) return &refs[0];
  int64_t total = 0;
  for (const auto& b : refs) total += b.weight;
  if (total <= 0) return &refs[0];
  int64_t ticket = static_cast<int64_t>(rr_.fetch_add(1, std::memory_order_relaxed) %
                                        static_cast<uint64_t>(total));
  for (const auto& b : refs) {
    if (ticket < b.weight) return &b;
    ticket -= b.weight;
  }
  return &refs.back();
}

void Router::AddHeaders(RouteResult* r) const {
  if (r->headers.size() != 4) {
    r->headers.clear();
    r->headers.emplace_back(kHeaderSelectedModel, std::string());
    r->headers.emplace_back(kHeaderDecision, std::string());
    r->headers.emplace_back(kHeaderConfidence, std::string());
    r->headers.emplace_back(kHeaderCacheHit, std::string());
  }
  r->headers[0].second.assign(r->model);
  r->headers[1].second.assign(r->decision);
  char buf[16];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof(buf), r->confidence, std::chars_format::fixed, 3);
  r->headers[2].second.assign(buf, ec == std::errc() ? end : buf);
  r->headers[3].second.assign(r->cache_hit ? "true" : "false");
}

void Router::Route(std::string_view body, RouteContext* ctx) const {
  auto start = std::chrono::steady_clock::now();
  RouteResult& r = ctx->result;
  r.Clear();
  const config::RouterConfig& cfg = *deps_.config;

  // 1. Parse.
  Status st = ctx->parser.Parse(body, &ctx->request);
  if (!st.ok()) {
    Fail(ctx, 400, st.message(), "invalid_request_error", "invalid_request");
    return;
  }
  const ChatRequest& req = ctx->request;
  r.requested_model = req.model;
  r.stream = req.stream;

  // 2. Is the model one we know?
  bool is_auto = IsAutoModel(req.model);
  const config::ModelSpec* requested = is_auto ? nullptr : cfg.providers.FindModel(req.model);
  if (!is_auto && requested == nullptr) {
    std::string msg = "unknown model '" + req.model + "'; use 'auto' or a configured model";
    Fail(ctx, 400, msg, "invalid_request_error", "model_not_found");
    return;
  }

  // 3. Signals the decisions test, then the decision.
  ctx->signals.Clear();
  Selection sel;
  if (deps_.selector) {
    if (needs_.any() && deps_.signals) {
      SignalInput input{req.last_user_text()};
      st = deps_.signals->Compute(input, needs_, &ctx->signals);
      if (!st.ok()) {
        Fail(ctx, 500, "signal evaluation failed: " + st.ToString(), "server_error",
             "classifier_error");
        return;
      }
    }
    sel = deps_.selector->Select(ctx->signals);
  }
  const config::DecisionConfig* decision = sel.decision;
  if (decision != nullptr) {
    r.decision.assign(decision->name);
    r.confidence = sel.confidence;
    deps_.metrics->decisions.Inc({decision->name});
  }

  // 4. The model.
  if (is_auto) {
    const std::string& name = (decision != nullptr && !decision->model_refs.empty())
                                  ? decision->model_refs.front().model
                                  : cfg.providers.default_model;
    r.model_spec = cfg.providers.FindModel(name);
    r.model.assign(name);
  } else {
    r.model_spec = requested;
    r.model.assign(requested->name);
  }
  if (r.model_spec == nullptr) {
    Fail(ctx, 500, "no model configured for this request (set providers.defaults.model)",
         "server_error", "no_model");
    return;
  }
  AddHeaders(&r);

  // 5. Plugins: fast response.
  if (decision != nullptr && decision->plugins.fast_response &&
      decision->plugins.fast_response->enabled) {
    r.fast_response = true;
    Respond(ctx, decision->plugins.fast_response->message, "chatcmpl-vsr-fast-");
    deps_.metrics->fast_responses.Inc({decision->name});
    return;
  }

  // 6. Semantic cache.
  const auto& cache_cfg = cfg.global.response_cache;
  const config::SemanticCachePlugin* cache_plugin =
      (decision != nullptr && decision->plugins.semantic_cache) ? &*decision->plugins.semantic_cache
                                                                : nullptr;
  bool use_cache = deps_.cache && cache_cfg.enabled &&
                   (cache_plugin == nullptr || cache_plugin->enabled) &&
                   !req.last_user_text().empty();
  if (use_cache) {
    std::optional<float> threshold;
    if (cache_plugin != nullptr && cache_plugin->similarity_threshold) {
      threshold = cache_plugin->similarity_threshold;
    }
    st = deps_.cache->Lookup(r.model, req.last_user_text(), threshold, &r.probe);
    if (st.ok() && r.probe.hit) {
      r.cache_hit = true;
      r.headers[3].second.assign("true");
      deps_.metrics->cache_hits.Inc({r.model});
      r.action = RouteAction::kRespond;
      r.status = 200;
      if (r.stream) {
        StatusOr<std::string> content = CompletionContent(*r.probe.hit);
        if (content.ok()) {
          Respond(ctx, *content, "chatcmpl-vsr-cache-");
          return;
        }
        // An entry we cannot turn into a stream: fall through and ask the backend.
        r.cache_hit = false;
        r.headers[3].second.assign("false");
      } else {
        r.body.assign(*r.probe.hit);
        r.content_type = kJson;
        return;
      }
    }
    if (st.ok()) {
      deps_.metrics->cache_misses.Inc({r.model});
      r.cache_store = true;
      int64_t ttl_s = (cache_plugin != nullptr && cache_plugin->ttl_seconds)
                          ? *cache_plugin->ttl_seconds
                          : cache_cfg.ttl_seconds;
      r.cache_ttl = std::chrono::seconds(ttl_s);
    } else {
      deps_.metrics->errors.Inc({"cache_error"});  // the cache is an optimisation: carry on
    }
  }

  // 7. Rewrite for the backend.
  RewriteSpec spec;
  spec.model = r.model_spec->provider_model_id.empty() ? std::string_view(r.model_spec->name)
                                                       : r.model_spec->provider_model_id;
  if (decision != nullptr && decision->plugins.system_prompt &&
      decision->plugins.system_prompt->enabled) {
    spec.system_prompt = decision->plugins.system_prompt->system_prompt;
    spec.mode = decision->plugins.system_prompt->mode == "insert" ? SystemPromptMode::kInsert
                                                                  : SystemPromptMode::kReplace;
  }
  RewriteChatRequest(body, req, spec, &r.body);
  r.backend = PickBackend(*r.model_spec);
  if (r.backend == nullptr) {
    Fail(ctx, 502, "model '" + r.model + "' has no backend", "server_error", "no_backend");
    return;
  }
  r.action = RouteAction::kForward;
  deps_.metrics->requests.Inc({r.model});
  if (r.requested_model != r.model) {
    deps_.metrics->routing_changes.Inc({r.requested_model, r.model});
  }
  deps_.metrics->pipeline_latency.Observe(
      {}, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

Status Router::OnResponse(const RouteContext& ctx, std::string_view request_body, int status,
                          std::string_view response_body) const {
  const RouteResult& r = ctx.result;
  if (!r.cache_store || !deps_.cache || status < 200 || status >= 300) return Status::OK();
  if (r.stream) {
    StatusOr<std::string> full = ReassembleSse(response_body);
    if (!full.ok()) return full.status().WithContext("cache store");
    return deps_.cache->Store(r.model, r.probe, request_body, *full, r.cache_ttl);
  }
  return deps_.cache->Store(r.model, r.probe, request_body, response_body, r.cache_ttl);
}

}  // namespace vsr::router
