#include "perf/lib/benchmark/machine_info.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "perf/lib/benchmark/subprocess.h"

namespace vsr::perf {

MachineInfo ReadMachineInfo() {
  MachineInfo m;
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) == 0) m.hostname = host;
  m.num_cpus = static_cast<int>(std::thread::hardware_concurrency());
  std::ifstream in("/proc/cpuinfo");
  std::string line, flags;
  while (std::getline(in, line)) {
    auto value = [&]() {
      size_t c = line.find(':');
      return c == std::string::npos ? std::string()
                                    : line.substr(line.find_first_not_of(" \t", c + 1));
    };
    if (m.cpu_model.empty() && line.rfind("model name", 0) == 0) m.cpu_model = value();
    if (flags.empty() && line.rfind("flags", 0) == 0) {
      flags = value();
      flags.insert(flags.begin(), ' ');
      flags.push_back(' ');
    }
  }
  auto has = [&](const char* f) {
    std::string needle(1, ' ');
    needle.append(f);
    needle.push_back(' ');
    return flags.find(needle) != std::string::npos;
  };
  m.isa = has("avx512f")  ? "avx512"
          : has("avx2")   ? "avx2"
          : has("avx")    ? "avx"
          : has("sse4_2") ? "sse4_2"
                          : "baseline";
  if (m.cpu_model.empty()) m.cpu_model = "unknown";
  return m;
}

bool GitTreeDirty() {
  return !CaptureCommand({"git", "status", "--porcelain", "--untracked-files=no"}).empty();
}

RunContext ReadRunContext(const std::string& build_dir) {
  RunContext c;
  c.machine = ReadMachineInfo();
#if defined(__clang__)
  c.compiler = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  c.compiler = std::string("g++ ") + __VERSION__;
#else
  c.compiler = "unknown";
#endif
  std::ifstream cache(build_dir + "/CMakeCache.txt");
  std::string line;
  while (std::getline(cache, line)) {
    std::string value = line.substr(line.find('=') + 1);
    if (line.rfind("CMAKE_BUILD_TYPE:", 0) == 0) c.build_type = value;
    if (line.rfind("CMAKE_CXX_FLAGS:", 0) == 0) c.build_flags += value;
    if (line.rfind("VSR_NATIVE:", 0) == 0)
      c.build_flags += (value == "ON" ? " [native]" : " [portable]");
  }
  if (c.build_type.empty()) c.build_type = "unknown";
  c.git_commit = CaptureCommand({"git", "rev-parse", "HEAD"});
  c.git_branch = CaptureCommand({"git", "rev-parse", "--abbrev-ref", "HEAD"});
  c.git_dirty = GitTreeDirty();
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  c.date = buf;
  return c;
}

}  // namespace vsr::perf
