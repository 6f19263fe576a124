#include "server/router_http_handler.h"

#include <simdjson.h>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstdio>

#include "router/openai_json.h"

namespace vsr::server {

using router::AppendJsonString;
using router::ErrorBody;

namespace {

constexpr std::string_view kJson = "application/json";

std::string_view Target(const HttpRequest& req) {
  std::string_view t(req.target().data(), req.target().size());
  size_t q = t.find('?');
  return q == std::string_view::npos ? t : t.substr(0, q);
}

// Hop-by-hop and framing headers the proxy sets itself rather than copying from upstream.
bool CopyUpstreamHeader(http::field f) {
  switch (f) {
    case http::field::connection:
    case http::field::keep_alive:
    case http::field::transfer_encoding:
    case http::field::content_length:
    case http::field::content_type:
    case http::field::server:
    case http::field::date:
      return false;
    default:
      return true;
  }
}

std::string FormatFloat(float v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4f", static_cast<double>(v));
  return buf;
}

}  // namespace

RouterHttpHandler::RouterHttpHandler(const router::Router* router,
                                     std::shared_ptr<const router::TextClassifiers> classifiers,
                                     ProxyOptions options)
    : router_(router), classifiers_(std::move(classifiers)), options_(options) {}

RouterHttpHandler::~RouterHttpHandler() = default;

void RouterHttpHandler::OnWorkerStart(int worker, net::io_context& ioc) {
  if (static_cast<size_t>(worker) >= pools_.size()) {
    pools_.resize(static_cast<size_t>(worker) + 1);
    contexts_.resize(static_cast<size_t>(worker) + 1);
  }
  pools_[static_cast<size_t>(worker)] = std::make_unique<BackendPool>(ioc);
}

void RouterHttpHandler::OnWorkerStop(int worker) {
  if (static_cast<size_t>(worker) < pools_.size()) {
    stopped_stats_.connects += pools_[static_cast<size_t>(worker)]->stats().connects;
    stopped_stats_.reuses += pools_[static_cast<size_t>(worker)]->stats().reuses;
    pools_[static_cast<size_t>(worker)].reset();  // its connections belong to that io_context
  }
}

BackendPoolStats RouterHttpHandler::PoolStats() const {
  BackendPoolStats s = stopped_stats_;
  for (const auto& p : pools_) {
    if (!p) continue;
    s.connects += p->stats().connects;
    s.reuses += p->stats().reuses;
  }
  return s;
}

net::awaitable<bool> RouterHttpHandler::Handle(HttpRequest& req, beast::tcp_stream& stream,
                                               int worker) {
  std::string_view path = Target(req);
  bool keep = req.keep_alive();
  auto& metrics = router_->metrics();
  auto count = [&](std::string_view p, int code) {
    metrics.http_requests.Inc({p, std::to_string(code)});
  };
  if (path == "/v1/chat/completions") {
    if (req.method() != http::verb::post) {
      count(path, 405);
      co_return co_await WriteError(stream, req.version(), 405, "use POST", "invalid_request_error",
                                    "method_not_allowed", keep);
    }
    co_return co_await ChatCompletions(req, stream, worker);
  }
  if (path == "/health") {
    count(path, 200);
    co_return co_await WriteResponse(stream, req.version(), 200, kJson, "{\"status\":\"healthy\"}",
                                     keep) &&
        keep;
  }
  if (path == "/metrics") {
    count(path, 200);
    co_return co_await WriteResponse(stream, req.version(), 200,
                                     "text/plain; version=0.0.4; charset=utf-8", metrics.Render(),
                                     keep) &&
        keep;
  }
  if (path == "/v1/models") {
    std::string body = "{\"object\":\"list\",\"data\":[";
    auto add = [&](std::string_view id, bool first) {
      if (!first) body += ",";
      body += "{\"id\":";
      AppendJsonString(&body, id);
      body += ",\"object\":\"model\",\"created\":0,\"owned_by\":\"vsr\"}";
    };
    add("auto", true);
    for (const auto& m : router_->config().providers.models) add(m.name, false);
    body += "]}";
    count(path, 200);
    co_return co_await WriteResponse(stream, req.version(), 200, kJson, std::move(body), keep) &&
        keep;
  }
  constexpr std::string_view kClassify = "/api/v1/classify/";
  if (path.substr(0, kClassify.size()) == kClassify) {
    if (req.method() != http::verb::post) {
      count(kClassify, 405);
      co_return co_await WriteError(stream, req.version(), 405, "use POST", "invalid_request_error",
                                    "method_not_allowed", keep);
    }
    co_return co_await Classify(req, stream, path.substr(kClassify.size()));
  }
  count("other", 404);
  co_return co_await WriteError(stream, req.version(), 404, "no route for " + std::string(path),
                                "invalid_request_error", "not_found", keep);
}

net::awaitable<bool> RouterHttpHandler::ChatCompletions(HttpRequest& req, beast::tcp_stream& stream,
                                                        int worker) {
  auto& slot = contexts_[static_cast<size_t>(worker)];
  // A context per request in flight: the worker's cached one when free, else a fresh one.
  std::unique_ptr<router::RouteContext> ctx = std::move(slot);
  if (!ctx) ctx = std::make_unique<router::RouteContext>();
  router_->Route(req.body(), ctx.get());
  bool keep;
  const router::RouteResult& r = ctx->result;
  if (r.action == router::RouteAction::kRespond) {
    router_->metrics().http_requests.Inc({"/v1/chat/completions", std::to_string(r.status)});
    std::string body = r.body;
    keep = co_await WriteResponse(stream, req.version(), r.status, r.content_type, std::move(body),
                                  req.keep_alive(), r.headers) &&
           req.keep_alive();
  } else {
    keep = co_await Proxy(req, stream, worker, *ctx);
  }
  if (!slot) slot = std::move(ctx);
  co_return keep;
}

net::awaitable<bool> RouterHttpHandler::Proxy(HttpRequest& req, beast::tcp_stream& client,
                                              int worker, router::RouteContext& ctx) {
  const router::RouteResult& r = ctx.result;
  auto& metrics = router_->metrics();
  BackendPool& pool = *pools_[static_cast<size_t>(worker)];
  const config::BackendRef& backend = *r.backend;
  unsigned version = req.version();
  bool client_keep = req.keep_alive();
  auto fail = [&](int status, std::string_view message,
                  std::string_view code) -> net::awaitable<bool> {
    metrics.errors.Inc({code});
    metrics.http_requests.Inc({"/v1/chat/completions", std::to_string(status)});
    co_return co_await WriteError(client, version, status, message,
                                  status == 504 ? "timeout_error" : "backend_error", code,
                                  client_keep);
  };

  http::request<http::string_body> up{http::verb::post, "/v1/chat/completions", 11};
  up.set(http::field::host, backend.host + ":" + std::to_string(backend.port));
  up.set(http::field::content_type, "application/json");
  up.set(http::field::user_agent, "vsr-router");
  for (auto name : {http::field::authorization, http::field::accept}) {
    auto it = req.find(name);
    if (it != req.end()) up.set(name, it->value());
  }
  for (auto& f : req) {  // test/diagnostic headers for the backend (x-mock-*, x-request-id)
    std::string_view n(f.name_string().data(), f.name_string().size());
    if (n.size() > 2 && (n[0] == 'x' || n[0] == 'X') && n[1] == '-') up.set(n, f.value());
  }
  for (const auto& [k, v] : r.headers) up.set(k, v);
  up.keep_alive(true);
  up.body() = r.body;
  up.prepare_payload();

  auto started = std::chrono::steady_clock::now();
  auto deadline = started + options_.request_timeout;
  for (int attempt = 0;; ++attempt) {
    auto conn = co_await pool.Acquire(backend.host, backend.port, options_.connect_timeout,
                                      /*fresh=*/attempt > 0);
    if (!conn.ok()) {
      bool timeout = conn.status().code() == StatusCode::kDeadlineExceeded;
      co_return co_await fail(timeout ? 504 : 502, conn.status().message(),
                              timeout ? "backend_timeout" : "backend_unavailable");
    }
    beast::tcp_stream& bs = *conn->stream;
    boost::system::error_code ec;
    bs.expires_at(deadline);
    co_await http::async_write(bs, up, net::redirect_error(net::use_awaitable, ec));
    beast::flat_buffer buf;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    if (!ec) {
      co_await http::async_read_header(bs, buf, parser,
                                       net::redirect_error(net::use_awaitable, ec));
    }
    if (ec) {
      // A pooled connection the backend closed while idle: retry once on a new connection
      // (not on the next pooled one: it is older, hence closed too).
      if (conn->reused && attempt == 0 && ec != beast::error::timeout) continue;
      if (ec == beast::error::timeout) {
        co_return co_await fail(504,
                                "backend did not answer within " +
                                    std::to_string(options_.request_timeout.count()) + " ms",
                                "backend_timeout");
      }
      co_return co_await fail(502, "backend connection failed: " + ec.message(), "backend_error");
    }

    auto& head = parser.get();
    int status = head.result_int();
    std::string_view ctype(head[http::field::content_type].data(),
                           head[http::field::content_type].size());
    bool streaming = ctype.substr(0, 17) == "text/event-stream";
    std::string collected;
    bool collect = r.cache_store && status >= 200 && status < 300;
    char chunk[16 * 1024];
    bool upstream_ok = true;

    if (streaming) {
      http::response<http::empty_body> res{static_cast<http::status>(status), version};
      res.set(http::field::server, "vsr-router");
      res.set(http::field::content_type, ctype);
      res.set(http::field::cache_control, "no-cache");
      for (const auto& f : head) {
        if (CopyUpstreamHeader(f.name())) res.set(f.name_string(), f.value());
      }
      for (const auto& [k, v] : r.headers) res.set(k, v);
      res.keep_alive(client_keep);
      res.chunked(true);
      http::response_serializer<http::empty_body> sr{res};
      boost::system::error_code cec;
      co_await http::async_write_header(client, sr, net::redirect_error(net::use_awaitable, cec));
      if (cec) co_return false;
      while (!parser.is_done()) {
        parser.get().body().data = chunk;
        parser.get().body().size = sizeof(chunk);
        co_await http::async_read(bs, buf, parser, net::redirect_error(net::use_awaitable, ec));
        if (ec == http::error::need_buffer) ec = {};
        size_t n = sizeof(chunk) - parser.get().body().size;
        if (n > 0) {
          co_await net::async_write(client, http::make_chunk(net::buffer(chunk, n)),
                                    net::redirect_error(net::use_awaitable, cec));
          if (cec) co_return false;  // the client went away
          if (collect && collected.size() + n <= options_.max_cached_response_bytes) {
            collected.append(chunk, n);
          } else {
            collect = false;
          }
        }
        if (ec) break;
      }
      if (ec) {
        upstream_ok = false;
        std::string_view code = ec == beast::error::timeout ? "backend_timeout" : "upstream_reset";
        metrics.errors.Inc({code});
        std::string event =
            "data: " +
            ErrorBody("backend stream ended early: " + ec.message(), "backend_error", code) +
            "\n\n";
        co_await net::async_write(client, http::make_chunk(net::buffer(event)),
                                  net::redirect_error(net::use_awaitable, cec));
      }
      co_await net::async_write(client, http::make_chunk_last(),
                                net::redirect_error(net::use_awaitable, cec));
      metrics.http_requests.Inc({"/v1/chat/completions", std::to_string(status)});
      if (upstream_ok && parser.keep_alive()) {
        bs.expires_never();
        pool.Release(backend.host, backend.port, std::move(conn->stream));
      }
      metrics.completion_latency.Observe(
          {r.model},
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      if (upstream_ok && collect) {
        Status st = router_->OnResponse(ctx, req.body(), status, collected);
        if (!st.ok()) metrics.errors.Inc({"cache_store"});
      }
      co_return !cec && client_keep && upstream_ok;
    }

    // Not streamed: read the whole body, then answer with a content-length.
    std::string body;
    while (!parser.is_done()) {
      parser.get().body().data = chunk;
      parser.get().body().size = sizeof(chunk);
      co_await http::async_read(bs, buf, parser, net::redirect_error(net::use_awaitable, ec));
      if (ec == http::error::need_buffer) ec = {};
      body.append(chunk, sizeof(chunk) - parser.get().body().size);
      if (ec) break;
    }
    if (ec) {
      if (ec == beast::error::timeout) {
        co_return co_await fail(504, "backend response timed out", "backend_timeout");
      }
      co_return co_await fail(502, "backend connection failed mid-response: " + ec.message(),
                              "backend_error");
    }
    if (parser.keep_alive()) {
      bs.expires_never();
      pool.Release(backend.host, backend.port, std::move(conn->stream));
    }
    metrics.completion_latency.Observe(
        {r.model},
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    metrics.http_requests.Inc({"/v1/chat/completions", std::to_string(status)});
    if (collect && body.size() <= options_.max_cached_response_bytes) {
      Status st = router_->OnResponse(ctx, req.body(), status, body);
      if (!st.ok()) metrics.errors.Inc({"cache_store"});
    }
    std::string_view out_type = ctype.empty() ? kJson : ctype;
    std::vector<std::pair<std::string_view, std::string>> headers;
    for (const auto& f : head) {
      if (CopyUpstreamHeader(f.name())) {
        headers.emplace_back(std::string_view(f.name_string().data(), f.name_string().size()),
                             std::string(f.value()));
      }
    }
    headers.insert(headers.end(), r.headers.begin(), r.headers.end());
    co_return co_await WriteResponse(client, version, status, out_type, std::move(body),
                                     client_keep, headers) &&
        client_keep;
  }
}

namespace {

// Pulls "text" (or for batch "texts" + "task_type") out of a classify request body.
struct ClassifyRequest {
  std::vector<std::string> texts;
  std::string task;
};

Status ParseClassify(std::string_view body, bool batch, ClassifyRequest* out) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto e = parser.parse(body.data(), body.size()).get(doc)) {
    return Status::InvalidArgument(std::string("invalid JSON: ") + simdjson::error_message(e));
  }
  if (!batch) {
    std::string_view text;
    if (doc["text"].get(text) != simdjson::SUCCESS) {
      return Status::InvalidArgument("'text' is required and must be a string");
    }
    out->texts.emplace_back(text);
    return Status::OK();
  }
  simdjson::dom::array arr;
  if (doc["texts"].get(arr) != simdjson::SUCCESS) {
    return Status::InvalidArgument("'texts' is required and must be an array of strings");
  }
  for (auto v : arr) {
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS) {
      return Status::InvalidArgument("'texts' must contain only strings");
    }
    out->texts.emplace_back(s);
  }
  if (out->texts.empty()) return Status::InvalidArgument("'texts' must not be empty");
  if (out->texts.size() > 100) return Status::InvalidArgument("at most 100 texts per batch");
  std::string_view task = "intent";
  if (doc["task_type"].error() == simdjson::SUCCESS &&
      doc["task_type"].get(task) != simdjson::SUCCESS) {
    return Status::InvalidArgument("'task_type' must be a string");
  }
  out->task.assign(task);
  return Status::OK();
}

}  // namespace

