#include "server/backend_pool.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace vsr::server {

using net::ip::tcp;

BackendPool::BackendPool(net::io_context& ioc, size_t max_idle_per_backend)
    : ioc_(ioc), max_idle_(max_idle_per_backend) {}

std::string BackendPool::Key(const std::string& host, uint16_t port) {
  return host + ":" + std::to_string(port);
}

size_t BackendPool::idle(const std::string& host, uint16_t port) const {
  auto it = idle_.find(Key(host, port));
  return it == idle_.end() ? 0 : it->second.size();
}

net::awaitable<StatusOr<PooledConnection>> BackendPool::Acquire(
    const std::string& host, uint16_t port, std::chrono::milliseconds connect_timeout, bool fresh) {
  auto it = idle_.find(Key(host, port));
  if (fresh && it != idle_.end()) {
    it->second.clear();  // closes them
  } else if (it != idle_.end()) {
    while (!it->second.empty()) {
      std::unique_ptr<beast::tcp_stream> conn = std::move(it->second.back());
      it->second.pop_back();
      if (!conn->socket().is_open()) continue;
      ++stats_.reuses;
      co_return PooledConnection{std::move(conn), true};
    }
  }
  boost::system::error_code ec;
  tcp::resolver resolver(ioc_);
  auto results = co_await resolver.async_resolve(host, std::to_string(port),
                                                 net::redirect_error(net::use_awaitable, ec));
  if (ec) {
    co_return Status::Unavailable("cannot resolve backend " + host + ": " + ec.message());
  }
  auto conn = std::make_unique<beast::tcp_stream>(ioc_);
  conn->expires_after(connect_timeout);
  co_await conn->async_connect(results, net::redirect_error(net::use_awaitable, ec));
  conn->expires_never();
  if (ec == beast::error::timeout) {
    co_return Status::DeadlineExceeded("connecting to backend " + Key(host, port) + " timed out");
  }
  if (ec) {
    co_return Status::Unavailable("cannot connect to backend " + Key(host, port) + ": " +
                                  ec.message());
  }
  conn->socket().set_option(tcp::no_delay(true), ec);
  ++stats_.connects;
  co_return PooledConnection{std::move(conn), false};
}

void BackendPool::Release(const std::string& host, uint16_t port,
                          std::unique_ptr<beast::tcp_stream> conn) {
  if (!conn || !conn->socket().is_open()) return;
  auto& list = idle_[Key(host, port)];
  if (list.size() >= max_idle_) return;  // dropped: closes
  list.push_back(std::move(conn));
}

}  // namespace vsr::server
