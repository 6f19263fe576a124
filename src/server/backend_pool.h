// BackendPool: keep-alive connections to backends, for one worker thread.
//
// Acquire() returns an idle connection to host:port when there is one (most recently used
// first), else connects with a timeout; with `fresh` it always connects and first drops the
// backend's idle connections (after a reused one turned out closed, the older ones are at
// least as stale: the backend's idle timeout closed them all). Release() gives a connection back
// after a complete exchange whose response allowed keep-alive; at most `max_idle_per_backend` idle
// connections are kept per backend. Not thread-safe by design: each HttpServer worker owns
// one pool, used only on that worker's thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace vsr::server {

namespace net = boost::asio;
namespace beast = boost::beast;

struct PooledConnection {
  std::unique_ptr<beast::tcp_stream> stream;
  bool reused = false;  // came from the idle list (the backend may have closed it meanwhile)
};

struct BackendPoolStats {
  uint64_t connects = 0;
  uint64_t reuses = 0;
};

class BackendPool {
 public:
  explicit BackendPool(net::io_context& ioc, size_t max_idle_per_backend = 64);

  // Unavailable when the backend cannot be resolved or refuses; DeadlineExceeded after
  // `connect_timeout`.
  net::awaitable<StatusOr<PooledConnection>> Acquire(const std::string& host, uint16_t port,
                                                     std::chrono::milliseconds connect_timeout,
                                                     bool fresh = false);
  void Release(const std::string& host, uint16_t port, std::unique_ptr<beast::tcp_stream> conn);

  const BackendPoolStats& stats() const { return stats_; }
  size_t idle(const std::string& host, uint16_t port) const;

 private:
  static std::string Key(const std::string& host, uint16_t port);
  net::io_context& ioc_;
  size_t max_idle_;
  std::unordered_map<std::string, std::vector<std::unique_ptr<beast::tcp_stream>>> idle_;
  BackendPoolStats stats_;
};

}  // namespace vsr::server
