// HttpServer: an asynchronous HTTP/1.1 server (Boost.Beast, C++20 coroutines).
//
// Threading: `threads` workers, each running its own io_context; the acceptor hands each new
// connection to the next worker, and everything about that connection (its handler, the
// backend connections it borrows from that worker's pool) stays on that worker's thread, so
// no strand or lock is needed per connection. Keep-alive, a request-body limit (413 with an
// OpenAI-style JSON error), idle timeouts and malformed-request handling (400) are done
// here; the HttpHandler writes every response itself, so it can stream.
//
// Start() binds (port 0 picks a free port; port() tells which) and returns at once;
// Stop() closes the listener and every connection and joins the workers.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/status.h"

namespace vsr::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using HttpRequest = http::request<http::string_body>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0 = any free port
  int threads = 1;    // worker threads, >= 1
  size_t max_body_bytes = 10 * 1024 * 1024;
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Answers `req` on `stream` (the handler writes the whole response). `worker` is the
  // index of the worker thread the connection lives on. Returns whether the connection may
  // carry another request.
  virtual net::awaitable<bool> Handle(HttpRequest& req, beast::tcp_stream& stream, int worker) = 0;
  // Called once per worker before it serves anything (e.g. to create per-worker pools).
  virtual void OnWorkerStart(int worker, net::io_context& ioc) {}
  // Called once per worker after it stopped and before its io_context is destroyed: drop
  // every I/O object bound to it (e.g. pooled connections).
  virtual void OnWorkerStop(int worker) {}
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler* handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  Status Start();
  void Stop();
  uint16_t port() const { return port_; }
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  struct Worker;
  net::awaitable<void> Accept();
  net::awaitable<void> Session(net::ip::tcp::socket socket, int worker);

  HttpServerOptions options_;
  HttpHandler* handler_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<net::ip::tcp::acceptor> acceptor_;
  std::atomic<uint16_t> port_{0};
  bool started_ = false;
};

// Writes a complete response with a body (content-length set) and the extra headers.
// Returns false when the write failed (the connection is then unusable).
net::awaitable<bool> WriteResponse(
    beast::tcp_stream& stream, unsigned version, int status, std::string_view content_type,
    std::string body, bool keep_alive,
    const std::vector<std::pair<std::string_view, std::string>>& headers = {});

// An OpenAI-style JSON error response.
net::awaitable<bool> WriteError(beast::tcp_stream& stream, unsigned version, int status,
                                std::string_view message, std::string_view type,
                                std::string_view code, bool keep_alive);

}  // namespace vsr::server
