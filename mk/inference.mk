# Inference engine targets (owner: inference; see docs/inference.md).
.PHONY: inference-goldens inference-bench inference-bench-engine inference-compare-ort

# Regenerates the tiny golden models and their expected outputs in src/inference/testdata
# with the PyTorch reference (Debian's python3-torch).
inference-goldens:
	scripts/install-deps.sh --models
	/usr/bin/python3 src/inference/reference/make_goldens.py src/inference/testdata

# The whole classification family (models of the benchmark shapes are generated on first
# use into $(BUILD_DIR)/models). VSR_BENCH_SHAPES=minilm_l6 restricts the shapes.
inference-bench: build
	$(BUILD_DIR)/bench/classification_bench --benchmark_repetitions=3 \
	  --benchmark_report_aggregates_only=true

# The engine alone on 32-token sequences (the shape of the ONNX Runtime reference numbers).
inference-bench-engine: build
	$(BUILD_DIR)/bench/classification_bench --benchmark_filter='Sgemm|Encoder_' \
	  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

# Same-run comparison with ONNX Runtime (npm onnxruntime-node, installed into /tmp/ort on
# first use): f32 and int8 against ORT f32, best of alternating rounds, with `uptime`.
# SHAPE=minilm_l6|bert_base THREADS=1|2 BATCHES=1,10,100 ROUNDS=3.
# ($(or) would split a comma list, so the default batch list is a variable.)
COMPARE_ORT_BATCHES ?= 1,10,100
inference-compare-ort: build
	/usr/bin/python3 src/inference/reference/compare_ort.py --build $(BUILD_DIR) \
	  --shape $(or $(SHAPE),minilm_l6) --threads $(or $(THREADS),1) \
	  --batches $(or $(BATCHES),$(COMPARE_ORT_BATCHES)) --rounds $(or $(ROUNDS),3)
