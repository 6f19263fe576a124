// Metrics: the router's counters and histograms, rendered in the Prometheus text format.
//
// Names follow upstream's `llm_*` metrics (docs/router.md lists them). A family is created
// once with its label names; Inc/Observe with label values find or create the series. Label
// keys are built in a thread-local buffer and series live for the life of the registry, so
// recording on an existing series does not allocate. All methods are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vsr::router {

class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help, std::vector<std::string> labels);
  void Inc(std::initializer_list<std::string_view> label_values, uint64_t n = 1);
  uint64_t Value(std::initializer_list<std::string_view> label_values) const;
  void Render(std::string* out) const;

 private:
  std::atomic<uint64_t>* Find(std::initializer_list<std::string_view> values) const;
  std::string name_, help_;
  std::vector<std::string> labels_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<std::atomic<uint64_t>>> series_;
};

class HistogramFamily {
 public:
  // `bounds`: the upper bounds of the buckets, ascending (+Inf is implicit).
  HistogramFamily(std::string name, std::string help, std::vector<std::string> labels,
                  std::vector<double> bounds);
  void Observe(std::initializer_list<std::string_view> label_values, double value);
  uint64_t Count(std::initializer_list<std::string_view> label_values) const;
  void Render(std::string* out) const;

 private:
  struct Series {
    explicit Series(size_t n) : buckets(n + 1) {}
    std::vector<std::atomic<uint64_t>> buckets;  // per bucket (not cumulative); last = +Inf
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_micro{0};  // sum of values * 1e6
  };
  Series* Find(std::initializer_list<std::string_view> values) const;
  std::string name_, help_;
  std::vector<std::string> labels_;
  std::vector<double> bounds_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Series>> series_;
};

// The router's metric set.
struct RouterMetrics {
  RouterMetrics();
  CounterFamily requests;  // llm_model_requests_total{model}
  CounterFamily
      routing_changes;           // llm_model_routing_modifications_total{source_model,target_model}
  CounterFamily decisions;       // llm_decision_matches_total{decision}
  CounterFamily errors;          // llm_request_errors_total{reason}
  CounterFamily cache_hits;      // llm_cache_hits_total{model}
  CounterFamily cache_misses;    // llm_cache_misses_total{model}
  CounterFamily fast_responses;  // llm_fast_responses_total{decision}
  CounterFamily http_requests;   // llm_http_requests_total{path,code}
  HistogramFamily pipeline_latency;    // llm_router_pipeline_duration_seconds{}
  HistogramFamily completion_latency;  // llm_model_completion_latency_seconds{model}
  HistogramFamily classifier_latency;  // llm_classifier_latency_seconds{classifier}
  // Everything, in the Prometheus text exposition format (version 0.0.4).
  std::string Render() const;
};

}  // namespace vsr::router
