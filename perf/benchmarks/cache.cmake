# Semantic cache benchmark family (owner: cache). See docs/cache.md.
vsr_benchmark(cache_bench
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/cache_bench.cc
  LIBS vsr_cache yaml-cpp)
