// RunScenarios: the three e2e scenarios of the seed, against a running router, the mock
// backend it forwards to (direct) and optionally a plain nginx proxy to the same mock.
//
//   performance-latency     one fixed rate, the same schedule and bodies sent to the router,
//                           straight to the mock and through nginx; router overhead =
//                           routed - direct latency at p50 and p99 (nginx's likewise)
//   performance-throughput  the highest sustained QPS (success rate and p99 within the
//                           thresholds) for the realistic mix, and for the cache-hit path
//   performance-resource    the router's RSS, CPU% and threads from /proc during every routed
//                           run, peak and average
// plus the perf.yaml load patterns against the router. Returns the reports/e2e.json document
// (schema in perf/e2e/README.md) with threshold checks; progress goes to `log`.
#pragma once

#include <sys/types.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "perf/e2e/http_target.h"
#include "perf/e2e/load_pattern.h"
#include "perf/e2e/prompt_mix.h"
#include "perf/e2e/scenario_plan.h"

namespace vsr::e2e {

inline constexpr int kE2eSchemaVersion = 1;

struct ScenarioEndpoints {
  HttpTarget router;
  HttpTarget direct;                // the mock backend, same path
  std::optional<HttpTarget> nginx;  // nginx proxying to the same mock
  pid_t router_pid = 0;             // 0: no resource sampling
};

struct ScenarioInputs {
  ScenarioPlan plan;
  E2eThresholds thresholds;
  std::vector<LoadPattern> patterns;  // from perf.yaml
  PromptCorpus corpus;
  std::map<std::string, std::string> context;  // copied into "context" (git commit, ...)
  const nlohmann::json* baseline = nullptr;    // an earlier e2e.json to compare with
};

StatusOr<nlohmann::json> RunScenarios(const ScenarioInputs& in, const ScenarioEndpoints& at,
                                      std::ostream& log);

// Threshold checks over a finished document's "summary" (exposed for tests): appends
// "checks" and sets "passed" (true when every blocking check passes).
void AddChecks(const E2eThresholds& t, bool smoke, nlohmann::json* doc);

// Regression comparison of the key metrics against a baseline document ("comparison"). A
// baseline from another machine (cpu_model, isa, cores; perf/lib/benchmark/e2e_baseline.h)
// gives no rows, only "not_comparable" with the reason.
void AddBaselineComparison(const E2eThresholds& t, const nlohmann::json& baseline,
                           nlohmann::json* doc);

}  // namespace vsr::e2e
