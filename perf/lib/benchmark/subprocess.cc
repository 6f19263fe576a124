#include "perf/lib/benchmark/subprocess.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vsr::perf {

StatusOr<pid_t> StartProcess(const ProcessSpec& spec) {
  if (spec.argv.empty()) return Status::InvalidArgument("empty command");
  std::vector<char*> argv;
  for (const std::string& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return Status::Internal(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    for (const auto& [k, v] : spec.env) setenv(k.c_str(), v.c_str(), 1);
    auto redirect = [](const std::string& path, int fd) {
      if (path.empty()) return;
      int f = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (f < 0) _exit(126);
      dup2(f, fd);
      close(f);
    };
    redirect(spec.stdout_path, STDOUT_FILENO);
    redirect(spec.stderr_path, STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int WaitProcess(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 255;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

StatusOr<int> RunProcess(const ProcessSpec& spec) {
  auto pid = StartProcess(spec);
  if (!pid.ok()) return pid.status();
  return WaitProcess(*pid);
}

std::string CaptureCommand(const std::vector<std::string>& argv) {
  char tmpl[] = "/tmp/perftest-capture-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) return "";
  close(fd);
  ProcessSpec spec;
  spec.argv = argv;
  spec.stdout_path = tmpl;
  spec.stderr_path = "/dev/null";
  auto rc = RunProcess(spec);
  std::ifstream in(tmpl);
  std::stringstream ss;
  ss << in.rdbuf();
  unlink(tmpl);
  if (!rc.ok() || *rc != 0) return "";
  std::string out = ss.str();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace vsr::perf
