// Proves the hot path allocates nothing: keyword matching plus decision evaluation over the
// reference config, counted by the process-wide allocation hooks (perf/lib/metrics).
#include <gtest/gtest.h>

#include <string>

#include "decision/decision_engine.h"
#include "perf/lib/metrics/alloc_counter.h"
#include "signals/keyword_signal.h"

namespace vsr::decision {
namespace {

TEST(DecisionAllocTest, SteadyStateEvaluationAllocatesNothing) {
  ASSERT_TRUE(perf::AllocHooksInstalled());
  StatusOr<config::RouterConfig> cfg = config::LoadConfigFile("config/config.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  auto engine = DecisionEngine::Create(*cfg);
  ASSERT_TRUE(engine.ok());
  auto keywords = signals::KeywordSignal::Create(cfg->routing.signals.keywords);
  ASSERT_TRUE(keywords.ok());

  const std::string prompts[] = {
      "What is the derivative of sin(x)? Explain the calculus step by step.",
      "Is this contract clause about liability enforceable in court?",
      "URGENT: the build fails with a stack trace in the compile step",
      "Tell me about the history of Rome.",
  };
  const char* domains[] = {"math", "law", "computer science", "history"};

  signals::SignalResults s;
  DecisionResult r;
  auto run = [&](int i) {
    s.Clear();
    ASSERT_TRUE((*keywords)->Match(prompts[i % 4], &s).ok());
    s.AddDomain(domains[i % 4], 0.8f);
    s.AddPii("EMAIL_ADDRESS", 0.9f);
    s.SetJailbreak(false, 0.99f);
    s.token_count = 40 + i;
    ASSERT_TRUE((*engine)->Evaluate(s, &r).ok());
  };
  for (int i = 0; i < 8; ++i) run(i);  // warm-up: buffers reach their size

  perf::AllocCounterStart();
  for (int i = 0; i < 1000; ++i) run(i);
  perf::AllocSnapshot snap = perf::AllocCounterStop();
  EXPECT_EQ(snap.allocs, 0) << "bytes: " << snap.bytes;
  EXPECT_TRUE(r.matched);
}

TEST(DecisionAllocTest, CounterSeesAllocationsWhenTheyHappen) {
  // The test above cannot pass vacuously: a fresh result must allocate its scratch.
  StatusOr<config::RouterConfig> cfg = config::LoadConfigFile("config/config.yaml");
  ASSERT_TRUE(cfg.ok());
  auto engine = DecisionEngine::Create(*cfg);
  ASSERT_TRUE(engine.ok());
  signals::SignalResults s;
  s.AddDomain("math", 0.9f);
  perf::AllocCounterStart();
  {
    DecisionResult fresh;
    ASSERT_TRUE((*engine)->Evaluate(s, &fresh).ok());
  }
  perf::AllocSnapshot snap = perf::AllocCounterStop();
  EXPECT_GT(snap.allocs, 0);
}

}  // namespace
}  // namespace vsr::decision
