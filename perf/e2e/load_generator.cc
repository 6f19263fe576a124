#include "perf/e2e/load_generator.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <deque>
#include <future>
#include <latch>
#include <memory>
#include <optional>
#include <thread>

namespace vsr::e2e {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::nanoseconds;

constexpr uint64_t kBodyLimit = 64 << 20;

uint64_t Nanos(Clock::duration d) {
  return static_cast<uint64_t>(
      std::max<int64_t>(0, std::chrono::duration_cast<nanoseconds>(d).count()));
}

ErrorKind Classify(const beast::error_code& ec, bool connecting, bool aborted) {
  if (ec == beast::error::timeout) return ErrorKind::kTimeout;
  if (aborted && ec == net::error::operation_aborted) return ErrorKind::kTimeout;
  if (connecting) return ErrorKind::kConnect;
  if (ec == net::error::connection_reset || ec == net::error::broken_pipe ||
      ec == net::error::eof || ec == net::error::connection_aborted ||
      ec == http::error::end_of_stream || ec == http::error::partial_message) {
    return ErrorKind::kReset;
  }
  return ErrorKind::kOther;
}

// One event loop with its share of the schedule (requests first, first + stride, ...).
class Worker {
 public:
  Worker(const LoadRunOptions& options, tcp::endpoint endpoint, http::verb verb, size_t first,
         size_t stride, size_t max_connections)
      : options_(options),
        endpoint_(endpoint),
        verb_(verb),
        first_(first),
        stride_(stride),
        max_connections_(std::max<size_t>(1, max_connections)),
        timer_(ioc_),
        guard_(ioc_) {
    const auto& schedule = options_.schedule;
    count_ = schedule.size() > first_ ? (schedule.size() - first_ + stride_ - 1) / stride_ : 0;
    const auto bucket = std::max<int64_t>(1, options_.timeline_bucket.count()) * 1000000;
    size_t buckets = schedule.empty() ? 0 : schedule.back().count() / bucket + 1;
    result_.timeline.resize(buckets);
    result_.timeline_bucket = options_.timeline_bucket;
    bucket_ns_ = bucket;
  }

  // Opens up to `n` connections synchronously, before the clock starts.
  void Warm(size_t n) {
    n = std::min(n, max_connections_);
    for (size_t i = 0; i < n; ++i) {
      auto conn = NewConnection();
      beast::error_code ec;
      conn->stream.socket().connect(endpoint_, ec);
      if (ec) {
        conn->stream.socket().close(ec);
        idle_closed_.push_back(conn);
        break;  // the server is not there: the run will count connect errors
      }
      conn->stream.socket().set_option(tcp::no_delay(true), ec);
      conn->connected = true;
      idle_connected_.push_back(conn);
    }
  }

  void Run(Clock::time_point start) {
    start_ = start;
    last_completion_ = start;
    guard_.expires_at(start + options_.max_run_time);
    guard_.async_wait([this](beast::error_code ec) {
      if (!ec) Abort();
    });
    ScheduleNext();
    ioc_.run();
  }

  LoadRunResult& result() { return result_; }
  Clock::time_point last_completion() const { return last_completion_; }

 private:
  struct Connection {
    explicit Connection(net::io_context& ioc) : stream(ioc) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::span_body<const char>> request;
    std::optional<http::response_parser<http::string_body>> parser;
    bool connected = false;
    bool busy = false;
    size_t index = 0;
    Clock::time_point scheduled;
    Clock::time_point deadline;
  };

  Connection* NewConnection() {
    connections_.push_back(std::make_unique<Connection>(ioc_));
    ++result_.connections_opened;
    result_.peak_connections = std::max<uint64_t>(result_.peak_connections, connections_.size());
    return connections_.back().get();
  }

  size_t IndexOf(size_t k) const { return first_ + k * stride_; }
  Clock::time_point ScheduledAt(size_t index) const { return start_ + options_.schedule[index]; }

  void ScheduleNext() {
    if (stopped_) return;
    const Clock::time_point now = Clock::now();
    while (next_ < count_ && ScheduledAt(IndexOf(next_)) <= now) Dispatch(IndexOf(next_++));
    if (next_ < count_) {
      timer_.expires_at(ScheduledAt(IndexOf(next_)));
      timer_.async_wait([this](beast::error_code ec) {
        if (!ec) ScheduleNext();
      });
    } else {
      MaybeFinish();
    }
  }

  void Dispatch(size_t index) {
    ++result_.scheduled;
    TimelineBucket& bucket = BucketOf(index);
    ++bucket.scheduled;
    Connection* conn = nullptr;
    if (!idle_connected_.empty()) {
      conn = idle_connected_.back();
      idle_connected_.pop_back();
    } else if (!idle_closed_.empty()) {
      conn = idle_closed_.back();
      idle_closed_.pop_back();
    } else if (connections_.size() < max_connections_) {
      conn = NewConnection();
    } else {
      pending_.push_back(index);
      return;
    }
    Start(conn, index);
  }

  TimelineBucket& BucketOf(size_t index) {
    size_t b = static_cast<size_t>(options_.schedule[index].count() / bucket_ns_);
    return result_.timeline[std::min(b, result_.timeline.size() - 1)];
  }

