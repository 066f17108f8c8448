// Custom resources: what one CRD version's openAPIV3Schema means for the
// objects served in it, as apiextensions-apiserver applies it — pruning of
// unknown fields, defaulting, validation with its texts, and the create /
// update strategy. Tables for custom resources are in tables.h
// (CustomTableColumns/CustomTableRow); the CRD object itself is validated by
// Validate() in validation.h like every built-in kind.
//
// `crd_version` is the CRD's spec.versions[] entry of the version the object
// is in (apiserve keeps it per served resource). A version without a schema
// prunes nothing and validates only metadata. All functions are thread-safe
// and never throw.
//
// The order upstream's handler applies them in, for a create or update body:
//   1. CustomUnknownFields: report under fieldValidation=Strict (400
//      `strict decoding error: unknown field "spec.x"`) or Warn;
//   2. PruneCustom: drop them whatever fieldValidation says;
//   3. ApplyCustomDefaults;
//   4. PrepareCustomForCreate / PrepareCustomForUpdate (or ...StatusUpdate);
//   5. ValidateCustom / ValidateCustomStatusUpdate (422 with InvalidMessage
//      and QualifiedKind(ri), e.g. `CronTab.stable.example.com "x" is invalid`).
// Objects read back from storage get ApplyCustomDefaults too (upstream
// defaults on every decode, so defaults added to a CRD reach old objects).
#pragma once

#include <string>
#include <vector>

#include "common/api/registry.h"
#include "common/api/validation.h"
#include "common/json.h"

namespace common::api {

// The field paths of `obj` that the version's schema does not specify and
// would prune, named like strict decoding's ("spec.foo",
// "spec.items[1].bar", "metadata.bogus"). apiVersion, kind and metadata are
// always known at the root and in x-kubernetes-embedded-resource objects;
// nothing under x-kubernetes-preserve-unknown-fields is unknown, nor under
// additionalProperties: true.
std::vector<std::string> CustomUnknownFields(const Json& crd_version, const Json& obj);

// Removes the fields CustomUnknownFields reports.
void PruneCustom(const Json& crd_version, Json& obj);

// Sets each absent property that has a schema `default` (and each null one
// whose schema is not nullable) to that default, recursing through
// properties, items and additionalProperties, defaults included.
void ApplyCustomDefaults(const Json& crd_version, Json& obj);

// Validates a custom resource for a create (old == nullptr) or an update of
// `old` through the main resource: metadata as for built-in kinds (name a
// DNS-1123 subdomain, labels, annotations, immutable fields on update), then
// the schema: type, nullable, enum, required, pattern, format (int32, int64,
// byte, date, date-time, uuid, ipv4, ipv6, cidr, hostname, ...),
// minimum/maximum (exclusive too), multipleOf, minLength/maxLength,
// minItems/maxItems, uniqueItems, minProperties/maxProperties,
// x-kubernetes-list-type set/map uniqueness, x-kubernetes-int-or-string,
// x-kubernetes-embedded-resource (apiVersion, kind, metadata), allOf/anyOf/
// oneOf/not. Errors carry upstream's texts
// (`spec.replicas: Invalid value: "string": spec.replicas in body must be of
// type integer: "string"`). On update, schema errors at values unchanged
// from `old` are dropped (upstream's validation ratcheting, on by default
// since 1.30). CEL rules (x-kubernetes-validations) are not evaluated.
// REQUIRES: obj was pruned and defaulted.
std::vector<FieldError> ValidateCustom(const ResourceInfo& ri, const Json& crd_version,
                                       const Json& obj, const Json* old);

// Validates an update through the status subresource (metadata update rules,
// then the schema with ratcheting).
std::vector<FieldError> ValidateCustomStatusUpdate(const ResourceInfo& ri, const Json& crd_version,
                                                   const Json& obj, const Json& old);

// The custom resource strategy (apiextensions-apiserver registry/customresource):
// a create sets metadata.generation = 1 and drops status when the version
// has a status subresource.
void PrepareCustomForCreate(const ResourceInfo& ri, Json& obj);

// An update through the main resource: keeps old's status when the version
// has a status subresource. Returns true when the object changed outside
// metadata (and outside status, with a status subresource): the caller then
// bumps metadata.generation.
bool PrepareCustomForUpdate(const ResourceInfo& ri, Json& obj, const Json& old);

// An update through the status subresource: everything from `old` except
// status (and metadata.managedFields) from `obj`.
void PrepareCustomForStatusUpdate(const ResourceInfo& ri, Json& obj, const Json& old);

}  // namespace common::api
