// Internal to libcommon/src/api: the pieces the OpenAPI documents are built
// from. Definitions come from the schema table (schema.h); paths and
// operations follow the shape kube-apiserver's OpenAPI builder gives them
// (k8s.io/apiserver/pkg/endpoints/installer.go, kube-openapi builder{,3}),
// because kubectl reads both: explain walks components.schemas, and the
// field-validation check looks for a PATCH operation tagged with the kind's
// x-kubernetes-group-version-kind that lists a `fieldValidation` parameter.
#pragma once

#include <set>
#include <string>

#include "common/api/registry.h"
#include "common/json.h"
#include "schema.h"

namespace common::api::openapi {

// Swagger 2.0 (/openapi/v2) or OpenAPI 3.0 (/openapi/v3/...).
enum class Flavor { kV2, kV3 };

// "#/definitions/<name>" or "#/components/schemas/<name>".
std::string Ref(Flavor f, const std::string& name);

// The schema of one table definition: an object with properties, required
// and x-kubernetes-group-version-kind, or the scalar a type serializes as.
Json Definition(const schema::TypeDef& t, Flavor f);

// The <Kind>List definition of a resource whose item definition is `item`
// ("io.k8s.api.core.v1.Pod"); `gvk_group`/`version` tag it.
Json ListDefinition(const std::string& item, const std::string& kind, const std::string& group,
                    const std::string& version, Flavor f);

// Adds `name` and every table definition reachable from it to `out`.
void AddReachable(const std::string& name, std::set<std::string>& out);

// What the paths of one resource refer to.
struct PathTarget {
  const ResourceInfo* ri = nullptr;
  std::string item_def;  // "io.k8s.api.core.v1.Pod"
  std::string list_def;  // "io.k8s.api.core.v1.PodList"
};

// Adds the collection, item, all-namespaces and subresource paths of `t`
// to `paths`, and the definitions their operations refer to (other than
// t's own item and list) to `refs`.
void AddResourcePaths(const PathTarget& t, Flavor f, Json& paths, std::set<std::string>& refs);

// "CoreV1", "AppsV1", "RbacAuthorizationV1": the group-version part of
// upstream's operation ids. "core_v1", "rbacAuthorization_v1": the tag.
std::string OperationGroup(const std::string& group, const std::string& version);
std::string Tag(const std::string& group, const std::string& version);

// The protobuf (gnostic openapi_v2.Document) of a Swagger 2.0 document.
std::string SwaggerToProtobuf(const Json& doc);

}  // namespace common::api::openapi
