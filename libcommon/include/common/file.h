// Whole-file reads and atomic writes, with errno turned into Status.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace common {

// Reads all of `path`; "-" reads standard input.
Result<std::string> ReadFile(const std::string& path);
// Writes `data` to a temporary file beside `path`, fsyncs it, and renames it
// over `path`, so readers see the old or the new content, never a mix.
Status WriteFileAtomic(const std::string& path, std::string_view data, int mode = 0644);
// Creates `path` and its parents (mode 0755 or `mode`) if missing.
Status MakeDirs(const std::string& path, int mode = 0755);

}  // namespace common
