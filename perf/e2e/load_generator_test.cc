#include "perf/e2e/load_generator.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>

#include "perf/e2e/load_pattern.h"
#include "perf/e2e/test_server.h"

namespace vsr::e2e {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

std::vector<nanoseconds> Constant(double qps, nanoseconds duration) {
  LoadPattern p;
  p.name = "constant";
  p.qps = qps;
  p.duration = duration;
  return *BuildSchedule(p, 1000000);
}

LoadRunOptions OptionsFor(uint16_t port, std::vector<nanoseconds> schedule) {
  LoadRunOptions o;
  o.target = *ParseLoopbackUrl("http://127.0.0.1:" + std::to_string(port) + "/v1/chat");
  o.schedule = std::move(schedule);
  o.bodies = {R"({"model":"auto","messages":[{"role":"user","content":"hi"}]})"};
  o.timeout = 2000ms;
  o.max_run_time = 20s;
  return o;
}

uint64_t Errors(const LoadRunResult& r, ErrorKind k) { return r.errors[static_cast<size_t>(k)]; }

double Ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }

TEST(LoadGeneratorTest, ConstantRateAgainstAFastServer) {
  TestServer server({});
  auto o = OptionsFor(server.port(), Constant(200, 1s));
  auto r = RunLoad(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->scheduled, 200u);
  EXPECT_EQ(r->sent, 200u);
  EXPECT_EQ(r->ok, 200u);
  EXPECT_EQ(r->total_errors(), 0u);
  EXPECT_EQ(server.requests(), 200u);
  EXPECT_EQ(server.bytes_of_bodies(), 200u * o.bodies[0].size());
  EXPECT_DOUBLE_EQ(r->success_rate(), 1.0);
  EXPECT_EQ(r->status_counts.at(200), 200u);
  EXPECT_NEAR(r->achieved_qps(), 200, 20);
  EXPECT_EQ(r->latency.count(), 200u);
  // Keep-alive: a fast server needs few connections.
  EXPECT_LT(server.connections(), 20u);
  ASSERT_EQ(r->timeline.size(), 1u);
  EXPECT_EQ(r->timeline[0].ok, 200u);
}

TEST(LoadGeneratorTest, SlowResponsesDoNotDelayLaterSends) {
  // 100 requests over 1 s against a server that takes 300 ms each: a closed-loop client on
  // one connection would need 30 s; open-loop finishes in about 1.3 s on ~30 connections.
  TestServer server({.delay = 300ms});
  auto start = std::chrono::steady_clock::now();
  auto r = RunLoad(OptionsFor(server.port(), Constant(100, 1s)));
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ok, 100u);
  EXPECT_LT(took, 5s);
  EXPECT_GE(server.connections(), 20u);
  EXPECT_GE(Ms(r->latency.ValueAtQuantile(0.5)), 299.0);
  EXPECT_LT(Ms(r->latency.ValueAtQuantile(0.5)), 1000.0);
  EXPECT_LT(Ms(r->send_lag.ValueAtQuantile(0.99)), 200.0);
}

TEST(LoadGeneratorTest, LatencyCountsFromTheScheduledTimeWhenRequestsQueue) {
  // One connection, 50 ms service time, 40 sends in 0.4 s: the requests queue behind each
  // other and the last one finishes ~2 s after its scheduled time. A generator that timed
  // from the actual send would report ~50 ms for all of them (coordinated omission).
  TestServer server({.delay = 50ms});
  auto o = OptionsFor(server.port(), Constant(100, 400ms));
  o.max_connections = 1;
  o.timeout = 5000ms;
  auto r = RunLoad(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->ok, 40u);
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_GT(Ms(r->latency.max()), 1200.0);
  EXPECT_GT(Ms(r->latency.ValueAtQuantile(0.5)), 500.0);
  EXPECT_GT(Ms(r->send_lag.max()), 1000.0);
}

TEST(LoadGeneratorTest, HttpErrorStatusesAreCountedByCode) {
  TestServer server({.status = 503});
  auto r = RunLoad(OptionsFor(server.port(), Constant(100, 300ms)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ok, 0u);
  EXPECT_EQ(Errors(*r, ErrorKind::kHttpStatus), 30u);
  EXPECT_EQ(r->status_counts.at(503), 30u);
  EXPECT_EQ(r->latency.count(), 0u);
  EXPECT_EQ(r->success_rate(), 0.0);
}

TEST(LoadGeneratorTest, ConnectionRefusedIsAConnectError) {
  uint16_t port;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }  // closed: nothing listens there now
  auto o = OptionsFor(port, Constant(100, 200ms));
  o.warm_connections = 4;
  auto r = RunLoad(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Errors(*r, ErrorKind::kConnect), 20u);
  EXPECT_EQ(r->sent, 0u);
  EXPECT_EQ(r->ok, 0u);
}

