# Every third-party dependency, found once, from Debian's packages (scripts/install-deps.sh).
# Nothing is downloaded at configure or build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(GTest CONFIG REQUIRED)
find_package(benchmark CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(simdjson CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
pkg_check_modules(HS REQUIRED IMPORTED_TARGET libhs)          # vectorscan
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(OPENBLAS REQUIRED IMPORTED_TARGET openblas)
pkg_check_modules(PROFILER REQUIRED IMPORTED_TARGET libprofiler) # gperftools CPU profiler

# hnswlib is header-only (libhnswlib-dev).
find_path(HNSWLIB_INCLUDE_DIR hnswlib/hnswlib.h REQUIRED)
add_library(hnswlib INTERFACE)
target_include_directories(hnswlib SYSTEM INTERFACE ${HNSWLIB_INCLUDE_DIR})

# Networking (router front doors) only when the router is built.
if(VSR_BUILD_ROUTER)
  find_package(Boost 1.81 REQUIRED)
  find_package(Protobuf CONFIG)
  if(NOT Protobuf_FOUND)
    find_package(Protobuf REQUIRED)
  endif()
  find_package(gRPC CONFIG REQUIRED)
  find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
endif()
