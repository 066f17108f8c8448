// Helpers for decoding plugin args (pluginConfig) strictly, naming fields in
// errors as upstream's validation does.
#pragma once

#include <initializer_list>
#include <string>

#include "common/json.h"
#include "common/status.h"

namespace schedule {

// Every key of `args` must be "kind", "apiVersion" or one of `known`.
common::Status CheckArgsFields(const common::Json& args, const std::string& field,
                               std::initializer_list<const char*> known);

}  // namespace schedule