TEST(LoadGeneratorTest, SilentServerGivesTimeouts) {
  TestServer server({.mode = TestServer::Mode::kNeverReply});
  auto o = OptionsFor(server.port(), Constant(50, 200ms));
  o.timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  auto r = RunLoad(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Errors(*r, ErrorKind::kTimeout), 10u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(LoadGeneratorTest, ClosedConnectionsAreResets) {
  TestServer server({.mode = TestServer::Mode::kCloseNoReply});
  auto r = RunLoad(OptionsFor(server.port(), Constant(50, 200ms)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Errors(*r, ErrorKind::kReset), 10u);
  EXPECT_EQ(r->ok, 0u);
}

TEST(LoadGeneratorTest, ServerClosingAfterEachResponseIsNotAnError) {
  TestServer server({.keep_alive = false});
  auto r = RunLoad(OptionsFor(server.port(), Constant(100, 300ms)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ok, 30u);
  EXPECT_EQ(r->total_errors(), 0u);
  EXPECT_EQ(server.connections(), 30u);
}

TEST(LoadGeneratorTest, MaxRunTimeBoundsTheRun) {
  TestServer server({.mode = TestServer::Mode::kNeverReply});
  auto o = OptionsFor(server.port(), Constant(10, 5s));
  o.timeout = 10000ms;
  o.max_run_time = 500ms;
  auto start = std::chrono::steady_clock::now();
  auto r = RunLoad(o);
  ASSERT_TRUE(r.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(r->aborted);
  EXPECT_GT(r->unsent, 30u);
  EXPECT_EQ(r->unsent + r->scheduled, 50u);
  EXPECT_EQ(Errors(*r, ErrorKind::kTimeout), r->sent);
}

TEST(LoadGeneratorTest, SeveralThreadsShareTheSchedule) {
  TestServer server({.delay = 5ms});
  auto o = OptionsFor(server.port(), Constant(400, 500ms));
  o.threads = 2;
  o.warm_connections = 8;
  auto r = RunLoad(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->scheduled, 200u);
  EXPECT_EQ(r->ok, 200u);
  EXPECT_EQ(server.requests(), 200u);
  EXPECT_GE(r->connections_opened, 8u);
}

TEST(LoadGeneratorTest, CountsCacheHitsFromTheResponseHeader) {
  TestServer hits({.cache_hit = true});
  auto r = RunLoad(OptionsFor(hits.port(), Constant(100, 200ms)));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->cache_hits, 20u);
  EXPECT_EQ(r->latency.count(), 20u);
  EXPECT_EQ(r->latency_uncached.count(), 0u);
  TestServer misses({});
  auto m = RunLoad(OptionsFor(misses.port(), Constant(100, 200ms)));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->ok, 20u);
  EXPECT_EQ(m->cache_hits, 0u);
  EXPECT_EQ(m->latency_uncached.count(), 20u);
}

TEST(LoadGeneratorTest, GetWithoutBody) {
  TestServer server({});
  auto o = OptionsFor(server.port(), Constant(100, 100ms));
  o.method = "GET";
  o.bodies.clear();
  auto r = RunLoad(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ok, 10u);
  EXPECT_EQ(server.bytes_of_bodies(), 0u);
}

TEST(LoadGeneratorTest, RejectsUnusableOptions) {
  LoadRunOptions o = OptionsFor(8080, {});
  EXPECT_FALSE(RunLoad(o).ok());  // empty schedule
  o.schedule = {1ms, 0ms};
  EXPECT_FALSE(RunLoad(o).ok());  // not sorted
  o.schedule = {0ms};
  o.method = "DELETE";
  EXPECT_FALSE(RunLoad(o).ok());
  o.method = "POST";
  o.max_connections = 0;
  EXPECT_FALSE(RunLoad(o).ok());
  o.max_connections = 1;
  o.target.host = "10.0.0.1";
  EXPECT_FALSE(RunLoad(o).ok());
}

TEST(ParseLoopbackUrlTest, AcceptsLoopbackOnly) {
  auto a = ParseLoopbackUrl("http://127.0.0.1:8801/v1/chat/completions");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8801);
  EXPECT_EQ(a->path, "/v1/chat/completions");
  auto b = ParseLoopbackUrl("http://localhost:80");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "127.0.0.1");
  EXPECT_EQ(b->path, "/");
  auto c = ParseLoopbackUrl("http://[::1]:9000/x?y=1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->HostHeader(), "[::1]:9000");
  EXPECT_EQ(c->path, "/x?y=1");
  EXPECT_TRUE(ParseLoopbackUrl("http://127.5.5.5:1/").ok());
  for (const char* bad : {"https://127.0.0.1:443/", "http://10.0.0.1:80/", "http://example.com:80/",
                          "http://127.0.0.1/", "http://127.0.0.1:0/", "http://127.0.0.1:70000/",
                          "http://127.0.0.1:8a/", "127.0.0.1:80", "http://[::1/", ""}) {
    EXPECT_FALSE(ParseLoopbackUrl(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace vsr::e2e
