#include "malloc_tuning.h"

#include <malloc.h>

#include <cstdlib>

namespace apiserve {

void TuneMalloc() {
  // Setting M_MMAP_THRESHOLD also turns glibc's dynamic threshold off.
  if (!std::getenv("MALLOC_MMAP_THRESHOLD_")) mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThreshold));
}

}  // namespace apiserve
