# Perf framework targets (owner: perf). See perf/README.md.
#
# The perf targets use their own build directory, built for a portable ISA level
# (x86-64-v3 = AVX2 where the CPU has it) instead of -march=native: valgrind (instructions/op)
# cannot execute AVX-512, and baselines must come from the same code paths as the gate.

PERF_BUILD_DIR ?= build-bench
PERF_MARCH     := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo x86-64-v3 || echo x86-64-v2)
PERF_CMAKE_FLAGS ?= -DVSR_NATIVE=OFF "-DCMAKE_CXX_FLAGS=-march=$(PERF_MARCH) -mtune=native"
PERF_PERFTEST   = $(PERF_BUILD_DIR)/perf/cmd/perftest/perftest
PERF_RUN        = $(PERF_PERFTEST) run --bench-dir $(PERF_BUILD_DIR)/bench
PERF_REPORTS   ?= reports

.PHONY: perf-build perf-bench-quick-run perf-report

# Warnings are the main build's job (`make build`, -Werror in CI); GCC's flow-sensitive
# warnings differ with -march, so this build does not turn them into errors.
$(PERF_BUILD_DIR)/build.ninja:
	cmake -S . -B $(PERF_BUILD_DIR) -G Ninja $(PERF_CMAKE_FLAGS) $(CMAKE_FLAGS) -DVSR_WERROR=OFF

# perftest and every benchmark family that exists.
perf-build: deps $(PERF_BUILD_DIR)/build.ninja
	cmake --build $(PERF_BUILD_DIR) -j $(JOBS) --target perf_all

# All families, full suite, CPU + heap profiles (reports/cpu.prof, reports/mem.prof), report.
perf-bench: perf-build
	$(PERF_RUN) --suite full --profile
	$(PERF_PERFTEST) report

# Quick suite of every family (what the PR gate runs, plus wall time).
perf-bench-quick: perf-build
	$(PERF_RUN) --suite quick
	$(PERF_PERFTEST) compare

perf-bench-classification: perf-build
	$(PERF_RUN) --suite full --family classification
	$(PERF_PERFTEST) compare
perf-bench-decision: perf-build
	$(PERF_RUN) --suite full --family decision
	$(PERF_PERFTEST) compare
perf-bench-cache: perf-build
	$(PERF_RUN) --suite full --family cache
	$(PERF_PERFTEST) compare
perf-bench-extproc: perf-build
	@test -x $(PERF_BUILD_DIR)/bench/extproc_bench || \
	  echo "perf-bench-extproc: extproc_bench is not built yet (the ext_proc benchmark family lands with the extproc issue)"
	$(PERF_RUN) --suite full --family extproc
	@test ! -x $(PERF_BUILD_DIR)/bench/extproc_bench || $(PERF_PERFTEST) compare

# Open the profiles written by perf-bench: go tool pprof's web UI when Go is installed,
# otherwise google-pprof's top functions plus an SVG call graph in reports/.
define perf_open_profile
	@test -f $(PERF_REPORTS)/$(1).prof || { echo "no $(PERF_REPORTS)/$(1).prof: run 'make perf-bench' first"; exit 1; }
	@bin=$$(cat $(PERF_REPORTS)/profile-binary.txt); \
	if command -v go >/dev/null 2>&1; then \
	  go tool pprof -http=:8080 $$bin $(PERF_REPORTS)/$(1).prof; \
	else \
	  google-pprof --text $(2) $$bin $(PERF_REPORTS)/$(1).prof 2>/dev/null | head -n 40; \
	  google-pprof --svg $(2) $$bin $(PERF_REPORTS)/$(1).prof > $(PERF_REPORTS)/$(1).svg 2>/dev/null && \
	    echo "call graph: $(PERF_REPORTS)/$(1).svg (open it in a browser)"; \
	fi
endef
perf-profile-cpu:
	$(call perf_open_profile,cpu,)
perf-profile-mem:
	$(call perf_open_profile,mem,--alloc_space)

# Compare the last run (reports/current.json) with perf/testdata/baselines; run the quick
# suite first when there is no current run.
perf-compare:
	@test -f $(PERF_REPORTS)/current.json || $(MAKE) --no-print-directory perf-build perf-bench-quick-run
	$(PERF_PERFTEST) compare

perf-bench-quick-run: perf-build
	$(PERF_RUN) --suite quick

# Fresh quick-suite baselines for every family (refuses a dirty tree unless FORCE=1).
perf-baseline-update: perf-build
	$(PERF_PERFTEST) baseline update --bench-dir $(PERF_BUILD_DIR)/bench --suite quick $(if $(FORCE),--force,)

# The PR gate: quick suite of every family, fails on a blocking regression.
perf-check: perf-build
	$(PERF_RUN) --suite quick
	$(PERF_PERFTEST) check

perf-report:
	$(PERF_PERFTEST) report

# The README's main job: deps, build, quick suite (with a CPU profile for the flame graph),
# reports/report.{json,md,html}.
bench-report: perf-build
	$(PERF_RUN) --suite quick --profile
	$(PERF_PERFTEST) report
	@echo "bench-report: open $(PERF_REPORTS)/report.html (Markdown: $(PERF_REPORTS)/report.md)"
