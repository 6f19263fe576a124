# Inference engine targets (owner: inference; see docs/inference.md).
.PHONY: inference-goldens inference-bench inference-bench-engine

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
