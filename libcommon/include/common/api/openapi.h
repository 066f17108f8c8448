// OpenAPI documents generated from the schemas validation uses, so kubectl's
// validation check and `kubectl explain` work. kubectl 1.29+ reads
// /openapi/v3: explain renders components.schemas, and create/apply/replace
// look for a PATCH operation tagged with the object's
// x-kubernetes-group-version-kind that lists a `fieldValidation` query
// parameter; when it finds one it sends ?fieldValidation=Strict and leaves
// validation to the server (it falls back to /openapi/v2 in protobuf only
// for a group version missing from the v3 index).
//
// Every function is thread-safe. Documents are memoized by their inputs (a
// changed CRD makes a new document), so calling them per request is cheap.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api {

// The /openapi/v2 document (Swagger 2.0, JSON) for `resources`, with the
// definitions kubectl reads (io.k8s.api.core.v1.Pod, ... with
// x-kubernetes-group-version-kind and x-kubernetes-patch-merge-key/strategy)
// plus one per served version of each CRD in `crds` (CRD objects; the
// definition of group stable.example.com is com.example.stable.v1.<Kind>).
std::string OpenApiV2(const std::vector<ResourceInfo>& resources, const std::vector<Json>& crds);

// The same document as the protobuf of gnostic's openapi_v2.Document, the
// only form kubectl accepts from /openapi/v2: it asks with
// `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, and
// the server must answer with Content-Type
// `application/com.github.proto-openapi.spec.v2.v1.0+protobuf` (a dot, not
// '@': Go's mime parser rejects '@', as kube-apiserver's handler knows). kubectl 1.32 reads it when the
// v3 documents do not settle validation: a `kind: List` file, a kind without
// a PATCH operation (the reviews), a group version missing from the v3 index.
std::string OpenApiV2Protobuf(const std::vector<ResourceInfo>& resources,
                              const std::vector<Json>& crds);

// The /openapi/v3 index: {"paths": {"api/v1": {"serverRelativeURL":
// "/openapi/v3/api/v1?hash=<OpenApiHash of the document>"}, "apis/apps/v1":
// ...}} for the built-in `gvs` that have resources, then each CRD's served
// versions.
Json OpenApiV3Index(const std::vector<GroupVersion>& gvs, const std::vector<Json>& crds);

// The /openapi/v3/<path> document for one group version ("api/v1",
// "apis/apps/v1", "apis/stable.example.com/v1"): OpenAPI 3.0 JSON with the
// group version's paths (from those of `resources` in it and the CRDs of
// `crds` serving it) and the component schemas they reach; "" when the group
// version has neither (the server answers 404).
std::string OpenApiV3(const std::string& path, const std::vector<ResourceInfo>& resources,
                      const std::vector<Json>& crds);

// Upstream's document hash: the upper-case hex SHA-512 of `document`. It is
// the ?hash= of the v3 index and serves as the ETag (kube-apiserver answers
// If-None-Match with 304, and ?hash= requests with
// Cache-Control: public, immutable).
std::string OpenApiHash(std::string_view document);

}  // namespace common::api
