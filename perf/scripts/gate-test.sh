#!/usr/bin/env bash
# Proves the perf gate against the fixture family (perf/testdata/gate_fixture_bench.cc):
#   1. A/A: two runs of the unchanged fixture -> `perftest check` passes
#   2. injected regressions -> `check` fails (exit 1) with a clear message:
#      one extra allocation per op, +5% instructions per op, a removed benchmark
#   (and, on AVX2 hosts, allocation runs pin OpenBLAS's core type unless the caller set one)
#   3. a malformed baseline and other bad inputs -> a clear error and exit code 2
#   4. `report` writes report.{json,md,html}; `baseline update` refuses a dirty tree
# Usage: perf/scripts/gate-test.sh <perftest binary> <directory with gate_fixture_bench>
# Prints "N passed, M failed" at the end; exits non-zero when any check failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
PERFTEST=$(realpath "${1:?usage: gate-test.sh PERFTEST BENCH_DIR}")
BENCH_DIR=$(realpath "${2:?usage: gate-test.sh PERFTEST BENCH_DIR}")
CONFIG=perf/testdata/gate/perf.yaml
THRESHOLDS=perf/config/thresholds.yaml
WORK=$(mktemp -d /tmp/vsr-gate-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0

ok() { echo "PASS: $*"; passed=$((passed + 1)); }
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }

# expect <name> <exit code> <regex the combined output must match> -- command...
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -ne $want ]]; then
    bad "$name: exit $rc, want $want"
    echo "$out" | tail -n 25 | sed 's/^/    /'
  elif [[ -n $pattern ]] && ! grep -Eq -- "$pattern" <<<"$out"; then
    bad "$name: output does not match /$pattern/"
    echo "$out" | tail -n 25 | sed 's/^/    /'
  else
    ok "$name"
  fi
}

run() {  # run <out.json> [ENV=value...]
  local out=$1
  shift
  env "$@" "$PERFTEST" run --config "$CONFIG" --bench-dir "$BENCH_DIR" --repetitions 3 --out "$out"
}

check() {  # check <current.json> [baseline dir]
  "$PERFTEST" check --current "$1" --baselines "${2:-$WORK/baselines}" --thresholds "$THRESHOLDS"
}

# Baseline from a first run.
expect "run A" 0 "4 benchmarks" -- run "$WORK/a.json"
expect "baseline update --from" 0 "wrote .*fixture.json" -- \
  "$PERFTEST" baseline update --config "$CONFIG" --from "$WORK/a.json" --dir "$WORK/baselines" --force

# 1. A/A
expect "run B (unchanged)" 0 "" -- run "$WORK/b.json"
expect "A/A: unchanged tree passes the gate" 0 "no blocking regression" -- check "$WORK/b.json"

# 2. Injected regressions.
expect "run with one extra allocation per op" 0 "" -- run "$WORK/alloc.json" VSR_FIXTURE_EXTRA_ALLOC=1
expect "extra allocation is caught" 1 "BLOCKING REGRESSION: BenchmarkFixture_Work allocs/op 0.00 -> 1.00" -- \
  check "$WORK/alloc.json"
if grep -qw avx2 /proc/cpuinfo; then  # allocation runs pin OpenBLAS's core type (runner.cc)
  expect "run with OpenBLAS-like per-core-type allocations" 0 "" -- \
    run "$WORK/coretype.json" VSR_FIXTURE_OPENBLAS_LIKE=1
  expect "allocation runs pin OPENBLAS_CORETYPE=Haswell" 0 "no blocking regression" -- \
    check "$WORK/coretype.json"
  expect "run with the caller's OPENBLAS_CORETYPE" 0 "" -- \
    run "$WORK/skx.json" VSR_FIXTURE_OPENBLAS_LIKE=1 OPENBLAS_CORETYPE=SkylakeX
  expect "a core type the caller set wins" 1 "BLOCKING REGRESSION: BenchmarkFixture_Work allocs/op 0.00 -> 1.00" -- \
    check "$WORK/skx.json"
