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
# The smoke runs the configured default models on every request (E2E_CLASSIFIERS=models: it
# fails, rather than falls back, when they do not load). With the models on the request's
# thread the router costs ~0.8-1 ms CPU per request, so the smoke's 200-800 qps steps fit a
# 2-core machine that also hosts the load generator, the mock and nginx (measured under load
# ~6: 800 qps sustained, 100% success; docs/router.md). E2E_CLASSIFIERS=stub measures the
# router's own path without inference.
E2E_CLASSIFIERS=${E2E_CLASSIFIERS:-models} BUILD_DIR="$build_dir" "$here/e2e-run.sh" smoke
echo "e2e smoke: passed in $(( $(date +%s) - start ))s (reports/e2e.json)"
