#!/usr/bin/env bash
# CI's quick perf gate (.ci/run calls it after the tests): deterministic metrics only.
#   allocations/op and bytes/op (fixed iteration counts) and instructions/op (callgrind)
#   of every family that exists, against perf/testdata/baselines/*.json.
# No wall time: a shared CI machine must not turn noise into a red build. Benchmarks without a
# baseline are listed loudly and do not fail; a baseline benchmark that no longer runs fails.
# Writes reports/ci-gate.md (the PR-comment body) and reports/current.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
make --no-print-directory perf-build >/tmp/vsr-perf-build.log 2>&1 || {
  tail -n 40 /tmp/vsr-perf-build.log
  echo "ci-gate: building the benchmarks failed"
  exit 1
}
PERFTEST=${PERF_BUILD_DIR:-build-bench}/perf/cmd/perftest/perftest
$PERFTEST run --suite quick --no-timing --bench-dir "${PERF_BUILD_DIR:-build-bench}/bench"
rc=0
$PERFTEST check >reports/ci-gate.md || rc=$?
echo "ci-gate: finished in $(($(date +%s) - start))s; Markdown report: reports/ci-gate.md"
exit $rc
