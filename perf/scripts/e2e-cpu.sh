#!/usr/bin/env bash
# Where the CPU goes under load: one constant-rate run against router + mock, and the CPU time
# (user + system, from /proc/PID/stat and the generator's rusage) of the router, the mock and
# the load generator, per request. CPU per request survives a noisy shared machine far
# better than latency does, so compare configurations with it.
#
#   perf/scripts/e2e-cpu.sh [QPS] [DURATION] [-- extra vsr-router flags]
#   e.g. perf/scripts/e2e-cpu.sh 500 10s
#        perf/scripts/e2e-cpu.sh 1000 10s -- --stub-classifiers
#
# Environment: BUILD_DIR (build), E2E_MIX (realistic), E2E_MODEL_THREADS (the config's
# global.model_catalog.threads), E2E_MODEL_WEIGHTS (its weights: f32, bf16, int8),
# E2E_PERF=1 also records `perf record -e cpu-clock -g` of the
# router into $BUILD_DIR/e2e-cpu.perf.data (read it with `perf report -i ...`).
# Exit: 0 done, 2 could not run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/e2e-lib.sh"

qps=${1:-500}
duration=${2:-10s}
shift $(( $# < 2 ? $# : 2 ))
[[ "${1:-}" == "--" ]] && shift
build_dir=${BUILD_DIR:-build}
[[ "$build_dir" = /* ]] || build_dir="$E2E_ROOT/$build_dir"
E2E_BIN="$build_dir/bin"
mix=${E2E_MIX:-realistic}
for b in vsr-router vsr-mock-backend vsr-loadgen; do
  [[ -x "$E2E_BIN/$b" ]] || { e2e_log "missing $E2E_BIN/$b: build it first"; exit 2; }
done
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, clock ticks

cd "$E2E_ROOT"
e2e_init
mock_port=$(e2e_free_port)
e2e_start mock "$E2E_BIN/vsr-mock-backend" --port "$mock_port" --latency-ms 10 --tokens 16
mock_pid=$E2E_PID
e2e_wait_port "$mock_port" 15 "$mock_pid" || { e2e_check_alive mock "$mock_pid"; exit 2; }
router_port=$(e2e_free_port)
while [[ "$router_port" == "$mock_port" ]]; do router_port=$(e2e_free_port); done
sed -E -e "s/127\.0\.0\.1:[0-9]+/127.0.0.1:$mock_port/g" config/config.yaml >"$E2E_TMP/router.yaml"
if [[ -n "${E2E_MODEL_THREADS:-}" ]]; then
  sed -i -E "s/^    threads: [0-9]+$/    threads: $E2E_MODEL_THREADS/" "$E2E_TMP/router.yaml"
fi
if [[ -n "${E2E_MODEL_WEIGHTS:-}" ]]; then  # next to model_catalog.threads, same indentation
  sed -i -E "s/^(    threads: [0-9]+)$/\1\n    weights: $E2E_MODEL_WEIGHTS/" "$E2E_TMP/router.yaml"
fi
e2e_start router "$E2E_BIN/vsr-router" --config "$E2E_TMP/router.yaml" --address 127.0.0.1 \
  --port "$router_port" --no-extproc "$@"
router_pid=$E2E_PID
e2e_wait_port "$router_port" 120 "$router_pid" || { e2e_check_alive router "$router_pid"; exit 2; }

url="http://127.0.0.1:$router_port/v1/chat/completions"
"$E2E_BIN/vsr-loadgen" run --url "$url" --qps 50 --duration 2s --mix "$mix" --seed 7 >/dev/null 2>&1
perf_pid=
if [[ "${E2E_PERF:-0}" == 1 ]]; then
  perf record -e cpu-clock -F 999 -g -p "$router_pid" -o "$build_dir/e2e-cpu.perf.data" \
    >"$E2E_TMP/perf.log" 2>&1 &
  perf_pid=$!
fi
r0=$(cpu_ticks "$router_pid")
m0=$(cpu_ticks "$mock_pid")
/usr/bin/time -f "%U %S" -o "$E2E_TMP/loadgen.time" "$E2E_BIN/vsr-loadgen" run --url "$url" \
  --qps "$qps" --duration "$duration" --mix "$mix" --seed 11 --json "$E2E_TMP/run.json" \
  >"$E2E_TMP/loadgen.log" 2>&1 || true
r1=$(cpu_ticks "$router_pid")
m1=$(cpu_ticks "$mock_pid")
[[ -n "$perf_pid" ]] && { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
e2e_check_alive router "$router_pid" || exit 2

python3 - "$E2E_TMP/run.json" "$(getconf CLK_TCK)" "$((r1 - r0))" "$((m1 - m0))" \
  "$(cat "$E2E_TMP/loadgen.time")" "$(uptime)" <<'PY'
import json, sys
run, hz, router, mock, lg, up = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
s = json.load(open(run))["summary"]
ok = max(s["ok"], 1)
lat = s["latency_ms"]
lg_s = sum(float(x) for x in lg.split())
print(f"offered {s['offered_qps']:.0f} qps, achieved {s['achieved_qps']:.1f}, success {s['success_rate']:.4f}, "
      f"p50 {lat['p50_ms']:.2f} p99 {lat['p99_ms']:.2f} ms, cache hits {s['cache_hit_rate']:.2f}")
for name, sec in (("router", router / hz), ("mock", mock / hz), ("load generator", lg_s)):
    print(f"{name:>15}: {sec:6.2f} s CPU, {sec * 1000 / ok:.3f} ms per request")
print("uptime:", up.strip())
PY
