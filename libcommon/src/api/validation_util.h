// Internal to libcommon/src/api: the per-family validators the dispatcher in
// validation.cpp calls, and shared pieces (pod specs, object metadata).
#pragma once

#include "common/api/registry.h"
#include "field_errors.h"

namespace common::api::validation {

// How ValidateObjectMeta checks metadata.name (upstream's ValidateNameFunc).
enum class NameRule { kDns1123Subdomain, kDns1123Label, kDns1035Label, kPathSegment, kNone };
NameRule NameRuleFor(const ResourceInfo& ri);
std::vector<std::string> ValidateName(NameRule rule, std::string_view name, bool prefix);

ErrorList ObjectMeta(const ResourceInfo& ri, const Json& meta, const Path& p);
ErrorList ObjectMetaUpdate(const Json& meta, const Json& old_meta, const Path& p);

// PodSpec validation; `for_pod` adds the checks upstream runs only for pods.
ErrorList PodSpec(const Json& spec, const Path& p, bool for_pod);
// A PodTemplateSpec: metadata labels/annotations + spec.
ErrorList PodTemplateSpec(const Json& tmpl, const Path& p);
ErrorList PodSpecUpdate(const Json& spec, const Json& old_spec, const Path& p);
ErrorList ResourceRequirements(const Json& r, const Path& p);

// Family validators: `old` is null for a create.
ErrorList Core(const ResourceInfo& ri, const Json& obj, const Json* old);
ErrorList Apps(const ResourceInfo& ri, const Json& obj, const Json* old);
ErrorList Batch(const ResourceInfo& ri, const Json& obj, const Json* old);
ErrorList Other(const ResourceInfo& ri, const Json& obj, const Json* old);
ErrorList CoreStatus(const ResourceInfo& ri, const Json& obj, const Json& old);
// The smaller groups (validation_networking.cpp, validation_rbac.cpp,
// validation_events.cpp).
ErrorList Networking(const ResourceInfo& ri, const Json& obj, const Json* old);
ErrorList Discovery(const ResourceInfo& ri, const Json& obj, const Json* old);
ErrorList Rbac(const ResourceInfo& ri, const Json& obj, const Json* old);
ErrorList Flowcontrol(const ResourceInfo& ri, const Json& obj, const Json* old);
// An Event in core/v1 shape; `events_api` when it came through
// events.k8s.io/v1 (its stricter rules apply).
ErrorList Event(const Json& core_event, const Json* old_core_event, bool events_api);
// apiextensions.k8s.io CustomResourceDefinition (validation_crd.cpp).
ErrorList CustomResourceDefinition(const Json& obj, const Json* old);
// Errors of `value` against a CRD schema node, paths under `data_path`
// (custom_validation.cpp; also used to check schema defaults).
ErrorList ValidateValueAgainstSchema(const Json& value, const Json& schema, const Path& data_path);

// Shared field checks.
ErrorList Nonnegative(const Json& obj, std::string_view key, const Path& p);
ErrorList PortNumOrName(const Json& port, const Path& p);
ErrorList Enum(const Json& obj, std::string_view key, const Path& p,
               const std::vector<std::string>& valid, bool required);
// An IntOrString count or percentage (ValidatePositiveIntOrPercent +
// IsNotMoreThan100Percent).
ErrorList IntOrPercent(const Json& v, const Path& p);
ErrorList SubdomainRef(const Json& obj, std::string_view key, const Path& p, bool required);

}  // namespace common::api::validation
