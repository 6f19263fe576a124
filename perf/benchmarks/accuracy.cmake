# Accuracy benchmark family (owner: models). See models/README.md.
# Measures the default models in models/ on the gold sets in models/gold through the C++
# classifiers; VSR_MODELS_DIR / VSR_GOLD_DIR override the locations at run time.
add_library(vsr_accuracy_metrics STATIC ${CMAKE_CURRENT_SOURCE_DIR}/accuracy_metrics.cc)
target_include_directories(vsr_accuracy_metrics PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(vsr_accuracy_metrics
  PUBLIC vsr_classification vsr_common
  PRIVATE nlohmann_json::nlohmann_json)

vsr_test(accuracy_metrics_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/accuracy_metrics_test.cc
  LIBS vsr_accuracy_metrics
  LABELS unit)

vsr_benchmark(accuracy_bench
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/accuracy_bench.cc
  LIBS vsr_accuracy_metrics vsr_classification nlohmann_json::nlohmann_json)
target_compile_definitions(accuracy_bench PRIVATE VSR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
