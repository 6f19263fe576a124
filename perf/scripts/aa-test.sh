#!/usr/bin/env bash
# A/A test of the deterministic gate: N runs of the unchanged tree, each checked against the
# baselines; prints the false alarms and the instructions/op and allocs/op spread per
# benchmark (max - min) / min. Usage: perf/scripts/aa-test.sh [N] [perftest run options...]
# Example: perf/scripts/aa-test.sh 10 --family decision
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10}
shift || true
BUILD=${PERF_BUILD_DIR:-build-bench}
PERFTEST=$BUILD/perf/cmd/perftest/perftest
OUT=reports/aa
mkdir -p "$OUT"
alarms=0
for i in $(seq 1 "$N"); do
  "$PERFTEST" run --suite quick --no-timing --bench-dir "$BUILD/bench" --out "$OUT/run$i.json" "$@" 2>"$OUT/run$i.log"
  if "$PERFTEST" check --current "$OUT/run$i.json" >"$OUT/check$i.md" 2>"$OUT/check$i.log"; then
    echo "run $i: no blocking regression"
  else
    echo "run $i: FALSE ALARM"; grep BLOCKING "$OUT/check$i.log" || true
    alarms=$((alarms + 1))
  fi
done
python3 - "$OUT" "$N" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
vals = {}
for i in range(1, n + 1):
    for b in json.load(open(f"{out}/run{i}.json"))["benchmarks"]:
        for m in ("instructions_per_op", "allocs_per_op"):
            if m in b["metrics"]:
                vals.setdefault((b["name"], m), []).append(b["metrics"][m])
worst = 0.0
print(f"{'benchmark':60} {'metric':20} {'min':>14} {'max':>14} {'spread':>8}")
for (name, m), v in sorted(vals.items()):
    lo, hi = min(v), max(v)
    spread = (hi - lo) / lo * 100 if lo else (0.0 if hi == 0 else float("inf"))
    worst = max(worst, spread) if m == "instructions_per_op" else worst
    print(f"{name[:60]:60} {m:20} {lo:14.1f} {hi:14.1f} {spread:7.3f}%")
print(f"worst instructions/op spread over {n} runs: {worst:.3f}%")
PY
echo "aa-test: $alarms false alarm(s) in $N runs"
[[ $alarms -eq 0 ]]
