#!/usr/bin/env bash
# Starts four vsr-mock-backend instances (127.0.0.1:8000-8003, the backends of
# config/config.yaml) and vsr-router in front of them; Ctrl-C stops everything.
#   deploy/run-local.sh BIN_DIR [CONFIG] [extra vsr-router flags...]
# When the configured classifier models are missing, the router is started with
# --stub-classifiers (model-free stand-ins) and says so.
set -euo pipefail
bin=${1:?usage: run-local.sh BIN_DIR [CONFIG] [router flags...]}
config=${2:-config/config.yaml}
shift $(( $# >= 2 ? 2 : 1 ))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

for port in 8000 8001 8002 8003; do
  "$bin/vsr-mock-backend" --port "$port" --latency-ms 20 --tokens 24 &
  pids+=($!)
done

args=("$@")
# Probe: does the router build with the configured models?
probe_log=$(mktemp)
"$bin/vsr-router" --config "$config" --address 127.0.0.1 --port 0 --no-extproc "${args[@]}" >"$probe_log" 2>&1 &
probe=$!
for _ in $(seq 1 100); do
  grep -q "listening" "$probe_log" && break
  kill -0 "$probe" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "listening" "$probe_log"; then
  echo "run-local: the router did not start with the configured models:" >&2
  tail -n 3 "$probe_log" >&2
  echo "run-local: => starting it with --stub-classifiers (no model inference)" >&2
  args+=(--stub-classifiers)
fi
kill "$probe" 2>/dev/null || true
wait "$probe" 2>/dev/null || true
rm -f "$probe_log"

"$bin/vsr-router" --config "$config" "${args[@]}" &
pids+=($!)
sleep 1
cat <<'MSG'

The router is up: OpenAI-compatible HTTP on :8801, Envoy ext_proc on :50051.
Send a request:

  curl -s http://localhost:8801/v1/chat/completions -H 'content-type: application/json' \
    -d '{"model":"auto","messages":[{"role":"user","content":"What is the derivative of x^3? Prove it."}]}' -i

More: GET /v1/models, GET /metrics, POST /api/v1/classify/intent {"text":"..."} (docs/router.md).
Ctrl-C stops the router and the mock backends.
MSG
wait
