#include "decision/decision_engine.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "signals/keyword_signal.h"

namespace vsr::decision {
namespace {

using config::SignalType;
using signals::SignalResults;

// Signals shared by the small configs below (keyword rule i is keyword_matched[i]).
constexpr char kBase[] = R"(
providers:
  defaults: {model: small}
  models:
    - name: small
      backend_refs: [{endpoint: 127.0.0.1:8000}]
    - name: big
      backend_refs: [{endpoint: 127.0.0.1:8001}]
routing:
  strategy: STRATEGY
  signals:
    keywords:
      - {name: k0, keywords: [a]}
      - {name: k1, keywords: [b]}
      - {name: k2, keywords: [c]}
    domains:
      - {name: math, mmlu_categories: [math]}
      - {name: stem, mmlu_categories: [math, physics]}
      - {name: law}
    embeddings:
      - {name: support, threshold: 0.7, candidates: [help]}
    pii:
      - {name: strict_pii, threshold: 0.6, pii_types_allowed: [PERSON]}
    jailbreak:
      - {name: jb, threshold: 0.8}
    context:
      - {name: long, min_tokens: 1K}
      - {name: mid, min_tokens: 10, max_tokens: 100}
  decisions:
)";

std::unique_ptr<DecisionEngine> Engine(const std::string& decisions,
                                       const std::string& strategy = "priority") {
  std::string yaml = kBase;
  yaml.replace(yaml.find("STRATEGY"), 8, strategy);
  yaml += decisions;
  StatusOr<config::RouterConfig> cfg = config::LoadConfigString(yaml, "test.yaml");
  EXPECT_TRUE(cfg.ok()) << cfg.status().ToString();
  if (!cfg.ok()) return nullptr;
  StatusOr<std::unique_ptr<DecisionEngine>> e = DecisionEngine::Create(*cfg);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? std::move(e.value()) : nullptr;
}

SignalResults Keywords(std::vector<uint8_t> k) {
  SignalResults s;
  s.keyword_matched = std::move(k);
  return s;
}

DecisionResult Eval(const DecisionEngine& e, const SignalResults& s) {
  DecisionResult r;
  Status st = e.Evaluate(s, &r);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return r;
}

TEST(DecisionEngineTest, AndNeedsAllChildrenAndAveragesConfidence) {
  auto e = Engine(R"(
    - name: d
      rules:
        operator: AND
        conditions: [{type: keyword, name: k0}, {type: domain, name: math}]
)");
  ASSERT_TRUE(e);
  SignalResults s = Keywords({1, 0, 0});
  EXPECT_FALSE(Eval(*e, s).matched);
  s.AddDomain("math", 0.5f);
  DecisionResult r = Eval(*e, s);
  ASSERT_TRUE(r.matched);
  EXPECT_EQ(r.decision, "d");
  EXPECT_FLOAT_EQ(r.confidence, 0.75f);  // mean(1.0, 0.5)
  s.keyword_matched[0] = 0;
  EXPECT_FALSE(Eval(*e, s).matched);
}

TEST(DecisionEngineTest, OrTakesTheBestMatchedChild) {
  auto e = Engine(R"(
    - name: d
      rules:
        operator: OR
        conditions: [{type: domain, name: law}, {type: embedding, name: support}]
)");
  ASSERT_TRUE(e);
  SignalResults s;
  EXPECT_FALSE(Eval(*e, s).matched);
  s.embedding_similarity = {0.9f};
  s.AddDomain("law", 0.6f);
  DecisionResult r = Eval(*e, s);
  ASSERT_TRUE(r.matched);
  EXPECT_FLOAT_EQ(r.confidence, 0.9f);
  s.embedding_similarity = {0.65f};  // below the rule's 0.7 threshold: not matched
  r = Eval(*e, s);
  ASSERT_TRUE(r.matched);
  EXPECT_FLOAT_EQ(r.confidence, 0.6f);
  ASSERT_EQ(r.matched_leaves.size(), 1u);
  EXPECT_EQ(r.matched_leaves[0].type, SignalType::kDomain);
  EXPECT_EQ(r.matched_leaves[0].name, "law");
}

TEST(DecisionEngineTest, NotInvertsItsChild) {
  auto e = Engine(R"(
    - name: d
      rules:
        operator: NOT
        conditions: [{type: keyword, name: k1}]
)");
  ASSERT_TRUE(e);
  DecisionResult r = Eval(*e, Keywords({0, 0, 0}));
  ASSERT_TRUE(r.matched);
  EXPECT_FLOAT_EQ(r.confidence, 1.0f);
  EXPECT_TRUE(r.matched_leaves.empty());
  EXPECT_FALSE(Eval(*e, Keywords({0, 1, 0})).matched);
}

TEST(DecisionEngineTest, EmptyRulesMatchWithConfidenceZero) {
  auto e = Engine(R"(
    - name: always
      modelRefs: [{model: big}]
)");
  ASSERT_TRUE(e);
  DecisionResult r = Eval(*e, SignalResults{});
  ASSERT_TRUE(r.matched);
  EXPECT_EQ(r.decision, "always");
  EXPECT_FLOAT_EQ(r.confidence, 0.0f);
  EXPECT_EQ(r.model, "big");
}

TEST(DecisionEngineTest, DeepNesting) {
  // (k0 AND (k1 OR NOT(k2 OR domain law))) OR (context mid AND NOT(NOT(domain math)))
  auto e = Engine(R"(
    - name: nested
      rules:
        operator: OR
        conditions:
          - operator: AND
            conditions:
              - {type: keyword, name: k0}
              - operator: OR
                conditions:
                  - {type: keyword, name: k1}
                  - operator: NOT
                    conditions:
                      - operator: OR
                        conditions: [{type: keyword, name: k2}, {type: domain, name: law}]
          - operator: AND
            conditions:
              - {type: context, name: mid}
              - operator: NOT
                conditions:
                  - operator: NOT
                    conditions: [{type: domain, name: math}]
)");
  ASSERT_TRUE(e);
  EXPECT_TRUE(Eval(*e, Keywords({1, 0, 0})).matched);   // k0 AND NOT(k2 OR law)
  EXPECT_FALSE(Eval(*e, Keywords({1, 0, 1})).matched);  // k2 present, k1 absent
  EXPECT_TRUE(Eval(*e, Keywords({1, 1, 1})).matched);   // k1 rescues
  SignalResults s = Keywords({0, 0, 0});
  s.token_count = 50;
  EXPECT_FALSE(Eval(*e, s).matched);  // mid, but no math
  s.AddDomain("math", 0.8f);
  DecisionResult r = Eval(*e, s);
  ASSERT_TRUE(r.matched);
  EXPECT_FLOAT_EQ(r.confidence, 1.0f);     // mean(context 1, NOT 1)
  ASSERT_EQ(r.matched_leaves.size(), 1u);  // leaves under NOT are not listed
  EXPECT_EQ(r.matched_leaves[0].name, "mid");
}

TEST(DecisionEngineTest, DomainMatchesThroughMmluCategories) {
  auto e = Engine(R"(
    - name: stem_route
      rules: {operator: AND, conditions: [{type: domain, name: stem}]}
)");
  ASSERT_TRUE(e);
  SignalResults s;
  s.AddDomain("physics", 0.7f);  // not a domain name, but one of stem's mmlu_categories
  DecisionResult r = Eval(*e, s);
  ASSERT_TRUE(r.matched);
  EXPECT_FLOAT_EQ(r.confidence, 0.7f);
  s.Clear();
  s.AddDomain("history", 0.99f);
  EXPECT_FALSE(Eval(*e, s).matched);
}

TEST(DecisionEngineTest, PriorityStrategyOrdersByPriorityThenConfidenceThenName) {
  const std::string decisions = R"(
    - name: low_conf_high_prio
      priority: 10
      rules: {operator: AND, conditions: [{type: domain, name: law}]}
      modelRefs: [{model: small}]
    - name: high_conf_low_prio
      priority: 5
      rules: {operator: AND, conditions: [{type: keyword, name: k0}]}
      modelRefs: [{model: big, use_reasoning: true, reasoning_effort: high}]
)";
  auto prio = Engine(decisions, "priority");
  auto conf = Engine(decisions, "confidence");
  ASSERT_TRUE(prio && conf);
  SignalResults s = Keywords({1, 0, 0});
  s.AddDomain("law", 0.4f);
  DecisionResult r = Eval(*prio, s);
  EXPECT_EQ(r.decision, "low_conf_high_prio");
  EXPECT_EQ(r.model, "small");
  EXPECT_FALSE(r.use_reasoning);
  r = Eval(*conf, s);
  EXPECT_EQ(r.decision, "high_conf_low_prio");
  EXPECT_EQ(r.model, "big");
  EXPECT_TRUE(r.use_reasoning);
  EXPECT_EQ(r.reasoning_effort, "high");
  EXPECT_EQ(r.priority, 5);
}

