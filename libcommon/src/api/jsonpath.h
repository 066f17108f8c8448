// Internal to libcommon/src/api: client-go's JSONPath (k8s.io/client-go/util/
// jsonpath) for one expression, as CRD additionalPrinterColumns use it:
// ".spec.replicas", "{.metadata.name}", "$.items[0]", ".a[*].b", ".a[-1]",
// ".a[1:3]", "..name", ".a['b.c']", `.status.conditions[?(@.type=="Ready")].status`
// (filters compare with == != < > <= >=, or test existence: [?(@.x)]).
// Missing keys match nothing (AllowMissingKeys(true)).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace common::api::jsonpath {

// The values `expr` selects in `root`, in document order; pointers into
// `root`. BadRequest for an expression that does not parse.
Result<std::vector<const Json*>> Find(const Json& root, std::string_view expr);

// Checks that `expr` parses; the parse error otherwise.
Status Check(std::string_view expr);

// PrintResults' text of one value: strings as they are, numbers and booleans
// as Go prints them, objects and arrays as compact JSON with sorted keys.
std::string Text(const Json& v);

// Go's %v of a float64.
std::string GoFloat(double f);

}  // namespace common::api::jsonpath
