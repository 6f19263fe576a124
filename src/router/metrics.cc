#include "router/metrics.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>

namespace vsr::router {

namespace {

// Label values joined by '\x1f' (a byte that escaping never produces).
const std::string& Key(std::initializer_list<std::string_view> values) {
  thread_local std::string key;
  key.clear();
  for (std::string_view v : values) {
    key.append(v);
    key.push_back('\x1f');
  }
  return key;
}

void AppendEscaped(std::string* out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '"') {
      out->append("\\\"");
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}

// {a="x",b="y"} from a key; `extra` is appended as one more label (e.g. le="0.1").
void AppendLabels(std::string* out, const std::vector<std::string>& names, std::string_view key,
                  std::string_view extra = {}) {
  if (names.empty() && extra.empty()) return;
  out->push_back('{');
  size_t pos = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    size_t end = key.find('\x1f', pos);
    if (i > 0) out->push_back(',');
    out->append(names[i]).append("=\"");
    AppendEscaped(out, key.substr(pos, end - pos));
    out->push_back('"');
    pos = end + 1;
  }
  if (!extra.empty()) {
    if (!names.empty()) out->push_back(',');
    out->append(extra);
  }
  out->push_back('}');
}

void AppendHeader(std::string* out, const std::string& name, const std::string& help,
                  std::string_view type) {
  out->append("# HELP ").append(name).append(" ").append(help).append("\n");
  out->append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

std::string FormatDouble(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

template <typename Map>
std::vector<typename Map::const_iterator> Sorted(const Map& m) {
  std::vector<typename Map::const_iterator> its;
  for (auto it = m.begin(); it != m.end(); ++it) its.push_back(it);
  std::sort(its.begin(), its.end(), [](auto a, auto b) { return a->first < b->first; });
  return its;
}

}  // namespace

CounterFamily::CounterFamily(std::string name, std::string help, std::vector<std::string> labels)
    : name_(std::move(name)), help_(std::move(help)), labels_(std::move(labels)) {}

std::atomic<uint64_t>* CounterFamily::Find(std::initializer_list<std::string_view> values) const {
  const std::string& key = Key(values);
  std::shared_lock lock(mu_);
  auto it = series_.find(key);
  return it == series_.end() ? nullptr : it->second.get();
}

void CounterFamily::Inc(std::initializer_list<std::string_view> label_values, uint64_t n) {
  std::atomic<uint64_t>* c = Find(label_values);
  if (c == nullptr) {
    std::unique_lock lock(mu_);
    auto& slot = series_[Key(label_values)];
    if (!slot) slot = std::make_unique<std::atomic<uint64_t>>(0);
    c = slot.get();
  }
  c->fetch_add(n, std::memory_order_relaxed);
}

uint64_t CounterFamily::Value(std::initializer_list<std::string_view> label_values) const {
  std::atomic<uint64_t>* c = Find(label_values);
  return c == nullptr ? 0 : c->load(std::memory_order_relaxed);
}

void CounterFamily::Render(std::string* out) const {
  AppendHeader(out, name_, help_, "counter");
  std::shared_lock lock(mu_);
  for (auto it : Sorted(series_)) {
    out->append(name_);
    AppendLabels(out, labels_, it->first);
    out->push_back(' ');
    out->append(std::to_string(it->second->load(std::memory_order_relaxed)));
    out->push_back('\n');
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> labels, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)),
      bounds_(std::move(bounds)) {}

HistogramFamily::Series* HistogramFamily::Find(
    std::initializer_list<std::string_view> values) const {
  const std::string& key = Key(values);
  std::shared_lock lock(mu_);
  auto it = series_.find(key);
  return it == series_.end() ? nullptr : it->second.get();
}

void HistogramFamily::Observe(std::initializer_list<std::string_view> label_values, double value) {
  Series* s = Find(label_values);
  if (s == nullptr) {
    std::unique_lock lock(mu_);
    auto& slot = series_[Key(label_values)];
    if (!slot) slot = std::make_unique<Series>(bounds_.size());
    s = slot.get();
  }
  size_t b = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                 bounds_.begin());
  s->buckets[b].fetch_add(1, std::memory_order_relaxed);
  s->count.fetch_add(1, std::memory_order_relaxed);
  double micro = value * 1e6;
  s->sum_micro.fetch_add(micro > 0 ? static_cast<uint64_t>(micro) : 0, std::memory_order_relaxed);
}

uint64_t HistogramFamily::Count(std::initializer_list<std::string_view> label_values) const {
  Series* s = Find(label_values);
  return s == nullptr ? 0 : s->count.load(std::memory_order_relaxed);
}

void HistogramFamily::Render(std::string* out) const {
  AppendHeader(out, name_, help_, "histogram");
  std::shared_lock lock(mu_);
  for (auto it : Sorted(series_)) {
    const Series& s = *it->second;
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += s.buckets[i].load(std::memory_order_relaxed);
      std::string le =
          "le=\"" + (i < bounds_.size() ? FormatDouble(bounds_[i]) : std::string("+Inf")) + "\"";
      out->append(name_).append("_bucket");
      AppendLabels(out, labels_, it->first, le);
      out->append(" ").append(std::to_string(cumulative)).append("\n");
    }
    out->append(name_).append("_sum");
    AppendLabels(out, labels_, it->first);
    out->append(" ")
        .append(
            FormatDouble(static_cast<double>(s.sum_micro.load(std::memory_order_relaxed)) / 1e6))
        .append("\n");
    out->append(name_).append("_count");
    AppendLabels(out, labels_, it->first);
    out->append(" ").append(std::to_string(s.count.load(std::memory_order_relaxed))).append("\n");
  }
}

namespace {
std::vector<double> LatencyBounds() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,    0.5,    1,     2.5,    5,     10,   30,    60};
}
}  // namespace

RouterMetrics::RouterMetrics()
    : requests("llm_model_requests_total", "Requests routed, by the model they were sent to.",
               {"model"}),
      routing_changes("llm_model_routing_modifications_total",
                      "Requests whose model the router changed, by requested and chosen model.",
                      {"source_model", "target_model"}),
      decisions("llm_decision_matches_total", "Requests per selected decision.", {"decision"}),
      errors("llm_request_errors_total", "Requests answered with an error, by reason.", {"reason"}),
      cache_hits("llm_cache_hits_total", "Semantic cache hits.", {"model"}),
      cache_misses("llm_cache_misses_total", "Semantic cache misses.", {"model"}),
      fast_responses("llm_fast_responses_total",
                     "Requests answered by a fast_response plugin without a model call.",
                     {"decision"}),
      http_requests("llm_http_requests_total", "HTTP requests served, by path and status.",
                    {"path", "code"}),
      pipeline_latency("llm_router_pipeline_duration_seconds",
                       "Time from request body to routing verdict (parse, signals, decision, "
                       "cache lookup, rewrite).",
                       {}, LatencyBounds()),
      completion_latency("llm_model_completion_latency_seconds",
                         "Backend round trip, request sent to last response byte.", {"model"},
                         LatencyBounds()),
      classifier_latency("llm_classifier_latency_seconds", "Time spent in each classifier.",
                         {"classifier"}, LatencyBounds()) {}

std::string RouterMetrics::Render() const {
  std::string out;
  for (const CounterFamily* c : {&requests, &routing_changes, &decisions, &errors, &cache_hits,
                                 &cache_misses, &fast_responses, &http_requests}) {
    c->Render(&out);
  }
  for (const HistogramFamily* h : {&pipeline_latency, &completion_latency, &classifier_latency}) {
    h->Render(&out);
  }
  return out;
}

}  // namespace vsr::router
