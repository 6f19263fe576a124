# vsr-router: the semantic router (HTTP front door + Envoy ext_proc). See docs/router.md.
if(VSR_BUILD_ROUTER)
  add_executable(vsr-router ${CMAKE_CURRENT_LIST_DIR}/vsr-router_main.cc)
  target_link_libraries(vsr-router PRIVATE vsr_server vsr_extproc CLI11::CLI11)
endif()
