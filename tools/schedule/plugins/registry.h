// kubix's plugins: one table naming each, its factory, the extension points
// it implements and its weight in the default profile.
#pragma once

#include "framework/registry.h"

namespace schedule {

// Every plugin schedule knows, by name. Built once; thread-safe to read.
const PluginRegistry& DefaultRegistry();

}  // namespace schedule
