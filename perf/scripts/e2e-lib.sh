# Shared shell helpers of the e2e scripts (sourced, not run). Every process started here is
# recorded and stopped by e2e_cleanup, which the scripts install as an EXIT trap; all
# traffic stays on 127.0.0.1.
#
#   e2e_init                       temp dir in $E2E_TMP, trap installed
#   e2e_free_port                  prints a free loopback port
#   e2e_wait_port PORT SECS [PID]  waits until something accepts on 127.0.0.1:PORT
#   e2e_start NAME CMD...          starts CMD in the background (log: $E2E_TMP/NAME.log),
#                                  sets E2E_PID
#   e2e_start_nginx PORT UPSTREAM  nginx (foreground mode) from perf/e2e/nginx.conf.in
#   e2e_cleanup                    stops everything started, removes the temp dir

E2E_ROOT=${E2E_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
E2E_BIN=${E2E_BIN:-$E2E_ROOT/build/bin}
E2E_PIDS=()
E2E_NAMES=()

e2e_log() { echo "[e2e $(date +%H:%M:%S)] $*" >&2; }

e2e_cleanup() {
  local i pid
  for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${E2E_PIDS[$i]}
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${E2E_PIDS[$i]}
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      e2e_log "${E2E_NAMES[$i]} (pid $pid) ignored SIGTERM; killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    local rc=0
    wait "$pid" 2>/dev/null || rc=$?
    # 143 = SIGTERM, as asked; anything above 128 else is a crash on the way out.
    if ((rc > 128 && rc != 143 && rc != 137)); then
      e2e_log "${E2E_NAMES[$i]} (pid $pid) died of signal $((rc - 128)) while stopping"
    fi
  done
  E2E_PIDS=()
  E2E_NAMES=()
  if [[ -n "${E2E_TMP:-}" && -d "$E2E_TMP" && -z "${E2E_KEEP_TMP:-}" ]]; then
    rm -rf "$E2E_TMP"
  fi
}

e2e_init() {
  E2E_TMP=$(mktemp -d /tmp/vsr-e2e.XXXXXX)
  trap 'e2e_cleanup' EXIT
  trap 'e2e_log "interrupted"; exit 130' INT TERM
}

e2e_free_port() { "$E2E_BIN/vsr-loadgen" free-port; }

e2e_wait_port() {  # PORT SECONDS [PID: give up when it exits]
  local port=$1 seconds=${2:-10} pid=${3:-} i
  for ((i = 0; i < seconds * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      e2e_log "process $pid exited before 127.0.0.1:$port accepted connections"
      return 1
    fi
    sleep 0.1
  done
  e2e_log "nothing accepts on 127.0.0.1:$port after ${seconds}s"
  return 1
}

e2e_start() {
  local name=$1
  shift
  "$@" >"$E2E_TMP/$name.log" 2>&1 &
  E2E_PID=$!
  E2E_PIDS+=("$E2E_PID")
  E2E_NAMES+=("$name")
  e2e_log "started $name (pid $E2E_PID): $*"
}

# Dies with the tail of a process's log when it is not running.
e2e_check_alive() {
  local name=$1 pid=$2
  if ! kill -0 "$pid" 2>/dev/null; then
    e2e_log "$name exited early; its log:"
    tail -n 30 "$E2E_TMP/$name.log" >&2 || true
    return 1
  fi
}

e2e_start_nginx() {
  local port=$1 upstream=${2:-9} dir="$E2E_TMP/nginx" user=""
  command -v nginx >/dev/null || { e2e_log "nginx not installed (scripts/install-deps.sh)"; return 1; }
  mkdir -p "$dir/www"
  [[ $(id -u) -eq 0 ]] && user="user root root;"
  # A static chat-completion-shaped JSON document, to validate the load generator.
  printf '%s\n' '{"id":"static","object":"chat.completion","model":"static","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}' \
    >"$dir/www/static.json"
  sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@UPSTREAM_PORT@|$upstream|g" \
    -e "s|@WORKERS@|${E2E_NGINX_WORKERS:-auto}|g" -e "s|@USER_DIRECTIVE@|$user|g" \
    "$E2E_ROOT/perf/e2e/nginx.conf.in" >"$dir/nginx.conf"
  nginx -t -q -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log" 2>"$dir/configtest.log" || {
    e2e_log "nginx rejected its config:"; cat "$dir/configtest.log" >&2; return 1; }
  e2e_start nginx nginx -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log"
  e2e_wait_port "$port" 10 "$E2E_PID" || { e2e_check_alive nginx "$E2E_PID"; return 1; }
}