  void Start(Connection* conn, size_t index) {
    conn->busy = true;
    conn->index = index;
    conn->scheduled = ScheduledAt(index);
    conn->deadline = Clock::now() + options_.timeout;
    ++in_flight_;
    if (conn->connected) {
      Write(conn);
      return;
    }
    conn->stream.expires_at(conn->deadline);
    conn->stream.async_connect(endpoint_, [this, conn](beast::error_code ec) {
      if (ec) return Fail(conn, ec, /*connecting=*/true);
      beast::error_code ignored;
      conn->stream.socket().set_option(tcp::no_delay(true), ignored);
      conn->connected = true;
      Write(conn);
    });
  }

  void Write(Connection* conn) {
    const Clock::time_point now = Clock::now();
    result_.send_lag.Record(Nanos(now - conn->scheduled));
    ++result_.sent;
    auto& req = conn->request;
    req.method(verb_);
    req.target(options_.target.path);
    req.version(11);
    req.set(http::field::host, options_.target.HostHeader());
    req.set(http::field::user_agent, "vsr-loadgen");
    req.keep_alive(true);
    for (const auto& [name, value] : options_.headers) req.set(name, value);
    if (options_.bodies.empty()) {
      req.body() = {};
      req.erase(http::field::content_type);
    } else {
      const std::string& body = options_.bodies[conn->index % options_.bodies.size()];
      req.body() = {body.data(), body.size()};
      req.set(http::field::content_type, options_.content_type);
    }
    req.prepare_payload();
    conn->stream.expires_at(conn->deadline);
    http::async_write(conn->stream, req, [this, conn](beast::error_code ec, size_t) {
      if (ec) return Fail(conn, ec, false);
      Read(conn);
    });
  }

  void Read(Connection* conn) {
    conn->parser.emplace();
    conn->parser->body_limit(kBodyLimit);
    conn->stream.expires_at(conn->deadline);
    http::async_read(conn->stream, conn->buffer, *conn->parser,
                     [this, conn](beast::error_code ec, size_t) {
                       if (ec) return Fail(conn, ec, false);
                       OnResponse(conn);
                     });
  }

  void OnResponse(Connection* conn) {
    const Clock::time_point now = Clock::now();
    last_completion_ = std::max(last_completion_, now);
    const auto& res = conn->parser->get();
    const int status = static_cast<int>(res.result_int());
    ++result_.status_counts[status];
    TimelineBucket& bucket = BucketOf(conn->index);
    if (status >= 200 && status < 300) {
      const uint64_t latency = Nanos(now - conn->scheduled);
      ++result_.ok;
      ++bucket.ok;
      bool cache_hit = false;
      if (!options_.hit_header.empty()) {
        auto hit = res.find(options_.hit_header);
        cache_hit = hit != res.end() && hit->value() == "true";
      }
      if (cache_hit) {
        ++result_.cache_hits;
      } else {
        result_.latency_uncached.Record(latency);
      }
      result_.latency.Record(latency);
      bucket.latency.Record(latency);
    } else {
      ++result_.errors[static_cast<size_t>(ErrorKind::kHttpStatus)];
      ++bucket.errors;
    }
    if (!res.keep_alive()) Close(conn);
    conn->parser.reset();
    Release(conn);
  }

  void Fail(Connection* conn, const beast::error_code& ec, bool connecting) {
    last_completion_ = std::max(last_completion_, Clock::now());
    ++result_.errors[static_cast<size_t>(Classify(ec, connecting, stopped_))];
    ++BucketOf(conn->index).errors;
    Close(conn);
    Release(conn);
  }

  void Close(Connection* conn) {
    beast::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    conn->stream.socket().close(ignored);
    conn->connected = false;
    conn->buffer.clear();
  }

  void Release(Connection* conn) {
    conn->busy = false;
    --in_flight_;
    if (!pending_.empty() && !stopped_) {
      size_t index = pending_.front();
      pending_.pop_front();
      Start(conn, index);
      return;
    }
    (conn->connected ? idle_connected_ : idle_closed_).push_back(conn);
    MaybeFinish();
  }

  void MaybeFinish() {
    if (next_ < count_ || in_flight_ > 0 || !pending_.empty() || finished_) return;
    finished_ = true;
    guard_.cancel();
    for (auto& conn : connections_) Close(conn.get());
  }

  // max_run_time reached: stop sending, cancel everything in flight (counted as timeouts).
  void Abort() {
    stopped_ = true;
    result_.aborted = true;
    result_.unsent += (count_ - next_) + pending_.size();
    next_ = count_;
    pending_.clear();
    timer_.cancel();
    for (auto& conn : connections_) {
      if (conn->busy) conn->stream.cancel();
    }
    MaybeFinish();
  }

