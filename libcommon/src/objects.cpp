#include "common/objects.h"

#include "common/file.h"
#include "common/strings.h"
#include "common/yaml.h"

namespace common {
namespace {

bool IsListKind(const Json& obj) {
  if (!obj.is_object()) return false;
  std::string kind = GetString(obj, "kind");
  return kind.size() >= 4 && kind.ends_with("List") && Get(obj, "items").is_array();
}

void Flatten(Json&& obj, std::vector<Json>& out) {
  if (IsListKind(obj)) {
    for (auto& item : obj["items"]) Flatten(std::move(item), out);
    return;
  }
  if (!obj.is_null()) out.push_back(std::move(obj));
}

// Splits a stream of concatenated JSON values; nlohmann reads one value at a
// time from a stream and leaves the rest.
Result<std::vector<Json>> ParseJsonStream(std::string_view text) {
  std::vector<Json> docs;
  size_t pos = 0;
  int n = 0;
  while (true) {
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos >= text.size()) break;
    ++n;
    // Find the extent of one value by tracking nesting outside strings.
    size_t end = pos;
    int depth = 0;
    bool in_str = false, esc = false;
    for (; end < text.size(); ++end) {
      char c = text[end];
      if (in_str) {
        if (esc) esc = false;
        else if (c == '\\') esc = true;
        else if (c == '"') in_str = false;
        continue;
      }
      if (c == '"') in_str = true;
      else if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') {
        if (--depth == 0) {
          ++end;
          break;
        }
      }
    }
    auto j = ParseJson(text.substr(pos, end - pos));
    if (!j.ok())
      return Status::BadRequest("document " + std::to_string(n) + ": " + j.status().message());
    docs.push_back(std::move(*j));
    pos = end;
  }
  return docs;
}

}  // namespace

Result<std::vector<Json>> ParseObjects(std::string_view text) {
  std::string_view t = TrimSpace(text);
  std::vector<Json> docs;
  if (!t.empty() && (t.front() == '{' || t.front() == '[')) {
    auto parsed = ParseJsonStream(t);
    if (!parsed.ok()) return parsed.status();
    docs = std::move(*parsed);
  } else {
    auto parsed = ParseYamlDocuments(text);
    if (!parsed.ok()) return parsed.status();
    docs = std::move(*parsed);
  }
  std::vector<Json> out;
  for (auto& d : docs) {
    if (d.is_array()) {
      for (auto& item : d) Flatten(std::move(item), out);
    } else {
      Flatten(std::move(d), out);
    }
  }
  for (size_t i = 0; i < out.size(); ++i)
    if (!out[i].is_object())
      return Status::BadRequest("document " + std::to_string(i + 1) + ": not an object");
  return out;
}

Result<std::vector<Json>> ReadObjects(const std::string& path) {
  auto data = ReadFile(path);
  if (!data.ok()) return data.status();
  auto objs = ParseObjects(*data);
  if (!objs.ok())
    return Status::BadRequest((path == "-" ? std::string("stdin") : "'" + path + "'") + ": " +
                              objs.status().message());
  return objs;
}

}  // namespace common
