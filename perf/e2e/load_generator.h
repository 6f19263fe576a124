// RunLoad: an open-loop HTTP/1.1 load generator (Boost.Asio/Beast).
//
// Requests leave at the times of a fixed schedule (see load_pattern.h) whatever the server
// does: when no idle keep-alive connection is free, a new one is opened, so a slow response
// never delays the next send. Latency is measured from the *scheduled* send time to the end
// of the response, so any queueing -- in the server or in the generator itself -- shows up
// in the numbers (no coordinated omission). Only when `max_connections` is reached do
// requests wait for a connection, and that wait is counted in their latency too.
//
// Every run is bounded: by the schedule's length (capped by the caller), a per-request
// timeout, and `max_run_time` for the whole run including the drain; requests still
// unanswered then are counted as timeouts, requests never sent as `unsent`.
// Errors are counted by kind: connect, timeout, HTTP status (non-2xx), reset (the peer
// closed or reset the connection mid-exchange) and other.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "perf/e2e/histogram.h"
#include "perf/e2e/http_target.h"

namespace vsr::e2e {

enum class ErrorKind : int { kConnect = 0, kTimeout, kHttpStatus, kReset, kOther };
inline constexpr size_t kErrorKindCount = 5;
// "connect", "timeout", "http_status", "reset", "other".
std::string_view ErrorKindName(ErrorKind kind);

struct LoadRunOptions {
  HttpTarget target;
  std::string method = "POST";  // POST or GET
  // Request bodies, used in turn (request i sends bodies[i % size]); empty sends no body.
  std::vector<std::string> bodies;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // Responses whose header of this name says "true" are counted as cache hits ("" = off).
  std::string hit_header = "x-vsr-cache-hit";
  // Send offsets from the start of the run, non-decreasing.
  std::vector<std::chrono::nanoseconds> schedule;
  // The pattern's duration, for rates; 0 means the last scheduled offset.
  std::chrono::nanoseconds span{0};
  std::chrono::milliseconds timeout{5000};  // per request, connect included
  size_t max_connections = 4096;
  size_t warm_connections = 0;  // opened before the clock starts (not measured)
  int threads = 1;              // each with its own event loop and share of the schedule
  std::chrono::milliseconds max_run_time{std::chrono::minutes(15)};
  std::chrono::milliseconds timeline_bucket{1000};
};

// Requests grouped by the time they were scheduled, for "latency over time".
struct TimelineBucket {
  uint64_t scheduled = 0;
  uint64_t ok = 0;
  uint64_t errors = 0;
  LatencyHistogram latency{5};  // successful requests, ns; coarser than the run's histogram
};

struct LoadRunResult {
  uint64_t scheduled = 0;   // requests in the schedule
  uint64_t sent = 0;        // requests whose write started
  uint64_t unsent = 0;      // never sent (run aborted at max_run_time)
  uint64_t ok = 0;          // 2xx responses
  uint64_t cache_hits = 0;  // 2xx responses flagged by options.hit_header
  std::array<uint64_t, kErrorKindCount> errors{};
  std::map<int, uint64_t> status_counts;  // every HTTP status received
  LatencyHistogram latency;               // successful requests, ns from the scheduled time
  LatencyHistogram latency_uncached;      // the successful requests not flagged as cache hits
  LatencyHistogram send_lag;              // actual write start - scheduled time, ns
  std::vector<TimelineBucket> timeline;
  std::chrono::milliseconds timeline_bucket{1000};
  double schedule_span_s = 0;  // options.span, else the last scheduled offset
  double wall_s = 0;           // run start -> last completion
  uint64_t connections_opened = 0;
  uint64_t peak_connections = 0;
  bool aborted = false;  // stopped by max_run_time

  uint64_t total_errors() const;
  // ok / scheduled (0 when nothing was scheduled).
  double success_rate() const;
  // Successful responses per second of max(schedule span, wall time).
  double achieved_qps() const;
  // Requests scheduled per second of the schedule span.
  double offered_qps() const;
};

// Runs the schedule against the target. Fails only on unusable options (empty schedule,
// bad method, zero connections...); server trouble is reported in the result.
StatusOr<LoadRunResult> RunLoad(const LoadRunOptions& options);

}  // namespace vsr::e2e
