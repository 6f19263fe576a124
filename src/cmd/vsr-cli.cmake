# vsr-cli: tokenize | classify | embed from a model directory (see docs/inference.md).
add_executable(vsr-cli ${CMAKE_CURRENT_LIST_DIR}/vsr-cli_main.cc)
target_link_libraries(vsr-cli PRIVATE vsr_classification CLI11::CLI11 nlohmann_json::nlohmann_json)
