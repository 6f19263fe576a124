# End-to-end load tests (owner: e2e). See perf/e2e/README.md.
#   make perf-e2e              full scenarios (~5 min): router (configured models) + mock + nginx
#                              peer, reports/e2e.json
#   make perf-e2e-overhead     the router's own cost with stub classifiers (~4 min): overhead at
#                              1,000 qps, realistic and cache-hit throughput; reports/e2e-overhead.json
#   make perf-e2e-smoke        the CI variant (< 2 min), also validates the generator on nginx
#   make perf-e2e-nginx-check  the load generator alone against nginx serving a static file
#   make perf-e2e-baseline     keep reports/e2e.json as perf/testdata/baselines/e2e/<isa>.json
.PHONY: perf-e2e perf-e2e-overhead perf-e2e-smoke perf-e2e-nginx-check perf-e2e-baseline \
        e2e-binaries

E2E_TARGETS = vsr-loadgen vsr-router vsr-mock-backend

e2e-binaries: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target $(E2E_TARGETS)

perf-e2e: e2e-binaries
	BUILD_DIR=$(BUILD_DIR) perf/scripts/e2e-run.sh full

perf-e2e-overhead: e2e-binaries
	BUILD_DIR=$(BUILD_DIR) perf/scripts/e2e-run.sh overhead

perf-e2e-smoke: e2e-binaries
	BUILD_DIR=$(BUILD_DIR) perf/scripts/e2e-smoke.sh

perf-e2e-baseline:
	perf/scripts/e2e-baseline.sh

perf-e2e-nginx-check: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target vsr-loadgen
	E2E_BIN=$(abspath $(BUILD_DIR))/bin perf/scripts/e2e-nginx-check.sh
