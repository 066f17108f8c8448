// OpenAPI definitions from the schema table, in the two shapes kube-openapi
// writes them: Swagger 2.0 puts "$ref" beside a property's description,
// OpenAPI 3.0 wraps the reference in allOf so the description survives.
#include "openapi_internal.h"

namespace common::api::openapi {
namespace {

constexpr const char* kQuantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
constexpr const char* kObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
constexpr const char* kListMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

// Upstream's texts for the fields every kind has; the schema table leaves
// them out rather than repeat them on each kind.
constexpr const char* kApiVersionDoc =
    "APIVersion defines the versioned schema of this representation of an object. Servers "
    "should convert recognized schemas to the latest internal value, and may reject "
    "unrecognized values. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#resources";
constexpr const char* kKindDoc =
    "Kind is a string value representing the REST resource this object represents. Servers "
    "may infer this from the endpoint the client submits requests to. Cannot be updated. In "
    "CamelCase. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#types-kinds";
constexpr const char* kMetadataDoc =
    "Standard object's metadata. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#metadata";
constexpr const char* kSpecAndStatus =
    "More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#spec-and-status";
constexpr const char* kListMetadataDoc =
    "Standard list metadata. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#types-kinds";

// The type/format pair of a primitive of the text form.
void PutPrimitive(const std::string& type, Json& out) {
  if (type == "string") {
    out["type"] = "string";
  } else if (type == "int32" || type == "int64") {
    out["type"] = "integer";
    out["format"] = type;
  } else if (type == "bool") {
    out["type"] = "boolean";
  } else if (type == "double") {
    out["type"] = "number";
    out["format"] = "double";
  } else if (type == "byte") {
    out["type"] = "string";
    out["format"] = "byte";
  } else {
    // "any": a value the table does not describe further; kept whole.
    out["x-kubernetes-preserve-unknown-fields"] = true;
  }
}

// The schema of one list element or map value (no description).
Json ElementSchema(const std::string& type, Flavor f) {
  Json out = Json::object();
  if (schema::IsPrimitive(type)) PutPrimitive(type, out);
  else out["$ref"] = Ref(f, type);
  return out;
}

// A reference with a description beside it.
Json DescribedRef(const std::string& name, const std::string& description, Flavor f) {
  Json out = Json::object();
  if (!description.empty()) out["description"] = description;
  if (f == Flavor::kV2 || description.empty()) {
    out["$ref"] = Ref(f, name);
  } else {
    out["allOf"] = Json::array({Json{{"$ref", Ref(f, name)}}});
  }
  return out;
}

std::string FieldDoc(const schema::TypeDef& t, const schema::Field& field) {
  if (!t.gvks.empty()) {
    if (field.name == "apiVersion" && field.type == "string") return kApiVersionDoc;
    if (field.name == "kind" && field.type == "string") return kKindDoc;
    if (field.name == "metadata" && field.type == kObjectMeta && field.description.empty())
      return kMetadataDoc;
    // Upstream's usual wording for the spec and status of a kind.
    const std::string& kind = t.gvks.front().kind;
    if (field.name == "spec" && field.description.empty())
      return "Spec defines the desired state of the " + kind + ". " + kSpecAndStatus;
    if (field.name == "status" && field.description.empty())
      return "Most recently observed status of the " + kind +
             ". Populated by the system. Read-only. " + kSpecAndStatus;
  }
  return field.description;
}

Json FieldSchema(const schema::TypeDef& t, const schema::Field& field, Flavor f) {
  std::string doc = FieldDoc(t, field);
  if (field.container == schema::Container::kNone) {
    if (!schema::IsPrimitive(field.type)) return DescribedRef(field.type, doc, f);
    Json out = Json::object();
    if (!doc.empty()) out["description"] = doc;
    PutPrimitive(field.type, out);
    if (!field.enum_values.empty()) out["enum"] = field.enum_values;
    return out;
  }
  Json out = Json::object();
  if (!doc.empty()) out["description"] = doc;
  out["type"] = field.container == schema::Container::kList ? "array" : "object";
  Json elem = ElementSchema(field.type, f);
  if (field.container == schema::Container::kMap) {
    out["additionalProperties"] = std::move(elem);
    return out;
  }
  if (!field.enum_values.empty() && schema::IsPrimitive(field.type))
    elem["enum"] = field.enum_values;
  out["items"] = std::move(elem);
  if (!field.list_map_keys.empty()) out["x-kubernetes-list-map-keys"] = field.list_map_keys;
  if (!field.list_type.empty()) out["x-kubernetes-list-type"] = field.list_type;
  if (!field.patch_merge_key.empty()) out["x-kubernetes-patch-merge-key"] = field.patch_merge_key;
  if (!field.patch_strategy.empty()) out["x-kubernetes-patch-strategy"] = field.patch_strategy;
  return out;
}

Json GvkList(const std::vector<schema::GVK>& gvks) {
  Json out = Json::array();
  for (const schema::GVK& g : gvks)
    out.push_back({{"group", g.group}, {"kind", g.kind}, {"version", g.version}});
  return out;
}

}  // namespace

std::string Ref(Flavor f, const std::string& name) {
  return (f == Flavor::kV2 ? "#/definitions/" : "#/components/schemas/") + name;
}

Json Definition(const schema::TypeDef& t, Flavor f) {
  Json out = Json::object();
  if (!t.description.empty()) out["description"] = t.description;
  if (!t.scalar.empty()) {
    // Scalars kube-openapi describes with several types in v3
    // (OpenAPIV3OneOfTypes): Quantity is a string or a number, IntOrString
    // an integer or a string.
    if (f == Flavor::kV3 && t.name == kQuantity) {
      out["oneOf"] = Json::array({Json{{"type", "string"}}, Json{{"type", "number"}}});
    } else if (f == Flavor::kV3 && t.format == "int-or-string") {
      out["format"] = t.format;
      out["oneOf"] = Json::array({Json{{"type", "integer"}}, Json{{"type", "string"}}});
    } else {
      out["type"] = t.scalar;
      if (!t.format.empty()) out["format"] = t.format;
    }
    return out;
  }
  if (!t.walk_as.empty()) return out;  // any JSON value: untyped
  out["type"] = "object";
  if (t.preserve_unknown) {
    out["x-kubernetes-preserve-unknown-fields"] = true;
    return out;
  }
  Json required = Json::array();
  for (const schema::Field& field : t.fields)
    if (field.required) required.push_back(field.name);
  if (!required.empty()) out["required"] = std::move(required);
  if (!t.fields.empty()) {
    Json props = Json::object();
    for (const schema::Field& field : t.fields) props[field.name] = FieldSchema(t, field, f);
    out["properties"] = std::move(props);
  }
  if (!t.gvks.empty()) out["x-kubernetes-group-version-kind"] = GvkList(t.gvks);
  return out;
}

Json ListDefinition(const std::string& item, const std::string& kind, const std::string& group,
                    const std::string& version, Flavor f) {
  Json props = Json::object();
  props["apiVersion"] = {{"description", kApiVersionDoc}, {"type", "string"}};
  props["items"] = {{"description", "List of " + kind + " objects."},
                    {"type", "array"},
                    {"items", Json{{"$ref", Ref(f, item)}}}};
  props["kind"] = {{"description", kKindDoc}, {"type", "string"}};
  props["metadata"] = DescribedRef(kListMeta, kListMetadataDoc, f);
  return Json{{"description", kind + "List is a list of " + kind + " objects."},
              {"type", "object"},
              {"required", Json::array({"items"})},
              {"properties", std::move(props)},
              {"x-kubernetes-group-version-kind",
               GvkList({schema::GVK{group, version, kind + "List"}})}};
}

void AddReachable(const std::string& name, std::set<std::string>& out) {
  if (!out.insert(name).second) return;
  const schema::TypeDef* t = schema::Find(name);
  if (!t) return;
  if (!t->walk_as.empty()) AddReachable(t->walk_as, out);
  for (const schema::Field& field : t->fields)
    if (!schema::IsPrimitive(field.type)) AddReachable(field.type, out);
}

}  // namespace common::api::openapi
