// Subprocess: runs a program with extra environment variables and its output in files.
// perftest starts benchmark binaries (directly or under valgrind) through this.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace vsr::perf {

struct ProcessSpec {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;  // added to / overriding ours
  std::string stdout_path;                               // empty: inherit
  std::string stderr_path;                               // empty: inherit
};

// Starts the process; returns its pid.
StatusOr<pid_t> StartProcess(const ProcessSpec& spec);
// Waits for it; returns the exit code, or 128 + signal number if it was killed.
int WaitProcess(pid_t pid);
// Start + wait.
StatusOr<int> RunProcess(const ProcessSpec& spec);
// Runs a command and returns its stdout (trimmed of the final newline); "" on any failure.
std::string CaptureCommand(const std::vector<std::string>& argv);

}  // namespace vsr::perf
