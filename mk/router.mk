# Router targets (owner: router; see docs/router.md).
#   make run               vsr-mock-backend on 127.0.0.1:8000-8003 + vsr-router with config/config.yaml
#                          (HTTP :8801, ext_proc :50051); Ctrl-C stops all of them
#   make perf-bench-extproc   is defined in perf.mk; the family is perf/benchmarks/extproc_bench.cc
.PHONY: run router-binaries

RUN_CONFIG ?= config/config.yaml
# Extra vsr-router flags, e.g. RUN_ARGS=--stub-classifiers when the models are not there.
RUN_ARGS   ?=

router-binaries: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS) --target vsr-router vsr-mock-backend

run: router-binaries
	deploy/run-local.sh $(BUILD_DIR)/bin $(RUN_CONFIG) $(RUN_ARGS)
