# vsr-cli: tokenize | classify | embed from a model directory (see docs/inference.md).
add_executable(vsr-cli ${CMAKE_CURRENT_LIST_DIR}/vsr-cli_main.cc)
target_link_libraries(vsr-cli PRIVATE vsr_classification CLI11::CLI11 nlohmann_json::nlohmann_json)

# End-to-end test on tiny generated models (tokenize / classify / embed, bad inputs).
add_test(NAME vsr_cli_test
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/vsr-cli_test.sh $<TARGET_FILE:vsr-cli>
    $<TARGET_FILE:vsr-gen-model> ${PROJECT_SOURCE_DIR}/src/tokenizer/testdata/bert-base-uncased/vocab.txt)
set_tests_properties(vsr_cli_test PROPERTIES LABELS "unit" TIMEOUT 120)
