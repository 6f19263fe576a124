// TestServer: an in-process HTTP/1.1 server (Boost.Beast) on a free loopback port, for the
// load generator's tests. It answers every request after an optional delay, with a fixed
// status and a small JSON body, or misbehaves on purpose (reset, silence) so the tests can
// check how errors are classified. Runs its own event loop thread; thread-safe counters.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace vsr::e2e {

class TestServer {
 public:
  enum class Mode {
    kRespond,       // answer after `delay` with `status`
    kCloseNoReply,  // read the request, then close the connection without answering
    kNeverReply,    // read the request and stay silent
  };
  struct Options {
    Mode mode = Mode::kRespond;
    std::chrono::milliseconds delay{0};
    int status = 200;
    bool keep_alive = true;
    bool cache_hit = false;  // add "x-vsr-cache-hit: true" to every response
  };

  explicit TestServer(Options options);
  ~TestServer();  // stops the loop and joins the thread
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  uint16_t port() const;
  uint64_t requests() const;         // requests read
  uint64_t connections() const;      // connections accepted
  uint64_t bytes_of_bodies() const;  // request body bytes read

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::e2e
