#!/usr/bin/env bash
# End-to-end load tests (make perf-e2e / make perf-e2e-smoke).
#
#   perf/scripts/e2e-run.sh [full|smoke|overhead]
#
# full and smoke run the configured models (E2E_CLASSIFIERS=auto); overhead runs the router
# with --stub-classifiers (its own cost, model inference excluded) unless E2E_CLASSIFIERS says
# otherwise.
#
# Starts, on free 127.0.0.1 ports: the mock backend (fixed latency), the router configured to
# forward to it, and a plain nginx reverse proxy to the same mock (the peer). Then
# `vsr-loadgen scenarios` runs performance-latency, performance-throughput,
# performance-resource and the perf.yaml load patterns and writes reports/e2e.json. Every
# process is stopped on exit, failure or interrupt (trap in e2e-lib.sh).
#
# Environment: BUILD_DIR (build), E2E_BACKEND_LATENCY_MS (10), E2E_BACKEND_TOKENS (16),
# E2E_OUT (reports/e2e.json; overhead: reports/e2e-overhead.json), E2E_BASELINE
# (perf/testdata/baselines/e2e: the file named after this machine's vector ISA, e.g.
# avx2.json, compared only when CPU model, ISA and cores match; overhead: none),
# E2E_ROUTER_CONFIG (default: config/config.yaml with its backends pointed at the mock),
# E2E_CLASSIFIERS (auto: the configured models if they load, else --stub-classifiers).
# Exit: 0 all blocking checks pass, 1 a blocking check failed, 2 could not run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/e2e-lib.sh"

variant=${1:-full}
[[ "$variant" == full || "$variant" == smoke || "$variant" == overhead ]] ||
  { echo "usage: $0 [full|smoke|overhead]" >&2; exit 2; }
build_dir=${BUILD_DIR:-build}
[[ "$build_dir" = /* ]] || build_dir="$E2E_ROOT/$build_dir"
E2E_BIN="$build_dir/bin"
latency_ms=${E2E_BACKEND_LATENCY_MS:-10}
tokens=${E2E_BACKEND_TOKENS:-16}
out=${E2E_OUT:-$E2E_ROOT/reports/e2e.json}
baseline=${E2E_BASELINE:-$E2E_ROOT/perf/testdata/baselines/e2e}
if [[ "$variant" == overhead ]]; then  # its own report; the e2e baseline is another variant
  out=${E2E_OUT:-$E2E_ROOT/reports/e2e-overhead.json}
  baseline=${E2E_BASELINE:-none}
fi
router_config_src=${E2E_ROUTER_CONFIG:-$E2E_ROOT/config/config.yaml}
path=/v1/chat/completions

for b in vsr-router vsr-mock-backend vsr-loadgen; do
  [[ -x "$E2E_BIN/$b" ]] || { e2e_log "missing $E2E_BIN/$b: build it first (make perf-e2e builds it)"; exit 2; }
done
[[ -f "$router_config_src" ]] || { e2e_log "missing router config $router_config_src"; exit 2; }

cd "$E2E_ROOT"  # the router resolves model paths relative to the repository
e2e_init
used=" "
port() {  # a free port not handed out before in this run
  local p
  while :; do
    p=$(e2e_free_port)
    [[ "$used" == *" $p "* ]] || break
  done
  used+="$p "
  echo "$p"
}

mock_port=$(port)
e2e_start mock "$E2E_BIN/vsr-mock-backend" --port "$mock_port" --latency-ms "$latency_ms" --tokens "$tokens"
mock_pid=$E2E_PID
e2e_wait_port "$mock_port" 15 "$mock_pid" || { e2e_check_alive mock "$mock_pid"; exit 2; }

router_port=$(port)
# The reference config with every backend pointed at the mock; address, port and ext_proc
# are set on the command line (loopback only, no gRPC listener).
sed -E -e "s/127\.0\.0\.1:[0-9]+/127.0.0.1:$mock_port/g" "$router_config_src" >"$E2E_TMP/router.yaml"
grep -q "127.0.0.1:$mock_port" "$E2E_TMP/router.yaml" || { e2e_log "no 127.0.0.1:PORT backend to point at the mock in $router_config_src"; exit 2; }
start_router() {  # start_router [extra args]
  e2e_start router "$E2E_BIN/vsr-router" --config "$E2E_TMP/router.yaml" --address 127.0.0.1 \
    --port "$router_port" --no-extproc "$@"
  router_pid=$E2E_PID
  e2e_wait_port "$router_port" 120 "$router_pid"
}
# E2E_CLASSIFIERS: models (the configured classifier models), stub (model-free classifiers:
# the router's own overhead, excluding inference) or auto (models, else stub, said loudly).
default_classifiers=auto
[[ "$variant" == overhead ]] && default_classifiers=stub
classifiers=${E2E_CLASSIFIERS:-$default_classifiers}
case "$classifiers" in
  models) start_router || { e2e_check_alive router "$router_pid"; exit 2; } ;;
  stub) start_router --stub-classifiers || { e2e_check_alive router "$router_pid"; exit 2; } ;;
  auto)
    if start_router; then
      classifiers=models
    else
      e2e_log "the router did not start with the configured models:"
      tail -n 5 "$E2E_TMP/router.log" >&2 || true
      e2e_log "=> running with --stub-classifiers (router overhead without model inference)"
      start_router --stub-classifiers || { e2e_check_alive router "$router_pid"; exit 2; }
      classifiers=stub
    fi ;;
  *) e2e_log "E2E_CLASSIFIERS must be models, stub or auto"; exit 2 ;;
esac

nginx_port=$(port)
e2e_start_nginx "$nginx_port" "$mock_port" || exit 2

commit=$(git -C "$E2E_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
e2e_log "running the $variant scenarios (router :$router_port, mock :$mock_port, nginx :$nginx_port)"
set +e
"$E2E_BIN/vsr-loadgen" scenarios --variant "$variant" \
  --router-url "http://127.0.0.1:$router_port$path" \
  --direct-url "http://127.0.0.1:$mock_port$path" \
  --nginx-url "http://127.0.0.1:$nginx_port$path" \
  --router-pid "$router_pid" \
  --plan "$E2E_ROOT/perf/e2e/scenarios.yaml" \
  --perf-config "$E2E_ROOT/perf/config/perf.yaml" \
  --thresholds "$E2E_ROOT/perf/config/thresholds.yaml" \
  --prompts "$E2E_ROOT/perf/e2e/prompts.yaml" \
  --baseline "$baseline" --out "$out" \
  --context "git_commit=$commit" --context "backend_latency_ms=$latency_ms" \
  --context "backend_tokens=$tokens" --context "router_config=$router_config_src" \
  --context "classifiers=$classifiers"
rc=$?
set -e
if ! kill -0 "$router_pid" 2>/dev/null; then
  e2e_log "the router died during the run; its log:"
  tail -n 40 "$E2E_TMP/router.log" >&2 || true
  rc=2
fi
exit $rc
