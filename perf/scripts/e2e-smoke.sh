#!/usr/bin/env bash
# The e2e smoke test for CI (.ci/run): under two minutes, on the main build.
#   1. the load generator against a plain nginx serving a static file (validates the tool)
#   2. the smoke variant of the scenarios against router + mock + nginx peer
# Builds the three binaries first if needed (a no-op after `make test`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build_dir=${BUILD_DIR:-build}
[[ "$build_dir" = /* ]] || build_dir="$root/$build_dir"
start=$(date +%s)
if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S "$root" -B "$build_dir" -G Ninja ${CMAKE_FLAGS:-} >/dev/null
fi
if ! cmake --build "$build_dir" --target vsr-loadgen vsr-router vsr-mock-backend -j "$(nproc)" \
  >"$build_dir/e2e-smoke-build.log" 2>&1; then
  tail -n 40 "$build_dir/e2e-smoke-build.log" >&2
  echo "e2e smoke: the build failed" >&2
  exit 2
fi
E2E_BIN="$build_dir/bin" "$here/e2e-nginx-check.sh" 1000 3s
# The smoke gates the router's own request path, so it runs model-free (--stub-classifiers)
# unless E2E_CLASSIFIERS says otherwise: with the default models on every request, a 2-core
# machine that also hosts the load generator and the mock sustains ~100 qps (2026-11-28),
# below the smoke's 200 qps step. `E2E_CLASSIFIERS=models make perf-e2e` measures that path.
E2E_CLASSIFIERS=${E2E_CLASSIFIERS:-stub} BUILD_DIR="$build_dir" "$here/e2e-run.sh" smoke
echo "e2e smoke: passed in $(( $(date +%s) - start ))s (reports/e2e.json)"
