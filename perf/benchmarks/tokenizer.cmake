# The tokenizer benchmark family (owner: tokenizer). Fixtures are read from the source tree.
vsr_benchmark(tokenizer_bench SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tokenizer_bench.cc
  LIBS vsr_tokenizer)
target_compile_definitions(tokenizer_bench PRIVATE
  VSR_TOKENIZER_TESTDATA="${PROJECT_SOURCE_DIR}/src/tokenizer/testdata")
