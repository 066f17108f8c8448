// YAML to JSON values and back, with sigs.k8s.io/yaml's rules (YAML 1.1
// scalars: yes/no/on/off are booleans), so manifests mean what kubectl says.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace common {

// Parses every document of a multi-document stream; empty documents are skipped.
// Errors are BadRequest with the line and column, e.g.
// "error converting YAML to JSON: yaml: line 3: mapping values are not allowed".
Result<std::vector<Json>> ParseYamlDocuments(std::string_view text);
// Parses exactly one document (the first one; null for an empty stream).
Result<Json> ParseYaml(std::string_view text);

// Emits `value` as block YAML the way kubectl -o yaml prints it: keys sorted,
// two-space indent, sequence items at their parent's indentation, strings
// quoted only when they would read back as something else.
std::string ToYaml(const Json& value);

}  // namespace common
