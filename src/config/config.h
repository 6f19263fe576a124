// RouterConfig: the validated, defaulted contents of the router's YAML configuration.
//
// The schema follows the upstream vLLM Semantic Router v0.3 layout (`providers.models`,
// `routing.signals.*`, `routing.decisions`, `global.stores.response_cache`, ...) for the
// features this project implements; docs/config.md is the reference. A RouterConfig returned
// by LoadConfigFile()/LoadConfigString() is internally consistent: every name a decision,
// model ref or default refers to exists, every enum-like string is one of its documented
// values, every number is in range. Components read it; nothing mutates it after loading.
//
// Errors name the file, the line and column, the key path and what was expected, e.g.
//   config.yaml:42:9: routing.decisions[3].rules.operator: expected one of AND, OR, NOT; got 'XOR'
// Unknown keys are errors by default (a misspelt key must not silently become a default);
// LoadOptions::unknown_keys = kWarn turns them into RouterConfig::warnings instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vsr::config {

// ---------------------------------------------------------------------------------------
// providers
// ---------------------------------------------------------------------------------------

// One backend serving a model (providers.models[].backend_refs[]).
struct BackendRef {
  std::string name;               // optional label; defaults to "<model>-<index>"
  std::string endpoint;           // "host:port" as written
  std::string host;               // parsed from endpoint
  uint16_t port = 0;              // parsed from endpoint
  std::string protocol = "http";  // "http" | "https"
  int weight = 100;               // relative share among the model's backends, >= 0
};

// One model the router can send traffic to (providers.models[]).
struct ModelSpec {
  std::string name;                      // the name decisions and clients use
  std::string provider_model_id;         // the name sent to the backend; defaults to `name`
  std::string reasoning_family;          // providers.models[].reasoning.family ("" = none)
  std::vector<BackendRef> backend_refs;  // at least one
};

struct ProvidersConfig {
  std::string default_model;             // providers.defaults.model (must name a model)
  std::string default_reasoning_effort;  // providers.defaults.reasoning_effort ("" = unset)
  std::vector<ModelSpec> models;

  // The model called `name`, or nullptr.
  const ModelSpec* FindModel(std::string_view name) const;
};

// ---------------------------------------------------------------------------------------
// routing.signals
// ---------------------------------------------------------------------------------------

// The kinds of signal a decision leaf can test.
enum class SignalType : uint8_t {
  kKeyword,    // routing.signals.keywords
  kDomain,     // routing.signals.domains (classifier label, incl. mmlu_categories)
  kEmbedding,  // routing.signals.embeddings
  kPii,        // routing.signals.pii
  kJailbreak,  // routing.signals.jailbreak
  kContext,    // routing.signals.context (token-count bounds)
};
inline constexpr int kNumSignalTypes = 6;
// "keyword", "domain", "embedding", "pii", "jailbreak", "context".
std::string_view SignalTypeName(SignalType type);
// Accepts the names above (and the plural section names "keywords", "domains", ...).
std::optional<SignalType> ParseSignalType(std::string_view name);

enum class KeywordOperator : uint8_t {
  kOr,   // at least one keyword occurs
  kAnd,  // every keyword occurs
  kNor,  // no keyword occurs
};
enum class KeywordMethod : uint8_t {
  kExact,  // keywords are literals, matched on word boundaries
  kRegex,  // keywords are regular expressions (vectorscan syntax; re2 when vectorscan can't)
};

struct KeywordRule {
  std::string name;
  KeywordOperator op = KeywordOperator::kOr;
  KeywordMethod method = KeywordMethod::kExact;
  bool case_sensitive = false;
  std::vector<std::string> keywords;  // at least one
};

struct DomainRule {
  std::string name;  // also matches a classifier label equal to the name
  std::string description;
  // Classifier labels (MMLU-Pro categories) that also count as this domain.
  std::vector<std::string> mmlu_categories;
};

