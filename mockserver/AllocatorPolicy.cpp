#include "mockserver/AllocatorPolicy.h"

#include <cstdlib>  // defines __GLIBC__ on glibc

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace pactmocks::mockserver {

namespace {
// Above a typical interaction's allocations (a few KiB), below any whole-file or whole-array block.
constexpr int kMmapThresholdBytes = 256 * 1024;
}  // namespace

void configureAllocator() {
#ifdef __GLIBC__
  ::mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);  // a fixed value also turns off the dynamic raise
#endif
}

void releaseFreedMemory() {
#ifdef __GLIBC__
  ::malloc_trim(0);
#endif
}

}  // namespace pactmocks::mockserver
