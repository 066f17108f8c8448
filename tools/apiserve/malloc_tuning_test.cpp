#include "malloc_tuning.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace apiserve {
namespace {

// After a big block is freed, glibc's default raises the mmap threshold above
// its size, so the next block of that size comes from the heap and stays
// there. With TuneMalloc it is mapped again (and unmapped on free) every time.
TEST(MallocTuning, BigBlocksStayMappedAfterAFree) {
  if (std::getenv("MALLOC_MMAP_THRESHOLD_")) GTEST_SKIP() << "set in the environment";
  TuneMalloc();
  const size_t big = 4 * kMmapThreshold;
  for (int round = 0; round < 3; ++round) {
    size_t before = mallinfo2().hblks;
    void* p = std::malloc(big);
    ASSERT_NE(p, nullptr);
    std::memset(p, 1, big);
    EXPECT_EQ(mallinfo2().hblks, before + 1) << "round " << round;
    std::free(p);
    EXPECT_EQ(mallinfo2().hblks, before) << "round " << round;
  }
}

}  // namespace
}  // namespace apiserve
