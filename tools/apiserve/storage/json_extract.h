// Reading a few members out of an object's JSON without building the rest.
// The watch cache indexes every stored object it receives (labels and a few
// field-selector values); a full parse of a pod costs ~30x more than scanning
// past the members nobody asked for.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"

namespace apiserve::storage {

// A member path from the root: {"metadata", "labels"}.
using JsonPath = std::vector<std::string>;

// Returns an object holding only the members of `text` (a JSON object) named
// by `paths`, nested as in the source: paths {"metadata","labels"} and
// {"spec","nodeName"} of a pod give {"metadata":{"labels":{...}},
// "spec":{"nodeName":"n1"}}. Members absent from `text` are absent from the
// result; a path through a non-object stops there. nullopt when `text` is not
// a well-formed JSON object (callers fall back to a full parse or give up).
std::optional<common::Json> ExtractPaths(std::string_view text, const std::vector<JsonPath>& paths);

// Whether some object in `text` repeats a key. A cheap screen before the
// slower check that names the duplicates (strict field validation): false
// for well-formed JSON without repeated keys; true when a key repeats, when
// a key holds an escape (compared only after decoding), or when `text` is
// malformed (the full check then reports what it finds).
bool MayHaveDuplicateKeys(std::string_view text);

}  // namespace apiserve::storage
