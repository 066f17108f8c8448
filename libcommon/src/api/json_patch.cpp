// RFC 6902 JSON patch with the behaviour and error texts of
// github.com/evanphx/json-patch (v4), which kube-apiserver applies: negative
// array indices count from the end, "-" appends, and errors read like
// `replace operation does not apply: doc is missing key: /spec/x: missing value`.
#include "common/api/patch.h"

#include <optional>

#include "common/strings.h"

namespace common::api {
namespace {

std::optional<std::vector<std::string>> SplitPointer(const std::string& path) {
  std::vector<std::string> out;
  if (path.empty()) return out;
  if (path[0] != '/') return std::nullopt;
  for (std::string part : Split(std::string_view(path).substr(1), '/')) {
    std::string dec;
    for (size_t i = 0; i < part.size(); ++i) {
      if (part[i] == '~' && i + 1 < part.size() && (part[i + 1] == '0' || part[i + 1] == '1')) {
        dec += part[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        dec += part[i];
      }
    }
    out.push_back(dec);
  }
  return out;
}

// Resolves an array index; `for_add` allows one past the end.
std::optional<size_t> ArrayIndex(const Json& arr, const std::string& key, bool for_add,
                                 std::string* err) {
  auto idx = ParseInt64(key);
  if (!idx) {
    *err = "value was not a proper array index: '" + key + "': strconv.Atoi: parsing \"" + key +
           "\": invalid syntax";
    return std::nullopt;
  }
  int64_t size = static_cast<int64_t>(arr.size()) + (for_add ? 1 : 0);
  int64_t i = *idx;
  if (i >= size || i < -size) {
    *err = "Unable to access invalid index: " + std::to_string(i) + ": invalid index referenced";
    return std::nullopt;
  }
  if (i < 0) i += size;
  return static_cast<size_t>(i);
}

// The container that holds the last path element, or nullptr.
Json* Parent(Json& doc, const std::vector<std::string>& parts) {
  Json* cur = &doc;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string& k = parts[i];
    if (cur->is_object()) {
      auto it = cur->find(k);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array()) {
      std::string err;
      auto idx = ArrayIndex(*cur, k, false, &err);
      if (!idx) return nullptr;
      cur = &(*cur)[*idx];
    } else {
      return nullptr;
    }
  }
  return cur;
}

Json* Resolve(Json& doc, const std::vector<std::string>& parts) {
  if (parts.empty()) return &doc;
  Json* parent = Parent(doc, parts);
  if (!parent) return nullptr;
  const std::string& k = parts.back();
  if (parent->is_object()) {
    auto it = parent->find(k);
    return it == parent->end() ? nullptr : &*it;
  }
  if (parent->is_array()) {
    std::string err;
    auto idx = ArrayIndex(*parent, k, false, &err);
    return idx ? &(*parent)[*idx] : nullptr;
  }
  return nullptr;
}

Status Add(Json& doc, const std::string& path, const Json& value) {
  auto parts = SplitPointer(path);
  if (!parts) return Status::Invalid("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
  if (parts->empty()) {
    doc = value;
    return Status::Ok();
  }
  Json* parent = Parent(doc, *parts);
  if (!parent || !(parent->is_object() || parent->is_array()))
    return Status::Invalid("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
  const std::string& k = parts->back();
  if (parent->is_object()) {
    (*parent)[k] = value;
    return Status::Ok();
  }
  if (k == "-") {
    parent->push_back(value);
    return Status::Ok();
  }
  std::string err;
  auto idx = ArrayIndex(*parent, k, true, &err);
  if (!idx) return Status::Invalid("error in add for path: '" + path + "': " + err);
  parent->insert(parent->begin() + static_cast<std::ptrdiff_t>(*idx), value);
  return Status::Ok();
}

Status Remove(Json& doc, const std::string& path, Json* removed) {
  auto parts = SplitPointer(path);
  Json* parent = parts && !parts->empty() ? Parent(doc, *parts) : nullptr;
  if (!parent || !(parent->is_object() || parent->is_array()))
    return Status::Invalid("remove operation does not apply: doc is missing path: \"" + path + "\": missing value");
  const std::string& k = parts->back();
  if (parent->is_object()) {
    auto it = parent->find(k);
    if (it == parent->end())
      return Status::Invalid("error in remove for path: '" + path + "': Unable to remove nonexistent key: " + k + ": missing value");
    if (removed) *removed = *it;
    parent->erase(it);
    return Status::Ok();
  }
  std::string err;
  auto idx = ArrayIndex(*parent, k, false, &err);
  if (!idx) return Status::Invalid("error in remove for path: '" + path + "': " + err);
  if (removed) *removed = (*parent)[*idx];
  parent->erase(parent->begin() + static_cast<std::ptrdiff_t>(*idx));
  return Status::Ok();
}

Result<std::string> Member(const Json& op, const char* key) {
  const Json& v = Get(op, key);
  if (!v.is_string()) return Status::Invalid(std::string("operation missing ") + key + " field: missing value");
  return v.get<std::string>();
}

}  // namespace

Result<Json> ApplyJsonPatch(const Json& doc, const Json& patch) {
  if (!patch.is_array())
    return Status::BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  Json out = doc;
  for (const Json& op : patch) {
    if (!op.is_object())
      return Status::BadRequest("json: cannot unmarshal " + std::string(op.type_name()) +
                                " into Go value of type jsonpatch.Operation");
    std::string kind = GetString(op, "op", "unknown");
    ASSIGN_OR_RETURN(std::string path, Member(op, "path"));
    if (kind == "add") {
      if (!op.contains("value")) return Status::Invalid("add operation does not apply: doc is missing path: \"" + path + "\": missing value");
      RETURN_IF_ERROR(Add(out, path, op["value"]));
    } else if (kind == "remove") {
      RETURN_IF_ERROR(Remove(out, path, nullptr));
    } else if (kind == "replace") {
      auto parts = SplitPointer(path);
      if (parts && parts->empty()) {
        out = Get(op, "value");
        continue;
      }
      Json* parent = parts ? Parent(out, *parts) : nullptr;
      if (!parent || !(parent->is_object() || parent->is_array()))
        return Status::Invalid("replace operation does not apply: doc is missing path: " + path + ": missing value");
      Json* target = Resolve(out, *parts);
      if (!target)
        return Status::Invalid("replace operation does not apply: doc is missing key: " + path + ": missing value");
      *target = Get(op, "value");
    } else if (kind == "move") {
      ASSIGN_OR_RETURN(std::string from, Member(op, "from"));
      auto fparts = SplitPointer(from);
      if (!fparts || !Resolve(out, *fparts))
        return Status::Invalid("move operation does not apply: doc is missing from path: " + from + ": missing value");
      Json value;
      RETURN_IF_ERROR(Remove(out, from, &value));
      Status st = Add(out, path, value);
      if (!st.ok())
        return Status::Invalid("move operation does not apply: doc is missing destination path: " + path + ": missing value");
    } else if (kind == "copy") {
      ASSIGN_OR_RETURN(std::string from, Member(op, "from"));
      auto fparts = SplitPointer(from);
      Json* src = fparts ? Resolve(out, *fparts) : nullptr;
      if (!src)
        return Status::Invalid("copy operation does not apply: doc is missing from path: \"" + from + "\": missing value");
      Json value = *src;
      Status st = Add(out, path, value);
      if (!st.ok())
        return Status::Invalid("copy operation does not apply: doc is missing destination path: " + path + ": missing value");
    } else if (kind == "test") {
      auto parts = SplitPointer(path);
      Json* target = parts ? Resolve(out, *parts) : nullptr;
      const Json& want = Get(op, "value");
      if (!target) {
        if (want.is_null() && parts && Parent(out, *parts)) continue;
        return Status::Invalid("test operation does not apply: is missing path: " + path + ": missing value");
      }
      if (*target != want) return Status::Invalid("testing value " + path + " failed: test failed");
    } else {
      return Status::Invalid("Unexpected kind: " + kind + ": unknown object type");
    }
  }
  return out;
}

namespace {

Json MergeValue(const Json& target, const Json& patch) {
  if (!patch.is_object()) return patch;
  Json out = target.is_object() ? target : Json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it.value().is_null()) out.erase(it.key());
    else out[it.key()] = MergeValue(Get(out, it.key()), it.value());
  }
  return out;
}

}  // namespace

Result<Json> ApplyMergePatch(const Json& doc, const Json& patch) {
  // evanphx's MergePatch accepts only an object patch on an object document.
  if (!patch.is_object()) return Status::BadRequest("Invalid JSON Patch");
  if (!doc.is_object()) return Status::BadRequest("Invalid JSON Document");
  return MergeValue(doc, patch);
}

}  // namespace common::api