TEST(DecisionEngineTest, TiesAreBrokenDeterministically) {
  // Same priority: the higher confidence wins; same priority and confidence: the name.
  const std::string decisions = R"(
    - name: zeta
      priority: 1
      rules: {operator: AND, conditions: [{type: keyword, name: k0}]}
    - name: alpha
      priority: 1
      rules: {operator: AND, conditions: [{type: keyword, name: k1}]}
    - name: mid_conf
      priority: 1
      rules: {operator: AND, conditions: [{type: domain, name: law}]}
)";
  for (const char* strategy : {"priority", "confidence"}) {
    auto e = Engine(decisions, strategy);
    ASSERT_TRUE(e);
    EXPECT_EQ(Eval(*e, Keywords({1, 1, 0})).decision, "alpha") << strategy;
    SignalResults s = Keywords({1, 0, 0});
    s.AddDomain("law", 0.5f);
    EXPECT_EQ(Eval(*e, s).decision, "zeta") << strategy;  // 1.0 beats 0.5
  }
  // Confidence strategy, equal confidence: priority decides before the name.
  auto e = Engine(R"(
    - name: a_low
      priority: 1
      rules: {operator: AND, conditions: [{type: keyword, name: k0}]}
    - name: b_high
      priority: 2
      rules: {operator: AND, conditions: [{type: keyword, name: k1}]}
)",
                  "confidence");
  ASSERT_TRUE(e);
  EXPECT_EQ(Eval(*e, Keywords({1, 1, 0})).decision, "b_high");
}

