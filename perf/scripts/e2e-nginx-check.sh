#!/usr/bin/env bash
# Validates the load generator against an independent server: a plain nginx serving a static
# JSON file on a free loopback port. The run must succeed completely at the offered rate.
#   perf/scripts/e2e-nginx-check.sh [QPS] [DURATION]     (default 1000 qps for 5s)
set -euo pipefail
source "$(dirname "$0")/e2e-lib.sh"
qps=${1:-1000}
duration=${2:-5s}
[[ -x "$E2E_BIN/vsr-loadgen" ]] || { e2e_log "missing $E2E_BIN/vsr-loadgen (build it first)"; exit 2; }
e2e_init
port=$(e2e_free_port)
e2e_start_nginx "$port"
mkdir -p "$E2E_ROOT/reports"
e2e_log "load generator -> nginx static file at $qps qps for $duration"
"$E2E_BIN/vsr-loadgen" run --method GET --url "http://127.0.0.1:$port/static.json" \
  --qps "$qps" --duration "$duration" --warm-connections 8 \
  --min-success 1.0 --min-achieved-ratio 0.95 --json "$E2E_ROOT/reports/e2e-nginx-static.json"
e2e_log "nginx static check passed (reports/e2e-nginx-static.json)"