struct EmbeddingRule {
  std::string name;
  float threshold = 0.75f;  // aggregated cosine similarity needed, in [-1, 1]
  // "max" (best candidate), "mean" (average over candidates) or "any" (== max).
  std::string aggregation_method = "max";
  std::vector<std::string> candidates;  // at least one
};

struct PiiRule {
  std::string name;
  float threshold = 0.5f;  // minimum entity confidence that counts, in [0, 1]
  // Entity types that do NOT trigger the rule; any other detected type does.
  std::vector<std::string> pii_types_allowed;
};

struct JailbreakRule {
  std::string name;
  float threshold = 0.5f;  // minimum jailbreak confidence, in [0, 1]
};

struct ContextRule {
  std::string name;
  int64_t min_tokens = 0;          // inclusive; "32K" / "1M" suffixes accepted
  int64_t max_tokens = INT64_MAX;  // inclusive
};

struct SignalsConfig {
  std::vector<KeywordRule> keywords;
  std::vector<DomainRule> domains;
  std::vector<EmbeddingRule> embeddings;
  std::vector<PiiRule> pii;
  std::vector<JailbreakRule> jailbreak;
  std::vector<ContextRule> context;
};

// ---------------------------------------------------------------------------------------
// routing.decisions
// ---------------------------------------------------------------------------------------

enum class RuleOperator : uint8_t { kAnd, kOr, kNot };
std::string_view RuleOperatorName(RuleOperator op);

// A node of a decision's rule tree: a leaf (type + name) or an operator over children.
// YAML: `{type: domain, name: math}` or `{operator: AND, conditions: [...]}`.
struct RuleNode {
  bool is_leaf = false;
  // Leaf.
  SignalType type = SignalType::kKeyword;
  std::string name;
  // Operator node. NOT has exactly one child; AND/OR with no children match with confidence 0.
  RuleOperator op = RuleOperator::kAnd;
  std::vector<RuleNode> children;
};

// decisions[].modelRefs[]
struct ModelRef {
  std::string model;  // must name a providers.models entry
  bool use_reasoning = false;
  std::string reasoning_effort;  // "" = provider default; else low|medium|high
  std::string lora_name;         // "" = none
  float weight = 1.0f;           // >= 0
};

// decisions[].plugins[]; each is present when the decision lists it.
struct SystemPromptPlugin {
  bool enabled = true;
  std::string system_prompt;
  std::string mode = "replace";  // "replace" the system message | "insert" before it
};
struct FastResponsePlugin {
  bool enabled = true;
  std::string message;  // returned without calling any model
};
struct SemanticCachePlugin {
  bool enabled = true;
  // Overrides global.stores.response_cache.similarity_threshold when set.
  std::optional<float> similarity_threshold;
  std::optional<int64_t> ttl_seconds;  // overrides the global TTL when set
};
struct PluginsConfig {
  std::optional<SystemPromptPlugin> system_prompt;
  std::optional<FastResponsePlugin> fast_response;
  std::optional<SemanticCachePlugin> semantic_cache;  // type "semantic-cache" | "response_cache"
};

struct DecisionConfig {
  std::string name;  // unique
  std::string description;
  int priority = 0;
  RuleNode rules;                    // the root; defaults to an empty AND (matches, confidence 0)
  std::vector<ModelRef> model_refs;  // may be empty (e.g. a fast_response block)
  PluginsConfig plugins;
};

enum class SelectionStrategy : uint8_t {
  kPriority,    // priority desc, then confidence desc, then name asc
  kConfidence,  // confidence desc, then priority desc, then name asc
};
std::string_view SelectionStrategyName(SelectionStrategy s);

struct RoutingConfig {
  SelectionStrategy strategy = SelectionStrategy::kPriority;
  SignalsConfig signals;
  std::vector<DecisionConfig> decisions;
};

// ---------------------------------------------------------------------------------------
// global
// ---------------------------------------------------------------------------------------

