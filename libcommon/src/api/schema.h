// Internal to libcommon/src/api: the schema table of the built-in kinds, the
// one description from which strict decoding (UnknownFields), strategic merge
// patch metadata and the OpenAPI documents are all derived.
//
// Each schema_<family>.cpp holds its types in a compact text form (a
// R"schema(...)schema" literal, so descriptions may contain `)"`), parsed
// once on first use:
//
//   package io.k8s.api.core.v1
//   type Pod gvk=/v1/Pod "Pod is a collection of containers ..."
//     spec PodSpec "Specification of the desired behavior of the pod."
//     containers []Container ! merge=name list=map:name "..."
//
// A field line is `name type flags... "description"`. Types: string, int32,
// int64, bool, double, byte (base64 string), any (free-form JSON), a type
// name (resolved in the current package unless it has a package alias such
// as meta.ObjectMeta), []T (list) or {}T (map of string to T). Flags: `!`
// required, `merge=<key>` (patchStrategy merge with patchMergeKey),
// `strategy=<s>` (patchStrategy without key: merge, retainKeys,
// merge,retainKeys), `list=map:k1,k2|set|atomic`, `enum=A|B`. Type flags:
// `gvk=<group>/<version>/<Kind>` (repeatable), `scalar=<openapi type>` with
// optional `format=<f>` for types that serialize as a scalar (Quantity,
// Time, IntOrString), `preserve` for x-kubernetes-preserve-unknown-fields,
// `as=<Type>` for a value that is <Type> when it is an object (or an array
// of them) and anything else otherwise (JSONSchemaPropsOrBool): OpenAPI
// leaves it untyped, strict decoding walks it as <Type>.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api::schema {

enum class Container { kNone, kList, kMap };

struct Field {
  std::string name;
  Container container = Container::kNone;
  std::string type;  // primitive name or a fully qualified definition name
  bool required = false;
  std::string patch_strategy;   // "merge", "retainKeys", "merge,retainKeys"
  std::string patch_merge_key;  // "name"
  std::string list_type;        // "map", "set", "atomic"
  std::vector<std::string> list_map_keys;
  std::vector<std::string> enum_values;
  std::string description;
};

struct GVK {
  std::string group, version, kind;
};

struct TypeDef {
  std::string name;  // "io.k8s.api.core.v1.Pod"
  std::string description;
  std::vector<Field> fields;
  std::vector<GVK> gvks;
  std::string scalar;  // non-empty: serialized as this OpenAPI type
  std::string format;
  bool preserve_unknown = false;
  std::string walk_as;  // `as=`: fully qualified name, "" when unset

  const Field* FindField(std::string_view name) const;
};

// True for the primitive type names of the text form.
bool IsPrimitive(std::string_view type);

// Every definition, keyed by fully qualified name. Thread-safe (built once).
const std::map<std::string, TypeDef>& Types();
const TypeDef* Find(std::string_view name);

// The OpenAPI package of a group version: "io.k8s.api.apps.v1".
std::string Package(std::string_view group, std::string_view version);
// The top-level definition of ri's kind, or nullptr.
const TypeDef* ForResource(const ResourceInfo& ri);

// Appends to `out` the paths (below `path`) of the fields of `v` that `t`
// does not define, as strict decoding names them. Nothing for a null `t`.
void CollectUnknown(const Json& v, const TypeDef* t, const std::string& path,
                    std::vector<std::string>& out);

// Registers the text of one schema file; called by the Types() builder.
// Each schema_*.cpp defines one of these.
const char* CoreSchemaText();
const char* CoreSchemaText2();
const char* MetaSchemaText();
const char* AppsSchemaText();
const char* OtherSchemaText();

}  // namespace common::api::schema
