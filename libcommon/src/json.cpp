#include "common/json.h"

namespace common {
namespace {

// Go's description of the byte `c` in its JSON errors: 'x' or '\n' style.
std::string QuoteChar(unsigned char c) {
  switch (c) {
    case '\'': return "'\\''";
    case '"': return "'\"'";
    case '\n': return "'\\n'";
    case '\r': return "'\\r'";
    case '\t': return "'\\t'";
    default: break;
  }
  if (c < 0x20) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "'\\x%02x'", c);
    return buf;
  }
  return std::string("'") + static_cast<char>(c) + "'";
}

}  // namespace

Result<Json> ParseJson(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    // nlohmann reports the 1-based byte at which parsing failed.
    size_t pos = e.byte > 0 ? e.byte - 1 : 0;
    // Skip to the first non-space byte at or after `pos` if it ran past the end.
    if (pos >= text.size()) return Status::BadRequest("unexpected end of JSON input");
    unsigned char c = static_cast<unsigned char>(text[pos]);
    // Go names what it expected from the context; the common cases:
    std::string ctx = "looking for beginning of value";
    std::string what = e.what();
    if (what.find("object key") != std::string::npos)
      ctx = "looking for beginning of object key string";
    else if (what.find("object separator") != std::string::npos)
      ctx = "after object key";
    else if (what.find("'}'") != std::string::npos || what.find("end of object") != std::string::npos)
      ctx = "after object key:value pair";
    else if (what.find("']'") != std::string::npos || what.find("end of array") != std::string::npos)
      ctx = "after array element";
    else if (what.find("end of input") != std::string::npos)
      ctx = "after top-level value";
    return Status::BadRequest("invalid character " + QuoteChar(c) + " " + ctx);
  }
}

std::string DumpJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string DumpJsonPretty(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

const Json& Get(const Json& obj, std::string_view key) {
  static const Json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

const Json& GetPath(const Json& obj, std::initializer_list<std::string_view> path) {
  const Json* cur = &obj;
  for (std::string_view k : path) cur = &Get(*cur, k);
  return *cur;
}

std::string GetString(const Json& obj, std::string_view key, std::string fallback) {
  const Json& v = Get(obj, key);
  return v.is_string() ? v.get<std::string>() : std::move(fallback);
}

int64_t GetInt(const Json& obj, std::string_view key, int64_t fallback) {
  const Json& v = Get(obj, key);
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) return static_cast<int64_t>(v.get<double>());
  return fallback;
}

bool GetBool(const Json& obj, std::string_view key, bool fallback) {
  const Json& v = Get(obj, key);
  return v.is_boolean() ? v.get<bool>() : fallback;
}

}  // namespace common
