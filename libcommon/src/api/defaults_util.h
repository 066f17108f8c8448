// Internal to libcommon/src/api: small setters that mirror how upstream's
// SetDefaults_* functions treat Go zero values, and the per-family default
// functions the dispatcher in defaults.cpp calls.
#pragma once

#include <string>
#include <string_view>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api::defaults {

// `obj[key]` as an object, created when missing or null. Returns nullptr when
// the member exists with another type (validation reports it; defaulting skips).
Json* Child(Json& obj, std::string_view key);
// Same for an array member; nullptr when absent, null or not an array.
Json* ChildArray(Json& obj, std::string_view key);

// A string field: set when missing, null or "" (Go's `if x == ""`).
void String(Json& obj, std::string_view key, std::string_view value);
// A pointer field (*int32, *bool, *string): set when missing or null.
void Ptr(Json& obj, std::string_view key, const Json& value);
// A non-pointer number: set when missing, null or 0.
void Int(Json& obj, std::string_view key, int64_t value);

// Family defaults, in the object's (external) version.
void PodSpec(Json& spec);              // SetDefaults_PodSpec + containers, volumes, probes
void PodTemplateSpec(Json& template_); // metadata untouched; spec as PodSpec
void PersistentVolumeClaimSpec(Json& pvc);  // a whole PVC object (spec + status)
void Core(const ResourceInfo& ri, Json& obj);
void Apps(const ResourceInfo& ri, Json& obj);
void Batch(const ResourceInfo& ri, Json& obj);
void Other(const ResourceInfo& ri, Json& obj);

std::string ToLowerAscii(std::string_view s);

}  // namespace common::api::defaults
