// MockBackend: an OpenAI-compatible chat-completions server for tests, benchmarks and demos.
//
// POST /v1/chat/completions answers after `latency` with `tokens` words of deterministic
// text, as one chat.completion or, when the request says "stream": true, as SSE chunks (one
// word each, `stream_interval` apart). The response's `model` is the request's. GET
// /v1/models, GET /health. Per-request overrides for tests (request headers):
//   x-mock-latency-ms: N    x-mock-tokens: N
//   x-mock-status: N        answer with that status and an OpenAI error body
//   x-mock-fail: reset      stream: send half the chunks then drop the connection;
//                           non-stream: drop the connection without answering
//   x-mock-fail: hang       never answer (for timeout tests)
// Echo headers on every completion: x-mock-model (the model received), x-mock-system-prompt
// (the first system message, up to 256 bytes, control bytes replaced by spaces).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "server/http_server.h"

namespace vsr::server {

struct MockBackendOptions {
  std::chrono::milliseconds latency{0};
  int tokens = 16;
  std::chrono::milliseconds stream_interval{0};
};

class MockBackend final : public HttpHandler {
 public:
  explicit MockBackend(MockBackendOptions options) : options_(options) {}
  net::awaitable<bool> Handle(HttpRequest& req, beast::tcp_stream& stream, int worker) override;
  uint64_t completions() const { return completions_.load(); }

 private:
  net::awaitable<bool> Complete(HttpRequest& req, beast::tcp_stream& stream);
  MockBackendOptions options_;
  std::atomic<uint64_t> completions_{0};
};

}  // namespace vsr::server
