# Builds just the tests labelled "concurrency" (what `make test-tsan` runs under TSan).
add_custom_target(vsr_concurrency_tests)

# vsr_test(<name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>])
# A GoogleTest binary registered with ctest; tests sit next to the code they test.
function(vsr_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  # gtest_discover_tests flattens PROPERTIES, so a list of labels would keep only the first
  # (and `ctest -L concurrency` would select nothing). Several labels travel as one joined
  # label, e.g. "unit+concurrency"; `ctest -L` takes a regex, so -L unit and -L concurrency
  # both select it.
  string(REPLACE ";" "+" labels "${ARG_LABELS}")
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${labels}"
    DISCOVERY_TIMEOUT 60)
  if("concurrency" IN_LIST ARG_LABELS)
    add_dependencies(vsr_concurrency_tests ${name})
  endif()
endfunction()

# vsr_benchmark(<name> SOURCES <files...> LIBS <targets...>)
# A Google Benchmark binary with the project's main (allocation counting, runtime metrics).
function(vsr_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} vsr_bench_support)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()
