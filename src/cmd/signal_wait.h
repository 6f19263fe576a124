// WaitForTerminationSignal: blocks the calling thread until SIGINT or SIGTERM arrives.
// Call BlockTerminationSignals() first thing in main(), before any thread starts, so the
// signals reach the waiting thread rather than a worker.
#pragma once

#include <csignal>

namespace vsr::cmd {

inline void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

inline int WaitForTerminationSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace vsr::cmd
