# ExtProc / router benchmark family (owner: router). See docs/router.md.
# The real-classifier variant generates MiniLM-L6-shaped seeded models on first use into
# ${PROJECT_BINARY_DIR}/models (or $VSR_MODEL_CACHE), like the classification family.
if(VSR_BUILD_ROUTER)
  vsr_benchmark(extproc_bench
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/extproc_bench.cc
    LIBS vsr_extproc vsr_router vsr_inference)
  target_compile_definitions(extproc_bench PRIVATE
    VSR_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    VSR_MODEL_CACHE_DEFAULT="${PROJECT_BINARY_DIR}/models")
endif()
