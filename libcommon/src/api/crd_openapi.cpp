// CRD versions as served resources and as OpenAPI definitions
// (apiextensions-apiserver pkg/controller/openapi/builder).
#include <algorithm>

#include "common/strings.h"
#include "crd_internal.h"

namespace common::api::crd {
namespace {

constexpr const char* kObjectMetaRef = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

// Swagger 2.0 has neither nullable nor junctors, and kubectl's v2 reader
// mishandles typed schemas that keep unknown fields; upstream
// (ToStructuralOpenAPIV2) rewrites them so, and so does this.
void ToV2(Json& s) {
  if (!s.is_object()) return;
  for (const char* k : {"oneOf", "anyOf", "allOf", "not"}) s.erase(k);
  if (GetBool(s, "nullable")) {
    s.erase("type");
    s.erase("items");
    s.erase("properties");
  }
  s.erase("nullable");
  if (GetBool(s, "x-kubernetes-preserve-unknown-fields")) {
    s.erase("items");
    s.erase("properties");
    if (GetString(s, "type") == "object") s.erase("type");
  }
  if (GetString(s, "type") == "array" && !s.contains("items")) s.erase("type");
  if (s.contains("properties") && s["properties"].is_object()) {
    Json& props = s["properties"];
    if (s.contains("required") && s["required"].is_array()) {
      Json kept = Json::array();
      for (const Json& r : s["required"])
        if (!(r.is_string() && GetBool(Get(props, r.get<std::string>()), "nullable")))
          kept.push_back(r);
      if (kept.empty()) s.erase("required");
      else s["required"] = kept;
    }
    for (auto& [_, p] : props.items()) ToV2(p);
  }
  if (s.contains("additionalProperties") && s["additionalProperties"].is_object()) {
    if (GetBool(s["additionalProperties"], "nullable")) s.erase("required");
    ToV2(s["additionalProperties"]);
  }
  if (s.contains("items")) ToV2(s["items"]);
}

}  // namespace

const Json& VersionSchema(const Json& version) {
  return GetPath(version, {"schema", "openAPIV3Schema"});
}

std::vector<Version> ServedVersions(const Json& crd) {
  std::vector<Version> out;
  const Json& spec = Get(crd, "spec");
  const Json& names = Get(spec, "names");
  std::string group = GetString(spec, "group");
  std::string plural = GetString(names, "plural");
  std::string kind = GetString(names, "kind");
  if (group.empty() || plural.empty() || kind.empty()) return out;
  const Json& versions = Get(spec, "versions");
  if (!versions.is_array()) return out;
  std::string storage;
  for (const Json& v : versions)
    if (GetBool(v, "storage")) storage = GetString(v, "name");
  for (const Json& v : versions) {
    if (!GetBool(v, "served", true)) continue;
    Version ver;
    ver.version = &v;
    ResourceInfo& ri = ver.info;
    ri.group = group;
    ri.version = GetString(v, "name");
    ri.resource = plural;
    ri.singular = GetString(names, "singular", ToLower(kind));
    ri.kind = kind;
    ri.list_kind = GetString(names, "listKind", kind + "List");
    ri.namespaced = GetString(spec, "scope", "Namespaced") == "Namespaced";
    for (const Json& s : Get(names, "shortNames"))
      if (s.is_string()) ri.short_names.push_back(s.get<std::string>());
    for (const Json& s : Get(names, "categories"))
      if (s.is_string()) ri.categories.push_back(s.get<std::string>());
    ri.verbs = {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
    const Json& sub = Get(v, "subresources");
    if (Get(sub, "scale").is_object()) ri.subresources.push_back("scale");
    if (Get(sub, "status").is_object()) ri.subresources.push_back("status");
    ri.storage_segment = group + "/" + plural;
    ri.storage_version = {group, storage.empty() ? ri.version : storage};
    ri.tracks_generation = true;
    ri.has_status_subresource = Get(sub, "status").is_object();
    out.push_back(std::move(ver));
  }
  return out;
}

std::string DefinitionPackage(const std::string& group, const std::string& version) {
  std::vector<std::string> labels = Split(group, '.');
  std::reverse(labels.begin(), labels.end());
  return Join(labels, ".") + "." + version;
}

Json OpenApiDefinition(const Json& crd, const Json& version, bool v3) {
  const Json& spec = Get(crd, "spec");
  std::string group = GetString(spec, "group");
  std::string kind = GetString(Get(spec, "names"), "kind");
  const Json& schema = VersionSchema(version);
  Json out = Json::object();
  if (schema.is_object()) out = schema;
  if (!v3) ToV2(out);
  out["type"] = "object";
  Json props = out.contains("properties") && out["properties"].is_object() ? out["properties"]
                                                                            : Json::object();
  props["apiVersion"] = {
      {"description",
       "APIVersion defines the versioned schema of this representation of an object. Servers "
       "should convert recognized schemas to the latest internal value, and may reject "
       "unrecognized values. More info: "
       "https://git.k8s.io/community/contributors/devel/sig-architecture/"
       "api-conventions.md#resources"},
      {"type", "string"}};
  props["kind"] = {
      {"description",
       "Kind is a string value representing the REST resource this object represents. Servers "
       "may infer this from the endpoint the client submits requests to. Cannot be updated. In "
       "CamelCase. More info: "
       "https://git.k8s.io/community/contributors/devel/sig-architecture/"
       "api-conventions.md#types-kinds"},
      {"type", "string"}};
  std::string meta_doc =
      "Standard object's metadata. More info: "
      "https://git.k8s.io/community/contributors/devel/sig-architecture/"
      "api-conventions.md#metadata";
  std::string ref = (v3 ? "#/components/schemas/" : "#/definitions/") + std::string(kObjectMetaRef);
  props["metadata"] = v3 ? Json{{"description", meta_doc},
                                {"allOf", Json::array({Json{{"$ref", ref}}})}}
                         : Json{{"description", meta_doc}, {"$ref", ref}};
  // Sorted as upstream's definitions list properties.
  Json sorted = Json::object();
  std::vector<std::string> keys;
  for (auto it = props.begin(); it != props.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  for (const std::string& k : keys) sorted[k] = props[k];
  out["properties"] = std::move(sorted);
  out["x-kubernetes-group-version-kind"] = Json::array(
      {Json{{"group", group}, {"kind", kind}, {"version", GetString(version, "name")}}});
  return out;
}

}  // namespace common::api::crd
