// Pruning and defaulting of custom resources from a structural schema
// (apiextensions-apiserver pkg/apiserver/schema/pruning and .../defaulting).
#include <algorithm>

#include "common/api/custom.h"
#include "common/api/defaults.h"
#include "crd_internal.h"
#include "schema.h"

namespace common::api {
namespace {

constexpr const char* kObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// Removes the value at a path CollectUnknown produced ("a.b[2].c").
void RemovePath(Json& root, const std::string& path) {
  Json* cur = &root;
  size_t i = 0;
  std::string last;
  Json* parent = nullptr;
  while (i < path.size()) {
    if (path[i] == '.') ++i;
    if (path[i] == '[') {
      size_t end = path.find(']', i);
      size_t idx = std::stoul(path.substr(i + 1, end - i - 1));
      if (!cur->is_array() || idx >= cur->size()) return;
      parent = nullptr;
      cur = &(*cur)[idx];
      i = end + 1;
      continue;
    }
    size_t end = path.find_first_of(".[", i);
    if (end == std::string::npos) end = path.size();
    last = path.substr(i, end - i);
    if (!cur->is_object() || !cur->contains(last)) return;
    parent = cur;
    cur = &(*cur)[last];
    i = end;
  }
  if (parent) parent->erase(last);
}

// Walks `v` against `schema`; records each unknown field's path in `out`
// and, when `prune`, removes it. `embedded`: v is the root or an
// x-kubernetes-embedded-resource, whose apiVersion, kind and metadata are
// always known (metadata is checked against ObjectMeta).
void Walk(Json& v, const Json& schema, const std::string& path, bool embedded, bool prune,
          std::vector<std::string>& out) {
  if (!schema.is_object()) return;
  embedded = embedded || GetBool(schema, "x-kubernetes-embedded-resource");
  if (v.is_array()) {
    const Json& items = Get(schema, "items");
    if (!items.is_object()) return;
    for (size_t i = 0; i < v.size(); ++i)
      Walk(v[i], items, path + "[" + std::to_string(i) + "]", false, prune, out);
    return;
  }
  if (!v.is_object()) return;
  const Json& props = Get(schema, "properties");
  const Json& additional = Get(schema, "additionalProperties");
  bool preserve = GetBool(schema, "x-kubernetes-preserve-unknown-fields") ||
                  (additional.is_boolean() && additional.get<bool>());
  std::vector<std::string> drop;
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& k = it.key();
    std::string p = Join(path, k);
    if (embedded && (k == "apiVersion" || k == "kind")) continue;
    if (embedded && k == "metadata") {
      size_t before = out.size();
      schema::CollectUnknown(it.value(), schema::Find(kObjectMeta), p, out);
      if (prune)
        for (size_t i = before; i < out.size(); ++i) RemovePath(v, out[i].substr(path.empty() ? 0 : path.size() + 1));
      continue;
    }
    if (props.is_object() && props.contains(k)) {
      Walk(it.value(), props[k], p, false, prune, out);
    } else if (additional.is_object()) {
      Walk(it.value(), additional, p, false, prune, out);
    } else if (!preserve) {
      out.push_back(p);
      drop.push_back(k);
    }
  }
  if (prune)
    for (const std::string& k : drop) v.erase(k);
}

void Default(Json& v, const Json& schema) {
  if (!schema.is_object()) return;
  if (v.is_array()) {
    const Json& items = Get(schema, "items");
    if (items.is_object())
      for (Json& e : v) Default(e, items);
    return;
  }
  if (!v.is_object()) return;
  const Json& props = Get(schema, "properties");
  const Json& additional = Get(schema, "additionalProperties");
  // PruneNonNullableNullsWithoutDefaults: a null the schema does not allow
  // (nullable unset or false) and no default replaces is dropped.
  for (auto it = v.begin(); it != v.end();) {
    const Json* s = nullptr;
    if (props.is_object() && props.contains(it.key())) s = &props[it.key()];
    else if (additional.is_object()) s = &additional;
    if (it.value().is_null() && s && s->is_object() && !GetBool(*s, "nullable") &&
        !s->contains("default")) {
      it = v.erase(it);
      continue;
    }
    ++it;
  }
  if (props.is_object()) {
    for (auto it = props.begin(); it != props.end(); ++it) {
      const Json& ps = it.value();
      if (!ps.is_object() || !ps.contains("default")) continue;
      auto cur = v.find(it.key());
      if (cur == v.end() || (cur->is_null() && !GetBool(ps, "nullable")))
        v[it.key()] = ps["default"];
    }
    for (auto it = props.begin(); it != props.end(); ++it)
      if (v.contains(it.key())) Default(v[it.key()], it.value());
  }
  if (additional.is_object())
    for (auto it = v.begin(); it != v.end(); ++it)
      if (!props.is_object() || !props.contains(it.key())) Default(it.value(), additional);
}

}  // namespace

std::vector<std::string> CustomUnknownFields(const Json& crd_version, const Json& obj) {
  std::vector<std::string> out;
  const Json& schema = crd::VersionSchema(crd_version);
  if (!schema.is_object()) return out;
  Json copy = obj;
  Walk(copy, schema, "", true, false, out);
  return out;
}

void PruneCustom(const Json& crd_version, Json& obj) {
  // metadata is decoded as the typed ObjectMeta (objectmeta.Coerce).
  if (obj.is_object() && obj.contains("metadata")) {
    if (obj["metadata"].is_null()) obj.erase("metadata");
    else DropNullsAs(kObjectMeta, obj["metadata"]);
  }
  const Json& schema = crd::VersionSchema(crd_version);
  if (!schema.is_object()) return;
  std::vector<std::string> out;
  Walk(obj, schema, "", true, true, out);
}

void ApplyCustomDefaults(const Json& crd_version, Json& obj) {
  const Json& schema = crd::VersionSchema(crd_version);
  if (schema.is_object()) Default(obj, schema);
}

}  // namespace common::api
