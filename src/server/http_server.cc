#include "server/http_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <cstdio>
#include <exception>

#include "router/openai_json.h"

namespace vsr::server {

using net::ip::tcp;

struct HttpServer::Worker {
  net::io_context ioc{1};
  std::unique_ptr<net::executor_work_guard<net::io_context::executor_type>> guard;
  std::thread thread;
};

HttpServer::HttpServer(HttpServerOptions options, HttpHandler* handler)
    : options_(std::move(options)), handler_(handler) {}

HttpServer::~HttpServer() { Stop(); }

namespace {
void LogException(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "http: connection ended by exception: %s\n", ex.what());
  } catch (...) {
    std::fprintf(stderr, "http: connection ended by an unknown exception\n");
  }
}
}  // namespace

Status HttpServer::Start() {
  if (started_) return Status::FailedPrecondition("server already started");
  int n = options_.threads < 1 ? 1 : options_.threads;
  for (int i = 0; i < n; ++i) {
    auto w = std::make_unique<Worker>();
    w->guard = std::make_unique<net::executor_work_guard<net::io_context::executor_type>>(
        w->ioc.get_executor());
    handler_->OnWorkerStart(i, w->ioc);
    workers_.push_back(std::move(w));
  }
  boost::system::error_code ec;
  auto addr = net::ip::make_address(options_.address, ec);
  if (ec) return Status::InvalidArgument("bad listen address '" + options_.address + "'");
  tcp::endpoint ep(addr, options_.port);
  acceptor_ = std::make_unique<tcp::acceptor>(workers_[0]->ioc);
  acceptor_->open(ep.protocol(), ec);
  if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(ep, ec);
  if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    workers_.clear();
    acceptor_.reset();
    return Status::Unavailable("cannot listen on " + options_.address + ":" +
                               std::to_string(options_.port) + ": " + ec.message());
  }
  port_ = acceptor_->local_endpoint().port();
  net::co_spawn(workers_[0]->ioc, Accept(), [](std::exception_ptr e) { LogException(e); });
  for (auto& w : workers_) {
    Worker* wp = w.get();
    wp->thread = std::thread([wp] { wp->ioc.run(); });
  }
  started_ = true;
  return Status::OK();
}

void HttpServer::Stop() {
  if (!started_) return;
  started_ = false;
  net::post(workers_[0]->ioc, [this] {
    boost::system::error_code ec;
    acceptor_->close(ec);
  });
  for (auto& w : workers_) {
    w->guard.reset();
    w->ioc.stop();
  }
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
  acceptor_.reset();
  for (size_t i = 0; i < workers_.size(); ++i) handler_->OnWorkerStop(static_cast<int>(i));
  workers_.clear();  // destroys the io_contexts and with them every suspended session
}

net::awaitable<void> HttpServer::Accept() {
  size_t next = 0;
  for (;;) {
    int index = static_cast<int>(next++ % workers_.size());
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_->async_accept(
        workers_[index]->ioc, net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      if (ec == net::error::operation_aborted || !acceptor_->is_open()) co_return;
      continue;  // e.g. EMFILE: keep serving the connections we have
    }
    socket.set_option(tcp::no_delay(true), ec);
    net::co_spawn(workers_[index]->ioc, Session(std::move(socket), index),
                  [](std::exception_ptr e) { LogException(e); });
  }
}

net::awaitable<void> HttpServer::Session(tcp::socket socket, int worker) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(options_.max_body_bytes);
    parser.header_limit(64 * 1024);
    stream.expires_after(options_.idle_timeout);
    boost::system::error_code ec;
    co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      break;
    }
    if (ec == http::error::body_limit) {
      co_await WriteError(
          stream, 11, 413,
          "request body exceeds the limit of " + std::to_string(options_.max_body_bytes) + " bytes",
          "invalid_request_error", "request_too_large", false);
      break;
    }
    if (ec) {
      co_await WriteError(stream, 11, 400, "malformed HTTP request: " + ec.message(),
                          "invalid_request_error", "bad_http_request", false);
      break;
    }
    stream.expires_never();
    HttpRequest req = parser.release();
    bool keep = co_await handler_->Handle(req, stream, worker);
    if (!keep || !req.keep_alive()) break;
  }
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

net::awaitable<bool> WriteResponse(
    beast::tcp_stream& stream, unsigned version, int status, std::string_view content_type,
    std::string body, bool keep_alive,
    const std::vector<std::pair<std::string_view, std::string>>& headers) {
  http::response<http::string_body> res{static_cast<http::status>(status), version};
  res.set(http::field::server, "vsr-router");
  res.set(http::field::content_type, content_type);
  for (const auto& [name, value] : headers) {
    if (!value.empty()) res.set(name, value);
  }
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  boost::system::error_code ec;
  stream.expires_after(std::chrono::seconds(30));
  co_await http::async_write(stream, res, net::redirect_error(net::use_awaitable, ec));
  stream.expires_never();
  co_return !ec;
}

net::awaitable<bool> WriteError(beast::tcp_stream& stream, unsigned version, int status,
                                std::string_view message, std::string_view type,
                                std::string_view code, bool keep_alive) {
  bool ok = co_await WriteResponse(stream, version, status, "application/json",
                                   router::ErrorBody(message, type, code), keep_alive);
  co_return ok&& keep_alive;
}

}  // namespace vsr::server
