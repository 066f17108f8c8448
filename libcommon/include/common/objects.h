// Reads Kubernetes objects from files or stdin the way kubectl accepts them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace common {

// Parses `text` as JSON (one object, or several one after another, as `-o
// json` lines or a JSON stream) or as multi-document YAML. Items of any List
// kind ("List", "PodList", ...) are flattened into the result, in order.
// Errors name the document: "document 2: ...".
Result<std::vector<Json>> ParseObjects(std::string_view text);

// ReadFile(path) then ParseObjects; errors are prefixed with the path.
Result<std::vector<Json>> ReadObjects(const std::string& path);

}  // namespace common
