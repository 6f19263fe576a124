#include "config/config.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace vsr::config {
namespace {

// Tests run from the repository root (vsr_test sets WORKING_DIRECTORY).
const char kReference[] = "config/config.yaml";
const char kTestdata[] = "src/config/testdata/";

constexpr char kMinimalProviders[] = R"(
providers:
  models:
    - name: m1
      backend_refs:
        - endpoint: 127.0.0.1:8000
)";

TEST(ConfigTest, ReferenceConfigLoads) {
  StatusOr<RouterConfig> cfg = LoadConfigFile(kReference);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_TRUE(cfg->warnings.empty());
  EXPECT_EQ(cfg->version, "v0.3");
  EXPECT_GE(cfg->routing.decisions.size(), 20u);
  EXPECT_GE(cfg->providers.models.size(), 3u);
  EXPECT_EQ(cfg->providers.default_model, "qwen3-8b");
  EXPECT_FALSE(cfg->routing.signals.keywords.empty());
  EXPECT_FALSE(cfg->routing.signals.pii.empty());
  EXPECT_FALSE(cfg->routing.signals.jailbreak.empty());

  // Every one of the 14 MMLU-Pro categories has a domain of its own name.
  std::set<std::string> domains;
  for (const DomainRule& d : cfg->routing.signals.domains) domains.insert(d.name);
  for (const char* c :
       {"biology", "business", "chemistry", "computer science", "economics", "engineering",
        "health", "history", "law", "math", "other", "philosophy", "physics", "psychology"}) {
    EXPECT_TRUE(domains.count(c)) << c;
  }

  const ModelSpec* m = cfg->providers.FindModel("qwen3-32b");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->backend_refs.size(), 1u);
  EXPECT_EQ(m->backend_refs[0].host, "127.0.0.1");
  EXPECT_EQ(m->backend_refs[0].port, 8001);
  EXPECT_EQ(m->provider_model_id, "qwen3-32b");

  const auto& cache = cfg->global.response_cache;
  EXPECT_TRUE(cache.enabled);
  EXPECT_EQ(cache.eviction_policy, "lru");
  EXPECT_EQ(cache.search_mode, "hnsw");
  EXPECT_EQ(cache.hnsw_ef_search, 64);
  EXPECT_EQ(cfg->global.model_catalog.domain.model_dir, "models/domain-classifier");
  EXPECT_EQ(cfg->global.model_catalog.threads, 1);  // measured best for the router (docs/router.md)
  EXPECT_EQ(cfg->global.server.ext_proc_port, 50051);

  const DecisionConfig* block = cfg->FindDecision("jailbreak_block");
  ASSERT_NE(block, nullptr);
  ASSERT_TRUE(block->plugins.fast_response.has_value());
  EXPECT_TRUE(block->model_refs.empty());
  const DecisionConfig* calc = cfg->FindDecision("math_calculus_reasoning");
  ASSERT_NE(calc, nullptr);
  EXPECT_EQ(calc->rules.op, RuleOperator::kAnd);
  ASSERT_EQ(calc->rules.children.size(), 2u);
  EXPECT_TRUE(calc->rules.children[0].is_leaf);
  EXPECT_EQ(calc->rules.children[1].op, RuleOperator::kOr);
  EXPECT_TRUE(calc->model_refs[0].use_reasoning);
  EXPECT_EQ(calc->model_refs[0].reasoning_effort, "high");
}

