// Internal to libcommon/src/api: reading CustomResourceDefinition objects
// (apiextensions.k8s.io/v1) for the pieces that serve custom resources.
#pragma once

#include <string>
#include <vector>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api::crd {

// One served version of a CRD.
struct Version {
  ResourceInfo info;
  const Json* version = nullptr;  // the spec.versions[] entry; points into the CRD
};

// The served versions of `crd`, in spec order, with the ResourceInfo
// apiserve serves them under (verbs, status/scale subresources, scope).
// Empty when group, names.plural or names.kind are missing.
// The result points into `crd`, which must outlive it.
std::vector<Version> ServedVersions(const Json& crd);

// The OpenAPI definition package of a custom group version: upstream
// reverses the group's DNS labels ("stable.example.com", "v1" ->
// "com.example.stable.v1").
std::string DefinitionPackage(const std::string& group, const std::string& version);

// The OpenAPI definition of one CRD version's kind: its openAPIV3Schema with
// apiVersion, kind and metadata (a reference to ObjectMeta) filled in and
// x-kubernetes-group-version-kind set. `v3` false: the Swagger 2.0 form,
// without what Swagger 2.0 cannot say (nullable, oneOf/anyOf/allOf/not).
Json OpenApiDefinition(const Json& crd, const Json& version, bool v3);

// The version's openAPIV3Schema, or null when it has none.
const Json& VersionSchema(const Json& version);

}  // namespace common::api::crd
