// The input files a verb was given, checked.
#pragma once

#include <string>
#include <vector>

#include "../options.h"
#include "common/status.h"

namespace proxyrules {

// -f, --services and --endpoints in that order. "-" may appear once.
common::Result<std::vector<std::string>> InputPaths(const Options& o);

}  // namespace proxyrules