  const LoadRunOptions& options_;
  const tcp::endpoint endpoint_;
  const http::verb verb_;
  const size_t first_, stride_, max_connections_;
  net::io_context ioc_{1};
  net::steady_timer timer_;
  net::steady_timer guard_;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<Connection*> idle_connected_;
  std::vector<Connection*> idle_closed_;
  std::deque<size_t> pending_;
  size_t count_ = 0;
  size_t next_ = 0;
  size_t in_flight_ = 0;
  bool stopped_ = false;
  bool finished_ = false;
  int64_t bucket_ns_ = 1;
  Clock::time_point start_;
  Clock::time_point last_completion_;
  LoadRunResult result_;
};

void MergeInto(LoadRunResult& into, const LoadRunResult& from) {
  into.scheduled += from.scheduled;
  into.sent += from.sent;
  into.unsent += from.unsent;
  into.ok += from.ok;
  into.cache_hits += from.cache_hits;
  for (size_t i = 0; i < kErrorKindCount; ++i) into.errors[i] += from.errors[i];
  for (const auto& [status, n] : from.status_counts) into.status_counts[status] += n;
  into.latency.Merge(from.latency);
  into.latency_uncached.Merge(from.latency_uncached);
  into.send_lag.Merge(from.send_lag);
  if (into.timeline.size() < from.timeline.size()) into.timeline.resize(from.timeline.size());
  for (size_t i = 0; i < from.timeline.size(); ++i) {
    into.timeline[i].scheduled += from.timeline[i].scheduled;
    into.timeline[i].ok += from.timeline[i].ok;
    into.timeline[i].errors += from.timeline[i].errors;
    into.timeline[i].latency.Merge(from.timeline[i].latency);
  }
  into.connections_opened += from.connections_opened;
  into.peak_connections += from.peak_connections;
  into.aborted = into.aborted || from.aborted;
}

}  // namespace

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnect:
      return "connect";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kHttpStatus:
      return "http_status";
    case ErrorKind::kReset:
      return "reset";
    case ErrorKind::kOther:
      return "other";
  }
  return "unknown";
}

uint64_t LoadRunResult::total_errors() const {
  uint64_t n = 0;
  for (uint64_t e : errors) n += e;
  return n;
}

double LoadRunResult::success_rate() const {
  return scheduled == 0 ? 0.0 : static_cast<double>(ok) / static_cast<double>(scheduled);
}

double LoadRunResult::achieved_qps() const {
  double span = std::max(schedule_span_s, wall_s);
  return span <= 0 ? static_cast<double>(ok) : static_cast<double>(ok) / span;
}

double LoadRunResult::offered_qps() const {
  return schedule_span_s <= 0 ? static_cast<double>(scheduled)
                              : static_cast<double>(scheduled) / schedule_span_s;
}

StatusOr<LoadRunResult> RunLoad(const LoadRunOptions& options) {
  if (options.schedule.empty()) return Status::InvalidArgument("empty schedule");
  if (!std::is_sorted(options.schedule.begin(), options.schedule.end()) ||
      options.schedule.front() < nanoseconds(0)) {
    return Status::InvalidArgument("schedule must be non-decreasing offsets >= 0");
  }
  http::verb verb = http::string_to_verb(options.method);
  if (verb != http::verb::get && verb != http::verb::post) {
    return Status::InvalidArgument("method must be GET or POST, got '" + options.method + "'");
  }
  if (options.max_connections == 0) return Status::InvalidArgument("max_connections is 0");
  if (options.threads < 1 || options.threads > 64) {
    return Status::InvalidArgument("threads must be in [1, 64]");
  }
  if (options.timeout.count() <= 0 || options.max_run_time.count() <= 0) {
    return Status::InvalidArgument("timeout and max_run_time must be positive");
  }
  boost::system::error_code ec;
  auto address = net::ip::make_address(options.target.host, ec);
  if (ec || !address.is_loopback() || options.target.port == 0) {
    return Status::InvalidArgument("target must be a loopback address and port, got '" +
                                   options.target.HostHeader() + "'");
  }
  const tcp::endpoint endpoint(address, options.target.port);
  const size_t threads = std::min<size_t>(options.threads, options.schedule.size());

  std::vector<std::unique_ptr<Worker>> workers;
  for (size_t t = 0; t < threads; ++t) {
    workers.push_back(std::make_unique<Worker>(options, endpoint, verb, t, threads,
                                               (options.max_connections + threads - 1) / threads));
  }
  std::latch warmed(static_cast<ptrdiff_t>(threads));
  std::promise<Clock::time_point> go;
  std::shared_future<Clock::time_point> start = go.get_future().share();
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      workers[t]->Warm((options.warm_connections + threads - 1) / threads);
      warmed.count_down();
      workers[t]->Run(start.get());
    });
  }
  warmed.wait();
  const Clock::time_point t0 = Clock::now() + std::chrono::milliseconds(5);
  go.set_value(t0);
  for (auto& th : pool) th.join();

  LoadRunResult out;
  out.timeline_bucket = options.timeline_bucket;
  Clock::time_point last = t0;
  for (auto& w : workers) {
    MergeInto(out, w->result());
    last = std::max(last, w->last_completion());
  }
  out.schedule_span_s = std::chrono::duration<double>(
                            options.span > nanoseconds(0) ? options.span : options.schedule.back())
                            .count();
  out.wall_s = std::chrono::duration<double>(last - t0).count();
  return out;
}

}  // namespace vsr::e2e