net::awaitable<bool> RouterHttpHandler::Classify(HttpRequest& req, beast::tcp_stream& stream,
                                                 std::string_view task) {
  bool keep = req.keep_alive();
  auto& metrics = router_->metrics();
  auto reply_error = [&](int status, std::string_view msg, std::string_view type,
                         std::string_view code) -> net::awaitable<bool> {
    metrics.http_requests.Inc({"/api/v1/classify", std::to_string(status)});
    co_return co_await WriteError(stream, req.version(), status, msg, type, code, keep);
  };
  bool batch = task == "batch";
  if (!batch && task != "intent" && task != "pii" && task != "security") {
    co_return co_await reply_error(404, "unknown classification task '" + std::string(task) + "'",
                                   "invalid_request_error", "not_found");
  }
  ClassifyRequest creq;
  Status st = ParseClassify(req.body(), batch, &creq);
  if (!st.ok()) {
    co_return co_await reply_error(400, st.message(), "invalid_request_error", "invalid_request");
  }
  std::string_view kind = batch ? std::string_view(creq.task) : task;
  if (kind != "intent" && kind != "pii" && kind != "security") {
    co_return co_await reply_error(400, "'task_type' must be intent, pii or security",
                                   "invalid_request_error", "invalid_request");
  }
  const router::TextClassifiers* c = classifiers_.get();
  bool available =
      c != nullptr && ((kind == "intent" && c->has_domain()) || (kind == "pii" && c->has_pii()) ||
                       (kind == "security" && c->has_jailbreak()));
  if (!available) {
    co_return co_await reply_error(503,
                                   std::string("no ") + std::string(kind) + " classifier is loaded",
                                   "server_error", "classifier_unavailable");
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> results;
  for (const std::string& text : creq.texts) {
    std::string one;
    if (kind == "intent") {
      auto r = c->Domain(text);
      if (!r.ok())
        co_return co_await reply_error(500, r.status().ToString(), "server_error",
                                       "classifier_error");
      one = "{\"category\":";
      AppendJsonString(&one, r->label);
      one += ",\"confidence\":" + FormatFloat(r->confidence) + "}";
    } else if (kind == "pii") {
      auto r = c->Pii(text);
      if (!r.ok())
        co_return co_await reply_error(500, r.status().ToString(), "server_error",
                                       "classifier_error");
      one = "{\"has_pii\":";
      one += r->empty() ? "false" : "true";
      one += ",\"entities\":[";
      for (size_t i = 0; i < r->size(); ++i) {
        const auto& e = (*r)[i];
        if (i) one += ",";
        one += "{\"type\":";
        AppendJsonString(&one, e.type);
        one += ",\"value\":";
        AppendJsonString(&one, e.text);
        one += ",\"start\":" + std::to_string(e.begin) + ",\"end\":" + std::to_string(e.end) +
               ",\"confidence\":" + FormatFloat(e.confidence) + "}";
      }
      one += "]}";
    } else {
      auto r = c->Jailbreak(text);
      if (!r.ok())
        co_return co_await reply_error(500, r.status().ToString(), "server_error",
                                       "classifier_error");
      bool bad = router::IsJailbreakLabel(r->label);
      one = "{\"is_jailbreak\":";
      one += bad ? "true" : "false";
      one += ",\"risk_score\":" + FormatFloat(bad ? r->confidence : 1.0f - r->confidence) +
             ",\"label\":";
      AppendJsonString(&one, r->label);
      one += ",\"confidence\":" + FormatFloat(r->confidence) + "}";
    }
    results.push_back(std::move(one));
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  metrics.classifier_latency.Observe({kind}, ms / 1000.0);
  std::string body;
  if (batch) {
    body = "{\"task_type\":";
    AppendJsonString(&body, kind);
    body += ",\"results\":[";
    for (size_t i = 0; i < results.size(); ++i) {
      if (i) body += ",";
      body += results[i];
    }
    body += "],\"total_count\":" + std::to_string(results.size());
  } else if (kind == "intent") {
    body = "{\"classification\":" + results[0];
  } else {
    body = results[0];
    body.pop_back();  // reopen the object to add the timing
  }
  char timing[64];
  std::snprintf(timing, sizeof(timing), ",\"processing_time_ms\":%.3f}", ms);
  body += timing;
  metrics.http_requests.Inc({"/api/v1/classify", "200"});
  co_return co_await WriteResponse(stream, req.version(), 200, kJson, std::move(body), keep) &&
      keep;
}

}  // namespace vsr::server
