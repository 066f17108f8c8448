#include "storage/codec.h"

namespace apiserve::storage {

using common::Json;

std::string EncodeForStorage(const Json& obj) {
  if (!obj.is_object()) return common::DumpJson(obj);
  auto it = obj.find("metadata");
  if (it == obj.end() || !it->is_object() ||
      (!it->contains("resourceVersion") && !it->contains("selfLink")))
    return common::DumpJson(obj);
  Json copy = obj;
  copy["metadata"].erase("resourceVersion");
  copy["metadata"].erase("selfLink");
  return common::DumpJson(copy);
}

namespace {

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
  return i;
}

// Returns the index just past the string starting at s[i] == '"', or npos.
size_t SkipString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Returns the index just past the JSON value at s[i], or npos.
size_t SkipValue(std::string_view s, size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      char c = s[i];
      if (c == '"') {
        i = SkipString(s, i);
        if (i == std::string_view::npos) return i;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return std::string_view::npos;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
  return i;
}

}  // namespace

std::string WithResourceVersion(std::string_view stored, int64_t rv) {
  size_t i = SkipSpace(stored, 0);
  if (i < stored.size() && stored[i] == '{') {
    ++i;
    for (int keys = 0; keys < 8; ++keys) {
      i = SkipSpace(stored, i);
      if (i >= stored.size() || stored[i] != '"') break;
      size_t key_end = SkipString(stored, i);
      if (key_end == std::string_view::npos) break;
      std::string_view key = stored.substr(i + 1, key_end - i - 2);
      i = SkipSpace(stored, key_end);
      if (i >= stored.size() || stored[i] != ':') break;
      i = SkipSpace(stored, i + 1);
      if (key == "metadata") {
        if (i >= stored.size() || stored[i] != '{') break;
        size_t after = SkipSpace(stored, i + 1);
        if (after >= stored.size()) break;
        // A stored object never carries its resourceVersion; bail out to the
        // slow path if this one does, rather than emit a duplicate key.
        size_t end = SkipValue(stored, i);
        if (end == std::string_view::npos) break;
        if (stored.substr(i, end - i).find("\"resourceVersion\"") != std::string_view::npos) break;
        std::string out;
        out.reserve(stored.size() + 32);
        out.append(stored.substr(0, i + 1));
        out.append("\"resourceVersion\":\"");
        out.append(std::to_string(rv));
        out.append(stored[after] == '}' ? "\"" : "\",");
        out.append(stored.substr(i + 1));
        return out;
      }
      i = SkipValue(stored, i);
      if (i == std::string_view::npos) break;
      i = SkipSpace(stored, i);
      if (i < stored.size() && stored[i] == ',') ++i;
    }
  }
  auto parsed = DecodeObject(stored, rv);
  if (!parsed.ok() || !parsed->is_object()) return "";
  return common::DumpJson(*parsed);
}

std::string ReplaceResourceVersion(std::string_view served, int64_t old_rv, int64_t new_rv) {
  std::string needle = "\"resourceVersion\":\"" + std::to_string(old_rv) + "\"";
  size_t at = served.find("\"metadata\":{" + needle);
  if (at != std::string_view::npos) {
    at += 12;  // strlen("\"metadata\":{")
    std::string out;
    out.reserve(served.size() + 8);
    out.append(served.substr(0, at));
    out.append("\"resourceVersion\":\"" + std::to_string(new_rv) + "\"");
    out.append(served.substr(at + needle.size()));
    return out;
  }
  auto parsed = DecodeObject(served, new_rv);
  if (!parsed.ok()) return std::string(served);
  return common::DumpJson(*parsed);
}

common::Result<Json> DecodeObject(std::string_view bytes, int64_t rv) {
  auto j = common::ParseJson(bytes);
  if (!j.ok()) return j.status();
  if (rv > 0 && j->is_object()) {
    Json& md = (*j)["metadata"];
    if (!md.is_object()) md = Json::object();
    md["resourceVersion"] = std::to_string(rv);
  }
  return j;
}

}  // namespace apiserve::storage
