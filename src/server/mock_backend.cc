#include "server/mock_backend.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include <charconv>
#include <ctime>
#include <string>

#include "router/chat_request.h"
#include "router/openai_json.h"

namespace vsr::server {

namespace {

constexpr const char* kWords[] = {"the",   "router", "sends",   "each",   "prompt", "to",
                                  "a",     "model",  "that",    "fits",   "its",    "domain",
                                  "while", "cached", "answers", "return", "at",     "once"};

std::string Word(int i) {
  return std::string(kWords[static_cast<size_t>(i) % (sizeof(kWords) / sizeof(kWords[0]))]);
}

int HeaderInt(const HttpRequest& req, std::string_view name, int fallback) {
  auto it = req.find(name);
  if (it == req.end()) return fallback;
  int v = fallback;
  std::string_view s(it->value().data(), it->value().size());
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : fallback;
}

std::string HeaderSafe(std::string_view s, size_t max) {
  std::string out(s.substr(0, max));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

net::awaitable<void> Sleep(std::chrono::milliseconds d) {
  if (d.count() <= 0) co_return;
  net::steady_timer t(co_await net::this_coro::executor);
  t.expires_after(d);
  boost::system::error_code ec;
  co_await t.async_wait(net::redirect_error(net::use_awaitable, ec));
}

}  // namespace

net::awaitable<bool> MockBackend::Handle(HttpRequest& req, beast::tcp_stream& stream, int) {
  std::string_view target(req.target().data(), req.target().size());
  bool keep = req.keep_alive();
  if (target == "/health") {
    co_return co_await WriteResponse(stream, req.version(), 200, "application/json",
                                     "{\"status\":\"healthy\"}", keep) &&
        keep;
  }
  if (target == "/v1/models" && req.method() == http::verb::get) {
    co_return co_await WriteResponse(
        stream, req.version(), 200, "application/json",
        "{\"object\":\"list\",\"data\":[{\"id\":\"mock\",\"object\":\"model\",\"owned_by\":"
        "\"vsr-mock-backend\"}]}",
        keep) &&
        keep;
  }
  if (target == "/v1/chat/completions" && req.method() == http::verb::post) {
    co_return co_await Complete(req, stream);
  }
  co_return co_await WriteError(stream, req.version(), 404, "no route for " + std::string(target),
                                "invalid_request_error", "not_found", keep);
}

net::awaitable<bool> MockBackend::Complete(HttpRequest& req, beast::tcp_stream& stream) {
  bool keep = req.keep_alive();
  router::ChatRequestParser parser;
  router::ChatRequest chat;
  Status st = parser.Parse(req.body(), &chat);
  if (!st.ok()) {
    co_return co_await WriteError(stream, req.version(), 400, st.message(), "invalid_request_error",
                                  "invalid_request", keep);
  }
  completions_.fetch_add(1, std::memory_order_relaxed);
  auto fail_it = req.find("x-mock-fail");
  std::string fail = fail_it == req.end() ? "" : std::string(fail_it->value());
  if (fail == "hang") {
    co_await Sleep(std::chrono::hours(1));
    co_return false;
  }
  co_await Sleep(std::chrono::milliseconds(
      HeaderInt(req, "x-mock-latency-ms", static_cast<int>(options_.latency.count()))));
  int status = HeaderInt(req, "x-mock-status", 200);
  if (status != 200) {
    co_return co_await WriteError(stream, req.version(), status, "mock backend error",
                                  "server_error", "mock_error", keep);
  }
  if (fail == "reset" && !chat.stream) co_return false;  // close without answering

  int tokens = HeaderInt(req, "x-mock-tokens", options_.tokens);
  if (tokens < 0) tokens = 0;
  std::vector<std::pair<std::string_view, std::string>> echo;
  echo.emplace_back("x-mock-model", HeaderSafe(chat.model, 256));
  if (chat.first_system_index >= 0) {
    echo.emplace_back(
        "x-mock-system-prompt",
        HeaderSafe(chat.message(static_cast<size_t>(chat.first_system_index)).text, 256));
  }
  std::string id = "chatcmpl-mock-" + std::to_string(completions_.load());
  int64_t created = static_cast<int64_t>(std::time(nullptr));

  if (!chat.stream) {
    std::string content;
    for (int i = 0; i < tokens; ++i) {
      if (i) content.push_back(' ');
      content += Word(i);
    }
    std::string body = "{\"id\":\"" + id +
                       "\",\"object\":\"chat.completion\",\"created\":" + std::to_string(created) +
                       ",\"model\":";
    router::AppendJsonString(&body, chat.model);
    body += ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":";
    router::AppendJsonString(&body, content);
    int prompt_tokens = static_cast<int>(chat.last_user_text().size() / 4) + 1;
    body += "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" +
            std::to_string(prompt_tokens) + ",\"completion_tokens\":" + std::to_string(tokens) +
            ",\"total_tokens\":" + std::to_string(prompt_tokens + tokens) + "}}";
    co_return co_await WriteResponse(stream, req.version(), 200, "application/json",
                                     std::move(body), keep, echo) &&
        keep;
  }

  http::response<http::empty_body> res{http::status::ok, req.version()};
  res.set(http::field::server, "vsr-mock-backend");
  res.set(http::field::content_type, "text/event-stream");
  res.set(http::field::cache_control, "no-cache");
  for (const auto& [k, v] : echo) res.set(k, v);
  res.keep_alive(keep);
  res.chunked(true);
  boost::system::error_code ec;
  http::response_serializer<http::empty_body> sr{res};
  co_await http::async_write_header(stream, sr, net::redirect_error(net::use_awaitable, ec));
  if (ec) co_return false;
  auto chunk = [&](std::string_view delta, std::string_view finish) {
    std::string s =
        "data: {\"id\":\"" + id +
        "\",\"object\":\"chat.completion.chunk\",\"created\":" + std::to_string(created) +
        ",\"model\":";
    router::AppendJsonString(&s, chat.model);
    s += ",\"choices\":[{\"index\":0,\"delta\":";
    s += delta;
    s += ",\"finish_reason\":";
    s += finish.empty() ? std::string("null") : "\"" + std::string(finish) + "\"";
    s += "}]}\n\n";
    return s;
  };
  std::vector<std::string> events;
  events.push_back(chunk("{\"role\":\"assistant\",\"content\":\"\"}", ""));
  for (int i = 0; i < tokens; ++i) {
    std::string delta = "{\"content\":";
    router::AppendJsonString(&delta, (i ? " " : "") + Word(i));
    delta += "}";
    events.push_back(chunk(delta, ""));
  }
  events.push_back(chunk("{}", "stop"));
  events.push_back("data: [DONE]\n\n");
  size_t cut = fail == "reset" ? events.size() / 2 : events.size();
  for (size_t i = 0; i < cut; ++i) {
    if (i > 0) co_await Sleep(options_.stream_interval);
    co_await net::async_write(stream, http::make_chunk(net::buffer(events[i])),
                              net::redirect_error(net::use_awaitable, ec));
    if (ec) co_return false;
  }
  if (fail == "reset") {
    stream.socket().close(ec);  // mid-stream: no last chunk
    co_return false;
  }
  co_await net::async_write(stream, http::make_chunk_last(),
                            net::redirect_error(net::use_awaitable, ec));
  co_return !ec && keep;
}

}  // namespace vsr::server
