# Classification benchmark family (owner: inference). See docs/inference.md.
# Models of the benchmark shapes are generated on first use into ${PROJECT_BINARY_DIR}/models
# (or $VSR_MODEL_CACHE) by the model generator; the vocabulary comes from the source tree.
vsr_benchmark(classification_bench
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/classification_bench.cc
  LIBS vsr_classification vsr_inference vsr_tokenizer PkgConfig::OPENBLAS)
target_compile_definitions(classification_bench PRIVATE
  VSR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  VSR_MODEL_CACHE_DEFAULT="${PROJECT_BINARY_DIR}/models")
