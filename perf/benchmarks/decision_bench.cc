// Decision engine benchmark family: rule evaluation and selection over the reference config
// (config/config.yaml), synthetic configs of 10 / 100 / 1000 decisions, and the keyword
// signal (one vectorscan pass) over a 2 KB prompt with 10 / 100 / 1000 keywords.
//
// What is timed: DecisionEngine::Evaluate (signal values -> selected decision) and
// KeywordSignal::Match (text -> per-rule flags). Classifier inference is not included (the
// classification family measures it). Every benchmark reuses its DecisionResult /
// SignalResults, as the router does, so allocations/op shows the steady state (target: 0).
//
// Config: VSR_DECISION_CONFIG=<file> replaces the reference config. Counters: p50_us p90_us
// p95_us p99_us max_us mean_us qps (LatencyRecorder; thread 0 only in _Parallel), plus
// decisions / conditions / keywords / matched where meaningful, and hot_path_allocs_per_op
// (allocations of the operation alone, counted directly; must be 0).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "config/config.h"
#include "decision/decision_engine.h"
#include "perf/lib/benchmark/latency_recorder.h"
#include "perf/lib/metrics/alloc_counter.h"
#include "signals/keyword_signal.h"

namespace vsr::decision {
namespace {

using signals::KeywordSignal;
using signals::SignalResults;

// ---- fixtures ---------------------------------------------------------------------------

struct Env {
  std::string error;  // non-empty when the fixture could not be built
  config::RouterConfig cfg;
  std::unique_ptr<DecisionEngine> engine;
  std::unique_ptr<KeywordSignal> keywords;
};

std::string ReferenceConfigPath() {
  if (const char* env = std::getenv("VSR_DECISION_CONFIG")) return env;
  return std::string(VSR_SOURCE_DIR) + "/config/config.yaml";
}

Env BuildEnv(StatusOr<config::RouterConfig> cfg) {
  Env env;
  if (!cfg.ok()) {
    env.error = cfg.status().ToString();
    return env;
  }
  env.cfg = std::move(cfg.value());
  auto engine = DecisionEngine::Create(env.cfg);
  if (!engine.ok()) {
    env.error = engine.status().ToString();
    return env;
  }
  env.engine = std::move(engine.value());
  auto kw = KeywordSignal::Create(env.cfg.routing.signals.keywords);
  if (!kw.ok()) {
    env.error = kw.status().ToString();
    return env;
  }
  env.keywords = std::move(kw.value());
  return env;
}

const Env& Reference() {
  static const Env env = [] {
    perf::ScopedAllocPause pause;
    return BuildEnv(config::LoadConfigFile(ReferenceConfigPath()));
  }();
  return env;
}

// Signals for the reference config: keyword flags from a real scan of `prompt`, the given
// classifier labels, no PII, a benign jailbreak verdict and a prompt length.
SignalResults ReferenceSignals(const Env& env, std::string_view prompt,
                               std::initializer_list<const char*> domains) {
  perf::ScopedAllocPause pause;
  SignalResults s;
  Status st = env.keywords->Match(prompt, &s);
  if (!st.ok()) std::abort();
  float conf = 0.9f;
  for (const char* d : domains) {
    s.AddDomain(d, conf);
    conf -= 0.1f;
  }
  s.SetJailbreak(false, 0.98f);
  s.token_count = static_cast<int64_t>(prompt.size() / 4 + 1);
  return s;
}

// Allocations per operation of `op` in steady state, counted directly over 1000 runs after a
// warm-up, once per (tag, arg) (one per benchmark) and process. Google Benchmark's own
// allocs_per_op also counts its copy of state.counters after the function returns ((1 + #counters)
// / 16 here); this counter isolates the operation. The first call of a benchmark is never Google
// Benchmark's memory-manager run (that comes last), so starting the counter here does not disturb
// it.
template <typename Op>
double HotPathAllocsPerOp(const char* tag, int64_t arg, Op&& op) {
  static std::mutex mu;
  static std::map<std::pair<std::string, int64_t>, double> measured;
  std::lock_guard<std::mutex> lock(mu);
  {
    perf::ScopedAllocPause pause;
    auto it = measured.find({tag, arg});
    if (it != measured.end()) return it->second;
  }
  constexpr int kRuns = 1000;
  for (int i = 0; i < 8; ++i) op();
  perf::AllocCounterStart();
  for (int i = 0; i < kRuns; ++i) op();
  perf::AllocSnapshot snap = perf::AllocCounterStop();
  double per_op = static_cast<double>(snap.allocs) / kRuns;
  perf::ScopedAllocPause pause;
  measured[{tag, arg}] = per_op;
  return per_op;
}

// Evaluates `signals` on `engine` in the timed loop; reports latency and what matched.
void RunEvaluate(benchmark::State& state, const char* tag, int64_t arg,
                 const DecisionEngine& engine, const SignalResults& signals,
                 bool report_latency = true) {
  DecisionResult result;
  {
    perf::ScopedAllocPause pause;
    if (!engine.Evaluate(signals, &result).ok()) {  // warm-up: sizes the result's scratch
      state.SkipWithError("Evaluate failed");
      return;
    }
  }
  double hot_allocs =
      HotPathAllocsPerOp(tag, arg, [&] { (void)engine.Evaluate(signals, &result); });
  perf::LatencyRecorder lat;
  for (auto _ : state) {
    auto t = lat.Begin();
    Status st = engine.Evaluate(signals, &result);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(result.decision_index);
    lat.End(t);
  }
  perf::ScopedAllocPause pause;  // reporting is not part of the measured operation
  if (report_latency) {
    lat.Report(state);
    state.counters["decisions"] = static_cast<double>(engine.num_decisions());
    state.counters["matched"] = result.matched ? 1 : 0;
    state.counters["hot_path_allocs_per_op"] = hot_allocs;
  }
  state.SetLabel(result.matched ? std::string(result.decision) : std::string("<no decision>"));
}

#define VSR_REFERENCE_OR_SKIP(env)          \
  const Env& env = Reference();             \
  if (!env.error.empty()) {                 \
    state.SkipWithError(env.error.c_str()); \
    return;                                 \
  }

// ---- the seed's decision benchmarks -----------------------------------------------------

void BenchmarkEvaluateDecisions_SingleDomain(benchmark::State& state) {
  VSR_REFERENCE_OR_SKIP(env);
  SignalResults s = ReferenceSignals(env, "What is the sum of the first 100 primes?", {"math"});
  RunEvaluate(state, __func__, 0, *env.engine, s);
}
BENCHMARK(BenchmarkEvaluateDecisions_SingleDomain);

void BenchmarkEvaluateDecisions_MultipleDomains(benchmark::State& state) {
  VSR_REFERENCE_OR_SKIP(env);
  SignalResults s = ReferenceSignals(env, "How should a startup price an algorithm library?",
                                     {"math", "computer science", "business"});
  RunEvaluate(state, __func__, 0, *env.engine, s);
}
BENCHMARK(BenchmarkEvaluateDecisions_MultipleDomains);

void BenchmarkEvaluateDecisions_WithKeywords(benchmark::State& state) {
  VSR_REFERENCE_OR_SKIP(env);
  SignalResults s =
      ReferenceSignals(env, "Find the derivative of x^3 using the rules of calculus.", {"math"});
  RunEvaluate(state, __func__, 0, *env.engine, s);
}
BENCHMARK(BenchmarkEvaluateDecisions_WithKeywords);

void BenchmarkEvaluateDecisions_ComplexScenario(benchmark::State& state) {
  VSR_REFERENCE_OR_SKIP(env);
  // Three keyword rules (calculus, code, finance) and five domain labels.
  SignalResults s = ReferenceSignals(
      env, "Write code for the derivative of the revenue curve and explain the valuation.",
      {"math", "computer science", "business", "economics", "physics"});
  RunEvaluate(state, __func__, 0, *env.engine, s);
}
BENCHMARK(BenchmarkEvaluateDecisions_ComplexScenario);

void BenchmarkEvaluateDecisions_Parallel(benchmark::State& state) {
  VSR_REFERENCE_OR_SKIP(env);
  SignalResults s =
      ReferenceSignals(env, "Prove that the limit of 1/n is zero (calculus).", {"math", "physics"});
  RunEvaluate(state, __func__, 0, *env.engine, s, /*report_latency=*/state.thread_index() == 0);
}
BENCHMARK(BenchmarkEvaluateDecisions_Parallel)->Threads(2)->UseRealTime();

// ---- synthetic configs ------------------------------------------------------------------

const char* const kCategories[] = {"biology",   "business",    "chemistry", "computer science",
                                   "economics", "engineering", "health",    "history",
                                   "law",       "math",        "other",     "philosophy",
                                   "physics",   "psychology"};
constexpr int kNumCategories = 14;
constexpr int kSyntheticKeywordRules = 64;
constexpr int kSyntheticEmbeddingRules = 8;

config::RuleNode Leaf(config::SignalType type, std::string name) {
  config::RuleNode n;
  n.is_leaf = true;
  n.type = type;
  n.name = std::move(name);
  return n;
}

// `num_decisions` decisions of 5 conditions each over 64 keyword rules, the 14 categories, 8
// embedding rules and a context rule. Even decisions are AND, odd ones OR (OR visits all five
// leaves), one leaf in ten sits under a NOT. Fixed seed.
config::RouterConfig SyntheticConfig(int num_decisions) {
  config::RouterConfig cfg;
  config::ModelSpec model;
  model.name = "m";
  model.provider_model_id = "m";
  model.backend_refs.push_back({"m-0", "127.0.0.1:8000", "127.0.0.1", 8000, "http", 100});
  cfg.providers.models.push_back(model);
  cfg.providers.default_model = "m";
  config::SignalsConfig& s = cfg.routing.signals;
  for (int k = 0; k < kSyntheticKeywordRules; ++k) {
    config::KeywordRule r;
    r.name = "kw" + std::to_string(k);
    r.keywords = {"word" + std::to_string(k)};
    s.keywords.push_back(r);
  }
  for (const char* c : kCategories) s.domains.push_back({c, "", {c}});
  for (int e = 0; e < kSyntheticEmbeddingRules; ++e) {
    config::EmbeddingRule r;
    r.name = "emb" + std::to_string(e);
    r.threshold = 0.7f;
    r.candidates = {"candidate"};
    s.embeddings.push_back(r);
  }
  s.context.push_back({"ctx", 100, 4000});

  std::mt19937 rng(42);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  for (int d = 0; d < num_decisions; ++d) {
    config::DecisionConfig dc;
    dc.name = "decision_" + std::to_string(d);
    dc.priority = pick(100);
    dc.rules.op = d % 2 == 0 ? config::RuleOperator::kAnd : config::RuleOperator::kOr;
    std::vector<config::RuleNode> leaves = {
        Leaf(config::SignalType::kDomain, kCategories[pick(kNumCategories)]),
        Leaf(config::SignalType::kKeyword, "kw" + std::to_string(pick(kSyntheticKeywordRules))),
        Leaf(config::SignalType::kKeyword, "kw" + std::to_string(pick(kSyntheticKeywordRules))),
        Leaf(config::SignalType::kEmbedding,
             "emb" + std::to_string(pick(kSyntheticEmbeddingRules))),
        Leaf(config::SignalType::kContext, "ctx")};
    for (config::RuleNode& leaf : leaves) {
      if (pick(10) == 0) {
        config::RuleNode neg;
        neg.op = config::RuleOperator::kNot;
        neg.children.push_back(std::move(leaf));
        dc.rules.children.push_back(std::move(neg));
      } else {
        dc.rules.children.push_back(std::move(leaf));
      }
    }
    dc.model_refs.push_back({"m", d % 3 == 0, "", "", 1.0f});
    cfg.routing.decisions.push_back(std::move(dc));
  }
  return cfg;
}

const Env& Synthetic(int num_decisions) {
  static std::mutex mu;
  static std::map<int, std::unique_ptr<Env>> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<Env>& env = cache[num_decisions];
  if (!env) {
    perf::ScopedAllocPause pause;
    env = std::make_unique<Env>(BuildEnv(SyntheticConfig(num_decisions)));
  }
  return *env;
}

// Half the keyword rules fire, two domain labels, most embeddings above threshold, context in.
SignalResults SyntheticSignals() {
  perf::ScopedAllocPause pause;
  SignalResults s;
  s.keyword_matched.resize(kSyntheticKeywordRules);
  for (int k = 0; k < kSyntheticKeywordRules; ++k) s.keyword_matched[k] = k % 2;
  s.AddDomain("math", 0.8f);
  s.AddDomain("physics", 0.15f);
  for (int e = 0; e < kSyntheticEmbeddingRules; ++e)
    s.embedding_similarity.push_back(0.6f + 0.05f * e);
  s.token_count = 500;
  return s;
}

void BenchmarkEvaluateDecisions_Scale(benchmark::State& state) {
  const Env& env = Synthetic(static_cast<int>(state.range(0)));
  if (!env.error.empty()) {
    state.SkipWithError(env.error.c_str());
    return;
  }
  SignalResults s = SyntheticSignals();
  RunEvaluate(state, "scale", state.range(0), *env.engine, s);
  perf::ScopedAllocPause pause;
  state.counters["conditions"] = 5.0 * static_cast<double>(state.range(0));
}
BENCHMARK(BenchmarkEvaluateDecisions_Scale)->Arg(10)->Arg(100)->Arg(1000);

// Many decisions match at once; the cost is in ordering them. 64 decisions over one domain,
// 16 priority levels (ties resolved by confidence, then name).
void BenchmarkPrioritySelection(benchmark::State& state) {
  static const Env env = [] {
    perf::ScopedAllocPause pause;
    config::RouterConfig cfg = SyntheticConfig(0);
    for (int d = 0; d < 64; ++d) {
      config::DecisionConfig dc;
      dc.name = "route_" + std::to_string(d);
      dc.priority = (d * 37) % 16;
      dc.rules.op = config::RuleOperator::kOr;
      dc.rules.children.push_back(Leaf(config::SignalType::kDomain, "math"));
      dc.rules.children.push_back(Leaf(config::SignalType::kEmbedding,
                                       "emb" + std::to_string(d % kSyntheticEmbeddingRules)));
      cfg.routing.decisions.push_back(std::move(dc));
    }
    return BuildEnv(std::move(cfg));
  }();
  if (!env.error.empty()) {
    state.SkipWithError(env.error.c_str());
    return;
  }
  SignalResults s = SyntheticSignals();
  RunEvaluate(state, __func__, 0, *env.engine, s);
}
BENCHMARK(BenchmarkPrioritySelection);

// ---- keyword signal ---------------------------------------------------------------------

// A 2 KB prompt of English words (fixed seed) that contains a few of the keywords.
std::string Prompt2K(const std::vector<std::string>& some_keywords) {
  static const char* const kWords[] = {
      "the",     "model",  "router", "request", "answer",  "question", "system",  "data",
      "explain", "please", "how",    "why",     "value",   "compute",  "network", "latency",
      "with",    "and",    "for",    "about",   "between", "results",  "table",   "error"};
  std::mt19937 rng(7);
  std::string text;
  size_t next_kw = 0;
  while (text.size() < 2048) {
    if (rng() % 40 == 0 && next_kw < some_keywords.size()) {
      text += some_keywords[next_kw++];
    } else {
      text += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
    }
    text += rng() % 12 == 0 ? ". " : " ";
  }
  text.resize(2048);
  return text;
}

// N keywords in rules of 10 (OR), pseudo-words from a fixed seed; a few occur in the prompt.
struct KeywordFixture {
  std::unique_ptr<KeywordSignal> signal;
  std::string prompt;
  std::string error;
};

const KeywordFixture& Keywords(int n) {
  static std::mutex mu;
  static std::map<int, std::unique_ptr<KeywordFixture>> cache;
  std::lock_guard<std::mutex> lock(mu);
  std::unique_ptr<KeywordFixture>& f = cache[n];
  if (f) return *f;
  perf::ScopedAllocPause pause;
  f = std::make_unique<KeywordFixture>();
  std::mt19937 rng(1234);
  std::vector<config::KeywordRule> rules;
  std::vector<std::string> planted;
  for (int i = 0; i < n; ++i) {
    if (i % 10 == 0) {
      rules.emplace_back();
      rules.back().name = "rule" + std::to_string(i / 10);
    }
    std::string w;
    int len = 4 + static_cast<int>(rng() % 6);
    for (int c = 0; c < len; ++c) w += static_cast<char>('a' + rng() % 26);
    if (i % 7 == 3) w += " " + std::string("term");  // some multi-word keywords
    rules.back().keywords.push_back(w);
    if (i % 97 == 5) planted.push_back(w);
  }
  auto sig = KeywordSignal::Create(rules);
  if (!sig.ok()) {
    f->error = sig.status().ToString();
    return *f;
  }
  f->signal = std::move(sig.value());
  f->prompt = Prompt2K(planted);
  return *f;
}

void BenchmarkKeywordSignal(benchmark::State& state) {
  const KeywordFixture& f = Keywords(static_cast<int>(state.range(0)));
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  SignalResults s;
  {
    perf::ScopedAllocPause pause;
    if (!f.signal->Match(f.prompt, &s).ok()) {  // warm-up: thread scratch and flags
      state.SkipWithError("Match failed");
      return;
    }
  }
  double hot_allocs =
      HotPathAllocsPerOp("keyword", state.range(0), [&] { (void)f.signal->Match(f.prompt, &s); });
  perf::LatencyRecorder lat;
  for (auto _ : state) {
    auto t = lat.Begin();
    Status st = f.signal->Match(f.prompt, &s);
    benchmark::DoNotOptimize(st);
    benchmark::DoNotOptimize(s.keyword_matched.data());
    lat.End(t);
  }
  perf::ScopedAllocPause pause;
  lat.Report(state);
  int matched = 0;
  for (uint8_t m : s.keyword_matched) matched += m;
  state.counters["keywords"] = static_cast<double>(state.range(0));
  state.counters["rules_matched"] = matched;
  state.counters["hot_path_allocs_per_op"] = hot_allocs;
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(f.prompt.size()));
}
BENCHMARK(BenchmarkKeywordSignal)->Arg(10)->Arg(100)->Arg(1000);

}  // namespace
}  // namespace vsr::decision
