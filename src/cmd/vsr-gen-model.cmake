# vsr-gen-model: writes an HF-format model of any shape with seeded random weights.
add_executable(vsr-gen-model ${CMAKE_CURRENT_LIST_DIR}/vsr-gen-model_main.cc)
target_link_libraries(vsr-gen-model PRIVATE vsr_inference CLI11::CLI11)