fi
expect "run with +5% instructions" 0 "" -- run "$WORK/instr.json" VSR_FIXTURE_EXTRA_WORK_PERCENT=5
expect "+5% instructions is caught" 1 "BLOCKING REGRESSION: BenchmarkFixture_Work instructions/op .*\(\+[45]\.[0-9]+%\)" -- \
  check "$WORK/instr.json"
expect "run with a benchmark removed" 0 "" -- run "$WORK/removed.json" VSR_FIXTURE_REMOVE=1
expect "removed benchmark is caught" 1 "BLOCKING MISSING .*BenchmarkFixture_Removable" -- check "$WORK/removed.json"

# 3. Malformed baseline and bad inputs: exit 2 and a message that names the problem.
mkdir -p "$WORK/broken"
head -c 200 "$WORK/baselines/fixture.json" >"$WORK/broken/fixture.json"
expect "malformed baseline" 2 "fixture.json: malformed JSON" -- check "$WORK/b.json" "$WORK/broken"
echo '{"kind": "vsr-perf-results", "schema_version": 99}' >"$WORK/broken/fixture.json"
expect "baseline with a future schema" 2 "schema_version 99 is not supported" -- check "$WORK/b.json" "$WORK/broken"
expect "missing current file" 2 "no such file" -- check "$WORK/nope.json"
echo 'default: {max_allocs_increase: [' >"$WORK/bad.yaml"
expect "malformed thresholds YAML" 2 "bad.yaml: malformed YAML" -- \
  "$PERFTEST" check --current "$WORK/b.json" --baselines "$WORK/baselines" --thresholds "$WORK/bad.yaml"
printf 'benchmark_config:\n  families:\n    f: {binaries: [x]}\n  surprise: 1\n' >"$WORK/unknown.yaml"
expect "unknown key in perf.yaml" 2 "unknown.yaml:4: benchmark_config.surprise: unknown key" -- \
  "$PERFTEST" run --config "$WORK/unknown.yaml" --out "$WORK/x.json"
expect "invalid --filter regex" 2 "invalid --filter regex" -- \
  "$PERFTEST" run --config "$CONFIG" --bench-dir "$BENCH_DIR" --filter '(' --out "$WORK/x.json"
expect "unknown family" 2 "unknown family 'nope'" -- \
  "$PERFTEST" run --config "$CONFIG" --bench-dir "$BENCH_DIR" --family nope --out "$WORK/x.json"
echo '{"benchmarks": 3' >"$WORK/garbage.json"
expect "malformed current JSON" 2 "garbage.json: malformed JSON" -- check "$WORK/garbage.json"
expect "unknown subcommand" 2 "" -- "$PERFTEST" frobnicate

# 4. Report and baseline safety.
expect "report" 0 "wrote .*report" -- "$PERFTEST" report --current "$WORK/instr.json" --baselines "$WORK/baselines" \
  --thresholds "$THRESHOLDS" --out-dir "$WORK/report" --e2e "$WORK/none.json" --folded "$WORK/none.folded"
if grep -q "<svg" "$WORK/report/report.html" 2>/dev/null && grep -q "REGRESSION" "$WORK/report/report.md" 2>/dev/null \
  && grep -q '"blocking": true' "$WORK/report/report.json" 2>/dev/null; then
  ok "report.{json,md,html} carry the regression and the charts"
else
  bad "report files incomplete"
fi
git init -q "$WORK/repo" && git -C "$WORK/repo" -c user.email=t@t -c user.name=t commit -q --allow-empty -m init
echo x >"$WORK/repo/f" && git -C "$WORK/repo" add f && git -C "$WORK/repo" -c user.email=t@t -c user.name=t commit -q -m f
echo y >"$WORK/repo/f"
expect "baseline update refuses a dirty tree" 2 "uncommitted changes" -- \
  bash -c "cd '$WORK/repo' && '$PERFTEST' baseline update --from '$WORK/a.json' --dir '$WORK/repo/b'"

echo
echo "gate-test: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
