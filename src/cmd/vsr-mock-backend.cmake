# vsr-mock-backend: an OpenAI-compatible mock LLM for tests, benchmarks and demos.
if(VSR_BUILD_ROUTER)
  add_executable(vsr-mock-backend ${CMAKE_CURRENT_LIST_DIR}/vsr-mock-backend_main.cc)
  target_link_libraries(vsr-mock-backend PRIVATE vsr_server CLI11::CLI11)
endif()
