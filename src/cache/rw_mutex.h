// RwMutex: a reader-writer lock that prefers writers.
//
// std::shared_mutex on glibc prefers readers, so a steady stream of lookups can starve a
// writer forever. This one makes new readers wait while a writer is waiting, so a write
// waits at most for the lookups already running. Meets the SharedMutex requirements
// (std::shared_lock / std::unique_lock work). Not recursive.
#pragma once

#include <pthread.h>

namespace vsr::cache {

class RwMutex {
 public:
  RwMutex();
  ~RwMutex();
  RwMutex(const RwMutex&) = delete;
  RwMutex& operator=(const RwMutex&) = delete;

  void lock();
  bool try_lock();
  void unlock();
  void lock_shared();
  bool try_lock_shared();
  void unlock_shared();

 private:
  pthread_rwlock_t rw_;
};

}  // namespace vsr::cache
