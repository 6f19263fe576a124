# Decision engine benchmark family (owner: decision). See docs/decision.md.
vsr_benchmark(decision_bench
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/decision_bench.cc
  LIBS vsr_decision vsr_signals vsr_config)
# The reference config is found through the source tree unless VSR_DECISION_CONFIG is set.
target_compile_definitions(decision_bench PRIVATE VSR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
