#include "perf/e2e/test_server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <thread>

namespace vsr::e2e {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct TestServer::Impl {
  explicit Impl(Options o)
      : options(o),
        acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0}),
        port(acceptor.local_endpoint().port()) {}

  struct Session : std::enable_shared_from_this<Session> {
    Session(Impl* impl, tcp::socket socket)
        : impl(impl), stream(std::move(socket)), timer(stream.get_executor()) {}
    void Read() {
      request = {};
      http::async_read(stream, buffer, request,
                       [self = shared_from_this()](beast::error_code ec, size_t) {
                         if (!ec) self->OnRequest();
                       });
    }
    void OnRequest() {
      impl->requests.fetch_add(1);
      impl->body_bytes.fetch_add(request.body().size());
      switch (impl->options.mode) {
        case Mode::kCloseNoReply: {
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
          stream.socket().close(ignored);
          return;
        }
        case Mode::kNeverReply:
          impl->silent.push_back(shared_from_this());  // keep the socket open
          return;
        case Mode::kRespond:
          break;
      }
      timer.expires_after(impl->options.delay);
      timer.async_wait([self = shared_from_this()](beast::error_code) { self->Reply(); });
    }
    void Reply() {
      response = {};
      response.result(impl->options.status);
      response.version(11);
      response.set(http::field::content_type, "application/json");
      if (impl->options.cache_hit) response.set("x-vsr-cache-hit", "true");
      response.body() = R"({"id":"test","object":"chat.completion","choices":[]})";
      response.keep_alive(impl->options.keep_alive && request.keep_alive());
      response.prepare_payload();
      http::async_write(stream, response,
                        [self = shared_from_this()](beast::error_code ec, size_t) {
                          if (ec) return;
                          if (!self->response.keep_alive()) {
                            beast::error_code ignored;
                            self->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                            return;
                          }
                          self->Read();
                        });
    }
    Impl* impl;
    beast::tcp_stream stream;
    net::steady_timer timer;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::string_body> response;
  };

  void Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;
      connections.fetch_add(1);
      std::make_shared<Session>(this, std::move(socket))->Read();
      Accept();
    });
  }

  Options options;
  net::io_context ioc{1};
  tcp::acceptor acceptor;
  const uint16_t port;
  std::vector<std::shared_ptr<Session>> silent;  // loop thread only
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> connections{0};
  std::atomic<uint64_t> body_bytes{0};
  std::thread thread;
};

TestServer::TestServer(Options options) : impl_(std::make_unique<Impl>(options)) {
  impl_->Accept();
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

TestServer::~TestServer() {
  impl_->ioc.stop();
  impl_->thread.join();
  impl_->silent.clear();
}

uint16_t TestServer::port() const { return impl_->port; }
uint64_t TestServer::requests() const { return impl_->requests.load(); }
uint64_t TestServer::connections() const { return impl_->connections.load(); }
uint64_t TestServer::bytes_of_bodies() const { return impl_->body_bytes.load(); }

}  // namespace vsr::e2e