// global.stores.response_cache: the in-memory semantic cache (src/cache maps it onto
// cache::CacheOptions with cache::ParseSearchMode / ParseEvictionPolicy).
struct ResponseCacheConfig {
  bool enabled = false;
  std::string backend_type = "memory";   // only "memory" is implemented
  float similarity_threshold = 0.8f;     // in [-1, 1]
  int64_t max_entries = 1000;            // > 0
  int64_t ttl_seconds = 3600;            // >= 0; 0 = entries never expire
  std::string eviction_policy = "fifo";  // "fifo" | "lru" | "lfu"
  std::string search_mode = "linear";    // "linear" | "hnsw" (upstream key: use_hnsw: bool)
  int64_t hnsw_m = 16;                   // > 1
  int64_t hnsw_ef_construction = 200;    // > 0
  int64_t hnsw_ef_search = 50;           // > 0
};

// One classifier model directory (Hugging Face layout) with its decision threshold.
struct ClassifierModelConfig {
  std::string model_dir;   // "" = not configured: the signal is not computed
  float threshold = 0.5f;  // minimum confidence for a label to be reported, in [0, 1]
};

// global.model_catalog: where the classifier models live.
struct ModelCatalogConfig {
  ClassifierModelConfig domain;     // system.domain_classifier, modules.classifier.domain
  ClassifierModelConfig pii;        // system.pii_classifier, modules.classifier.pii
  ClassifierModelConfig jailbreak;  // system.prompt_guard, modules.prompt_guard
  ClassifierModelConfig embedding;  // embeddings.semantic.bert_model_path (threshold unused)
  std::string fallback_category = "other";  // modules.classifier.domain.fallback_category
  int threads = 1;  // inference threads per model, >= 1 (ours; not upstream)
  // How the encoders keep their weights (ours): "f32" (exact), "bf16" or "int8" (AVX-512
  // VNNI; ~3-4x faster on BERT-base, outputs move by the quantisation error: see
  // docs/inference.md). Builds without the instructions fall back to f32.
  std::string weights = "f32";
};

// global.server (ours; upstream puts this in listeners/Envoy): the router's front doors.
struct ServerConfig {
  std::string http_address = "0.0.0.0";
  uint16_t http_port = 8801;  // OpenAI-compatible HTTP + /metrics + /health
  std::string ext_proc_address = "0.0.0.0";
  uint16_t ext_proc_port = 50051;                     // Envoy ext_proc gRPC
  int64_t max_request_body_bytes = 10 * 1024 * 1024;  // > 0
  int64_t backend_connect_timeout_ms = 2000;          // > 0
  int64_t backend_request_timeout_ms = 300000;        // > 0 (whole response, incl. stream)
  int threads = 0;                                    // I/O threads; 0 = number of cores
};

struct GlobalConfig {
  ResponseCacheConfig response_cache;
  ModelCatalogConfig model_catalog;
  ServerConfig server;
};

// ---------------------------------------------------------------------------------------
// the whole file
// ---------------------------------------------------------------------------------------

struct RouterConfig {
  std::string version;      // "v0.3" (the only accepted value when present)
  std::string source_name;  // file path or the name given to LoadConfigString
  ProvidersConfig providers;
  RoutingConfig routing;
  GlobalConfig global;
  // Non-fatal findings (unknown keys under LoadOptions::kWarn), each "file:line:col: key: ...".
  std::vector<std::string> warnings;

  const DecisionConfig* FindDecision(std::string_view name) const;
};

struct LoadOptions {
  enum class UnknownKeys { kError, kWarn };
  UnknownKeys unknown_keys = UnknownKeys::kError;
};

// Reads, parses and validates `path`. Errors name `path`, line, column and key.
StatusOr<RouterConfig> LoadConfigFile(const std::string& path, const LoadOptions& options = {});
// Same for YAML text already in memory; `source_name` stands for the file name in errors.
StatusOr<RouterConfig> LoadConfigString(std::string_view yaml, const std::string& source_name,
                                        const LoadOptions& options = {});

}  // namespace vsr::config

namespace vsr {
using config::LoadConfigFile;
using config::LoadConfigString;
using config::RouterConfig;
}  // namespace vsr
