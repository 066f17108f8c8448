// JSON values (nlohmann::ordered_json: keys keep their order, as Go's structs
// emit them) and the parse/dump helpers every tool uses.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"

namespace common {

using Json = nlohmann::ordered_json;

// Parses one JSON document. On failure returns BadRequest with a message in
// Go's encoding/json wording where it has one ("invalid character 'x' looking
// for beginning of value", "unexpected end of JSON input").
Result<Json> ParseJson(std::string_view text);

// Compact JSON; invalid UTF-8 is replaced rather than thrown on.
std::string DumpJson(const Json& value);
// Indented with `indent` spaces (kubectl's -o json uses 4).
std::string DumpJsonPretty(const Json& value, int indent = 4);

// Typed lookups that never throw: the value at `key` if it exists with the
// right type, else `fallback`.
std::string GetString(const Json& obj, std::string_view key, std::string fallback = "");
int64_t GetInt(const Json& obj, std::string_view key, int64_t fallback = 0);
bool GetBool(const Json& obj, std::string_view key, bool fallback = false);
// The member at `key` if `obj` is an object holding it, else a shared null.
const Json& Get(const Json& obj, std::string_view key);
// Follows a path of keys ("metadata", "name"); null when any step is missing.
const Json& GetPath(const Json& obj, std::initializer_list<std::string_view> path);

}  // namespace common