TEST(DecisionEngineTest, NoMatchGivesDefaultModel) {
  auto e = Engine(R"(
    - name: d
      rules: {operator: AND, conditions: [{type: keyword, name: k0}]}
      modelRefs: [{model: big}]
)");
  ASSERT_TRUE(e);
  DecisionResult r = Eval(*e, Keywords({0, 0, 0}));
  EXPECT_FALSE(r.matched);
  EXPECT_EQ(r.decision, "");
  EXPECT_EQ(r.decision_index, -1);
  EXPECT_EQ(r.model, "small");
  EXPECT_EQ(r.plugins, nullptr);
  EXPECT_TRUE(r.model_refs.empty());
  EXPECT_TRUE(r.matched_leaves.empty());
}

TEST(DecisionEngineTest, PiiHonoursAllowedTypesAndThreshold) {
  auto e = Engine(R"(
    - name: pii
      rules: {operator: AND, conditions: [{type: pii, name: strict_pii}]}
)");
  ASSERT_TRUE(e);
  SignalResults s;
  s.AddPii("PERSON", 0.99f);  // allowed
  EXPECT_FALSE(Eval(*e, s).matched);
  s.AddPii("US_SSN", 0.5f);  // below 0.6
  EXPECT_FALSE(Eval(*e, s).matched);
  s.AddPii("EMAIL_ADDRESS", 0.9f);
  DecisionResult r = Eval(*e, s);
  ASSERT_TRUE(r.matched);
  EXPECT_FLOAT_EQ(r.confidence, 0.9f);
}

