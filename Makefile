# Entry points. Every target builds what it needs first; see README.md.
# Set-up on a fresh Debian 12 machine is part of `make bench-report` and `make test`.

BUILD_DIR   ?= build
ASAN_DIR    ?= build-asan
TSAN_DIR    ?= build-tsan
CMAKE_FLAGS ?=
JOBS        ?= $(shell nproc)
PERFTEST     = $(BUILD_DIR)/perf/cmd/perftest/perftest
CTEST_ARGS  ?= --output-on-failure -j $(JOBS)

.PHONY: deps build test test-asan test-tsan format format-check clean run \
        perf-bench perf-bench-quick perf-bench-classification perf-bench-decision \
        perf-bench-cache perf-bench-extproc perf-profile-cpu perf-profile-mem perf-compare \
        perf-baseline-update perf-check perf-e2e perf-report download-models models \
        bench-report

deps:
	scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest $(CTEST_ARGS)

# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (no benchmarks).
test-asan: deps
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DVSR_SANITIZE=address,undefined \
	  -DVSR_BUILD_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ctest $(CTEST_ARGS)

# Concurrent code under ThreadSanitizer (tests labelled "concurrency").
test-tsan: deps
	cmake -S . -B $(TSAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DVSR_SANITIZE=thread \
	  -DVSR_BUILD_BENCHMARKS=OFF $(CMAKE_FLAGS)
	cmake --build $(TSAN_DIR) -j $(JOBS) --target vsr_concurrency_tests
	cd $(TSAN_DIR) && ctest $(CTEST_ARGS) -L concurrency

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

format-check:
	git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(TSAN_DIR) reports

# Component make fragments (perf targets, models, router, e2e) live beside their owners.
-include mk/*.mk
