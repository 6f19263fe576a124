// Which end-to-end baseline a run is compared with, and whether it can be.
//
// e2e numbers (sustained qps, latency percentiles, CPU) depend on the machine far more than
// the micro-benchmarks' deterministic metrics do: the router's kernels are picked by the
// vector ISA it was built for (an AVX2 host sustained 516 qps where the AVX-512 host of the
// first baseline sustained 2,610). So e2e baselines are kept per ISA, in
// perf/testdata/baselines/e2e/<isa>.json, and a baseline from another kind of machine is
// reported as not comparable instead of as an -80 % "regression".
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace vsr::perf {

// The baseline for a machine with vector ISA `isa` (MachineInfo::isa): a file path is taken
// as is; a directory means <dir>/<isa>.json.
std::string ResolveE2eBaseline(const std::string& path, const std::string& isa);

// The vector ISA an e2e results document recorded (context.isa), or "unknown" (also for a
// document that is not an object or holds no context).
std::string RecordedIsa(const nlohmann::json& run);

// Why the e2e results `run` cannot be compared with `baseline` (both vsr-e2e-results
// documents), or "" when they can: their /context must name the same cpu_model, isa and
// hardware_concurrency, and both must be runs of the same variant (full, smoke, overhead).
std::string E2eNotComparableReason(const nlohmann::json& run, const nlohmann::json& baseline);

}  // namespace vsr::perf
