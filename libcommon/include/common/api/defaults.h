// Upstream's defaulting and create/update strategies for built-in kinds.
#pragma once

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api {

// Fills the defaults upstream's SetDefaults_* functions fill for `obj`
// (in ri's version): pod restartPolicy, dnsPolicy, container
// terminationMessagePath, imagePullPolicy from the tag, service sessionAffinity
// and targetPort, deployment strategy and revisionHistoryLimit, ...
void ApplyDefaults(const ResourceInfo& ri, Json& obj);

// What upstream's typed JSON decoding does to explicit nulls in a body of
// ri's kind: a null struct member is dropped (a nil pointer, map or slice, or
// a zero value, is omitted on output), a null element of a map or list
// becomes its type's zero value ("" for strings, {} for objects), and free-form
// JSON members (RawExtension, a CRD schema's default/example/enum) keep their
// inner nulls. Call before ApplyDefaults, so a null field gets its default.
void DropNulls(const ResourceInfo& ri, Json& obj);
// The same for one value of a built-in type named as in OpenAPI
// ("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"); nothing for an
// unknown name.
void DropNullsAs(std::string_view type_name, Json& v);

// The kind-specific part of a create (metadata is the server's job):
// resets status where upstream's PrepareForCreate does (pods get phase Pending
// and qosClass), sets metadata.generation = 1 for kinds that track it, and
// derives what the strategy derives (a Job's generated selector and template
// labels, a Namespace's "kubernetes" finalizer).
// REQUIRES: metadata.name and metadata.uid are already set (the Job selector
// uses the uid; upstream generates it in Validate, after uid assignment).
void PrepareForCreate(const ResourceInfo& ri, Json& obj);

// The kind-specific part of an update through the main resource: keeps
// `old`'s status when the kind has a status subresource. Returns true when the
// spec changed (the caller bumps metadata.generation if ri.tracks_generation).
bool PrepareForUpdate(const ResourceInfo& ri, Json& obj, const Json& old);

// An update through the status subresource: keeps everything of `old` but
// status (and, as upstream, some metadata such as labels) from `obj`.
void PrepareForStatusUpdate(const ResourceInfo& ri, Json& obj, const Json& old);

}  // namespace common::api
