#include "cache/rw_mutex.h"

#include <cstdlib>

namespace vsr::cache {

RwMutex::RwMutex() {
  pthread_rwlockattr_t attr;
  pthread_rwlockattr_init(&attr);
  pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
  if (pthread_rwlock_init(&rw_, &attr) != 0) std::abort();  // only fails without memory
  pthread_rwlockattr_destroy(&attr);
}

RwMutex::~RwMutex() { pthread_rwlock_destroy(&rw_); }

void RwMutex::lock() { pthread_rwlock_wrlock(&rw_); }
bool RwMutex::try_lock() { return pthread_rwlock_trywrlock(&rw_) == 0; }
void RwMutex::unlock() { pthread_rwlock_unlock(&rw_); }
void RwMutex::lock_shared() { pthread_rwlock_rdlock(&rw_); }
bool RwMutex::try_lock_shared() { return pthread_rwlock_tryrdlock(&rw_) == 0; }
void RwMutex::unlock_shared() { pthread_rwlock_unlock(&rw_); }

}  // namespace vsr::cache