TEST(DecisionEngineTest, JailbreakAndContext) {
  auto e = Engine(R"(
    - name: block
      priority: 100
      rules: {operator: AND, conditions: [{type: jailbreak, name: jb}]}
      plugins: [{type: fast_response, configuration: {message: no}}]
    - name: long
      rules: {operator: AND, conditions: [{type: context, name: long}]}
      modelRefs: [{model: big}]
)");
  ASSERT_TRUE(e);
  SignalResults s;
  s.SetJailbreak(true, 0.7f);  // below 0.8
  EXPECT_FALSE(Eval(*e, s).matched);
  s.SetJailbreak(false, 0.95f);  // confident it is benign
  EXPECT_FALSE(Eval(*e, s).matched);
  s.SetJailbreak(true, 0.85f);
  DecisionResult r = Eval(*e, s);
  ASSERT_TRUE(r.matched);
  EXPECT_EQ(r.decision, "block");
  ASSERT_NE(r.plugins, nullptr);
  ASSERT_TRUE(r.plugins->fast_response.has_value());
  EXPECT_EQ(r.plugins->fast_response->message, "no");
  EXPECT_EQ(r.model, "small");  // no modelRefs: the default model

  s.Clear();
  s.token_count = 999;
  EXPECT_FALSE(Eval(*e, s).matched);
  s.token_count = 1000;
  EXPECT_EQ(Eval(*e, s).decision, "long");
  s.token_count = -1;  // unknown
  EXPECT_FALSE(Eval(*e, s).matched);
}

TEST(DecisionEngineTest, ShortSignalVectorsReadAsNotMatched) {
  auto e = Engine(R"(
    - name: d
      rules: {operator: OR, conditions: [{type: keyword, name: k2}, {type: embedding, name: support}]}
)");
  ASSERT_TRUE(e);
  SignalResults s;  // no keyword flags, no similarities at all
  EXPECT_FALSE(Eval(*e, s).matched);
  s.embedding_similarity = {SignalResults::kNotComputed};
  EXPECT_FALSE(Eval(*e, s).matched);
}

TEST(DecisionEngineTest, UnknownSignalTypeIsAConfigError) {
  std::string yaml = kBase;
  yaml.replace(yaml.find("STRATEGY"), 8, "priority");
  yaml += R"(
    - name: d
      rules: {operator: AND, conditions: [{type: language, name: zh}]}
)";
  StatusOr<config::RouterConfig> cfg = config::LoadConfigString(yaml, "t.yaml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("unknown signal type 'language'"), std::string::npos)
      << cfg.status().message();
}

TEST(DecisionEngineTest, HandBuiltConfigsAreValidatedToo) {
  std::string yaml = kBase;
  yaml.replace(yaml.find("STRATEGY"), 8, "priority");
  StatusOr<config::RouterConfig> cfg = config::LoadConfigString(yaml, "t.yaml");
  ASSERT_TRUE(cfg.ok());

  config::RouterConfig bad_leaf = *cfg;
  config::DecisionConfig d;
  d.name = "d";
  config::RuleNode leaf;
  leaf.is_leaf = true;
  leaf.type = SignalType::kKeyword;
  leaf.name = "missing";
  d.rules.children.push_back(leaf);
  bad_leaf.routing.decisions.push_back(d);
  auto e = DecisionEngine::Create(bad_leaf);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("no keyword signal named 'missing'"), std::string::npos);

  config::RouterConfig bad_not = *cfg;
  d.rules.children.clear();
  d.rules.op = config::RuleOperator::kNot;
  bad_not.routing.decisions.push_back(d);
  e = DecisionEngine::Create(bad_not);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("NOT takes exactly one condition"), std::string::npos);

  config::RouterConfig bad_model = *cfg;
  d.rules.op = config::RuleOperator::kAnd;
  d.model_refs.push_back({});
  d.model_refs.back().model = "nope";
  bad_model.routing.decisions.push_back(d);
  e = DecisionEngine::Create(bad_model);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("modelRef 'nope'"), std::string::npos);
}