TEST(ConfigTest, DefaultsApply) {
  StatusOr<RouterConfig> cfg = LoadConfigString(kMinimalProviders, "mem.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->providers.default_model, "m1");  // first model when no default is given
  EXPECT_EQ(cfg->routing.strategy, SelectionStrategy::kPriority);
  EXPECT_FALSE(cfg->global.response_cache.enabled);
  EXPECT_EQ(cfg->global.response_cache.eviction_policy, "fifo");
  EXPECT_EQ(cfg->global.response_cache.search_mode, "linear");
  EXPECT_EQ(cfg->global.server.http_port, 8801);
  EXPECT_EQ(cfg->global.server.max_request_body_bytes, 10 * 1024 * 1024);
  EXPECT_EQ(cfg->providers.models[0].backend_refs[0].name, "m1-0");
  EXPECT_EQ(cfg->providers.models[0].backend_refs[0].protocol, "http");
  EXPECT_EQ(cfg->global.model_catalog.weights, "f32");  // exact unless asked otherwise
}

TEST(ConfigTest, ModelWeightsPrecision) {
  const std::string base = std::string(kMinimalProviders) + "global:\n  model_catalog:\n";
  StatusOr<RouterConfig> cfg = LoadConfigString(base + "    weights: int8\n", "w.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->global.model_catalog.weights, "int8");

  cfg = LoadConfigString(base + "    weights: fp8\n", "w.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.status().code(), StatusCode::kInvalidArgument);
  const std::string& msg = cfg.status().message();
  EXPECT_NE(msg.find("global.model_catalog.weights"), std::string::npos) << msg;
  EXPECT_NE(msg.find("int8"), std::string::npos) << msg;  // names what is allowed
  EXPECT_NE(msg.find("fp8"), std::string::npos) << msg;   // and what it got
}

TEST(ConfigTest, DecisionDefaultsAndEmptyRules) {
  std::string yaml = std::string(kMinimalProviders) + R"(
routing:
  strategy: confidence
  decisions:
    - name: catch_all
)";
  StatusOr<RouterConfig> cfg = LoadConfigString(yaml, "mem.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->routing.strategy, SelectionStrategy::kConfidence);
  const DecisionConfig& d = cfg->routing.decisions[0];
  EXPECT_EQ(d.priority, 0);
  EXPECT_FALSE(d.rules.is_leaf);
  EXPECT_EQ(d.rules.op, RuleOperator::kAnd);
  EXPECT_TRUE(d.rules.children.empty());
}

TEST(ConfigTest, ContextTokenSuffixes) {
  std::string yaml = std::string(kMinimalProviders) + R"(
routing:
  signals:
    context:
      - name: big
        min_tokens: 32K
        max_tokens: 1M
      - name: small
        max_tokens: 100
)";
  StatusOr<RouterConfig> cfg = LoadConfigString(yaml, "mem.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->routing.signals.context[0].min_tokens, 32000);
  EXPECT_EQ(cfg->routing.signals.context[0].max_tokens, 1000000);
  EXPECT_EQ(cfg->routing.signals.context[1].min_tokens, 0);
}

TEST(ConfigTest, UnknownKeysCanBeWarnings) {
  std::string yaml = std::string(kMinimalProviders) + "listeners: []\n";
  StatusOr<RouterConfig> strict = LoadConfigString(yaml, "mem.yaml");
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find("mem.yaml:7:1: listeners: unknown key"),
            std::string::npos)
      << strict.status().message();

  LoadOptions lenient;
  lenient.unknown_keys = LoadOptions::UnknownKeys::kWarn;
  StatusOr<RouterConfig> cfg = LoadConfigString(yaml, "mem.yaml", lenient);
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  ASSERT_EQ(cfg->warnings.size(), 1u);
  EXPECT_NE(cfg->warnings[0].find("listeners: unknown key"), std::string::npos);
}

TEST(ConfigTest, MissingFileIsNotFound) {
  StatusOr<RouterConfig> cfg = LoadConfigFile("no/such/config.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.status().code(), StatusCode::kNotFound);
  EXPECT_NE(cfg.status().message().find("no/such/config.yaml"), std::string::npos);
}

TEST(ConfigTest, DirectoryIsAnError) {
  StatusOr<RouterConfig> cfg = LoadConfigFile("config");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("config: is a directory"), std::string::npos)
      << cfg.status().message();
}

TEST(ConfigTest, EmptyFileIsAnError) {
  StatusOr<RouterConfig> cfg = LoadConfigString("", "empty.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("empty.yaml"), std::string::npos);
}

TEST(ConfigTest, DeepNestingIsRejectedNotACrash) {
  std::string yaml = std::string(kMinimalProviders) +
                     "routing:\n  signals:\n    domains: [{name: math}]\n  decisions:\n"
                     "    - name: deep\n      rules: ";
  for (int i = 0; i < 200; ++i) yaml += "{operator: NOT, conditions: [";
  yaml += "{type: domain, name: math}";
  for (int i = 0; i < 200; ++i) yaml += "]}";
  yaml += "\n";
  StatusOr<RouterConfig> cfg = LoadConfigString(yaml, "deep.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("nested deeper than"), std::string::npos)
      << cfg.status().message();
}

// Every malformed fixture fails with "<file>:<line>:<col>: <key path>: <expectation>".
struct Malformed {
  const char* file;
  int line;
  const char* key;       // the key path the message names
  const char* expected;  // what the message says was expected
};

class MalformedConfigTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedConfigTest, FailsWithFileLineKeyAndExpectation) {
  const Malformed& m = GetParam();
  std::string path = std::string(kTestdata) + m.file;
  StatusOr<RouterConfig> cfg = LoadConfigFile(path);
  ASSERT_FALSE(cfg.ok()) << path << " loaded but should not";
  EXPECT_EQ(cfg.status().code(), StatusCode::kInvalidArgument);
  const std::string& msg = cfg.status().message();
  std::string where = path + ":" + std::to_string(m.line) + ":";
  EXPECT_EQ(msg.rfind(where, 0), 0u) << "message: " << msg << "\nexpected prefix: " << where;
  EXPECT_NE(msg.find(m.key), std::string::npos) << msg;
  EXPECT_NE(msg.find(m.expected), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, MalformedConfigTest,
    ::testing::Values(
        Malformed{"syntax_error.yaml", 12, "", "YAML syntax error"},
        Malformed{"unknown_top_key.yaml", 7, "routng", "unknown key (expected one of"},
        Malformed{"bad_rule_operator.yaml", 14, "routing.decisions[0].rules.operator",
                  "expected one of AND, OR, NOT; got 'XOR'"},
        Malformed{"unknown_signal_type.yaml", 13, "routing.decisions[0].rules.conditions[0].type",
                  "unknown signal type 'sentiment'"},
        Malformed{"undefined_signal_name.yaml", 17, "routing.decisions[0].rules.conditions[0].name",
                  "no routing.signals.domains rule is named 'astronomy'"},
        Malformed{"not_two_children.yaml", 15, "routing.decisions[0].rules.conditions",
                  "NOT takes exactly one condition; got 2"},
        Malformed{"unknown_model_ref.yaml", 11, "routing.decisions[0].modelRefs[0].model",
                  "names no model in providers.models: 'gpt-9'"},
        Malformed{"threshold_out_of_range.yaml", 11, "routing.signals.embeddings[0].threshold",
                  "expected a number in [-1, 1]; got 1.5"},
        Malformed{"duplicate_decision.yaml", 10, "routing.decisions[1].name",
                  "duplicate name 'same'"},
        Malformed{"bad_eviction_policy.yaml", 11, "global.stores.response_cache.eviction_policy",
                  "expected one of fifo, lru, lfu; got 'random'"},
        Malformed{"bad_regex.yaml", 12, "routing.signals.keywords[0].keywords[1]",
                  "invalid regular expression"},
        Malformed{"priority_not_int.yaml", 10, "routing.decisions[0].priority",
                  "expected an integer; got 'high'"},
        Malformed{"misspelt_key.yaml", 10, "routing.decisions[0].prority", "unknown key"},
        Malformed{"keywords_not_list.yaml", 11, "routing.signals.keywords[0].keywords",
                  "expected a list of strings; got 'urgent'"},
        Malformed{"bad_context_tokens.yaml", 11, "routing.signals.context[0].min_tokens",
                  "expected a token count such as 4096, 32K or 1M; got 'lots'"},
        Malformed{"unknown_plugin.yaml", 11, "routing.decisions[0].plugins[0].type",
                  "expected one of system_prompt, fast_response, semantic-cache"},
        Malformed{"bad_endpoint.yaml", 6, "providers.models[0].backend_refs[0].endpoint",
                  "expected host:port"},
        Malformed{"missing_providers.yaml", 1, "providers", "required section is missing"},
        Malformed{"bad_default_model.yaml", 3, "providers.defaults.model",
                  "names no model in providers.models: 'nope'"}),
    [](const ::testing::TestParamInfo<Malformed>& info) {
      std::string name = info.param.file;
      name = name.substr(0, name.find('.'));
      return name;
    });

}  // namespace
}  // namespace vsr::config
