// The context a result was measured in: machine (CPU model, widest vector ISA, cores),
// compiler, build type and git state. Baselines record it so that a comparison across
// different CPUs says so instead of failing on instruction counts.
#pragma once

#include <string>

#include "perf/lib/benchmark/results.h"

namespace vsr::perf {

MachineInfo ReadMachineInfo();
// Fills machine, compiler, build type (from <build_dir>/CMakeCache.txt when present), git
// state of the current directory's repository and the date.
RunContext ReadRunContext(const std::string& build_dir);
// True when `git status` shows modified tracked files.
bool GitTreeDirty();

}  // namespace vsr::perf
