// glibc malloc settings for the server process.
#pragma once

#include <cstddef>

namespace apiserve {

// The size from which TuneMalloc makes malloc map memory of its own.
inline constexpr size_t kMmapThreshold = 1 << 20;

// Makes every allocation of kMmapThreshold bytes or more its own mapping,
// returned to the kernel when freed, instead of glibc's default that raises
// the threshold (up to 32 MiB) after the first big free. A list of 10,000
// pods builds a 9.4 MB body per request, on whichever handler thread's arena;
// with the sliding threshold those bodies stayed in up to 16 arenas as free
// heap (RSS after 10,000 creates and 10 lists: 91-112 MB, 59 MB with a fixed
// 1 MiB threshold; peak with 1,000 watchers added: 168-183 MB, 138 MB; lists
// no slower, see bench/RESULTS.md). MALLOC_MMAP_THRESHOLD_ in the
// environment still wins. Call once at start, before threads exist.
void TuneMalloc();

}  // namespace apiserve