// The reference config, end to end with the real keyword signal.
class ReferenceConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<config::RouterConfig> cfg = config::LoadConfigFile("config/config.yaml");
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    auto e = DecisionEngine::Create(*cfg);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e.value());
    auto k = signals::KeywordSignal::Create(cfg->routing.signals.keywords);
    ASSERT_TRUE(k.ok()) << k.status().ToString();
    keywords_ = std::move(k.value());
  }

  DecisionResult Route(std::string_view prompt, std::string_view domain, float conf = 0.9f) {
    SignalResults s;
    EXPECT_TRUE(keywords_->Match(prompt, &s).ok());
    if (!domain.empty()) s.AddDomain(domain, conf);
    s.token_count = static_cast<int64_t>(prompt.size() / 4 + 1);
    return Eval(*engine_, s);
  }

  std::unique_ptr<DecisionEngine> engine_;
  std::unique_ptr<signals::KeywordSignal> keywords_;
};

TEST_F(ReferenceConfigTest, RoutesTypicalPrompts) {
  DecisionResult r = Route("What is the derivative of x^2 with respect to x, in calculus?", "math");
  EXPECT_EQ(r.decision, "math_calculus_reasoning");
  EXPECT_EQ(r.model, "deepseek-r1-distill-14b");
  EXPECT_TRUE(r.use_reasoning);
  ASSERT_NE(r.plugins, nullptr);
  EXPECT_TRUE(r.plugins->system_prompt.has_value());
  EXPECT_EQ(r.matched_leaves.size(), 2u);

  EXPECT_EQ(
      Route("What caused the fall of the Western Roman Empire in the fifth century?", "history")
          .decision,
      "history_route");
  EXPECT_EQ(Route("Please refactor this function so the code is easier to test", "computer science")
                .decision,
            "cs_coding");
  EXPECT_EQ(Route("URGENT: our storefront is down, what should we check first?", "other").decision,
            "urgent_support");
  EXPECT_EQ(Route("Is this contract clause about liability enforceable in court?", "law").decision,
            "legal_contracts");
  EXPECT_EQ(Route("My SSN is 123-45-6789, can you fill in the form?", "other").decision,
            "pii_private_route");
}

TEST_F(ReferenceConfigTest, NoSignalMeansNoDecision) {
  SignalResults s;
  EXPECT_TRUE(
      keywords_->Match("a perfectly ordinary sentence about nothing in particular", &s).ok());
  s.keyword_matched.assign(s.keyword_matched.size(), 0);  // also clear the NOR rule
  DecisionResult r = Eval(*engine_, s);
  EXPECT_FALSE(r.matched);
  EXPECT_EQ(r.model, "qwen3-8b");
}

TEST_F(ReferenceConfigTest, JailbreakBeatsEverything) {
  SignalResults s;
  ASSERT_TRUE(keywords_->Match("ignore previous instructions, urgent, calculus", &s).ok());
  s.AddDomain("math", 0.99f);
  s.SetJailbreak(true, 0.95f);
  DecisionResult r = Eval(*engine_, s);
  EXPECT_EQ(r.decision, "jailbreak_block");
  ASSERT_NE(r.plugins, nullptr);
  EXPECT_TRUE(r.plugins->fast_response.has_value());
}

TEST_F(ReferenceConfigTest, ConcurrentEvaluationsAgree) {
  const char* prompts[] = {"Find the derivative of x^2 in calculus", "Tell me about Rome"};
  const char* domains[] = {"math", "history"};
  const char* expected[] = {"math_calculus_reasoning", "history_route"};
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      SignalResults s;
      DecisionResult r;  // one result per thread, as the router keeps one per worker
      for (int i = 0; i < 500; ++i) {
        int k = (i + t) % 2;
        s.Clear();
        if (!keywords_->Match(prompts[k], &s).ok()) ++wrong[t];
        s.AddDomain(domains[k], 0.9f);
        if (!engine_->Evaluate(s, &r).ok() || r.decision != expected[k]) ++wrong[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}

}  // namespace
}  // namespace vsr::decision
