// Validation of built-in objects with upstream's rules and error texts.
#pragma once

#include <string>
#include <vector>

#include "common/api/registry.h"
#include "common/json.h"

namespace common::api {

// One field error, as apimachinery's field.Error.
struct FieldError {
  // "FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported",
  // "FieldValueDuplicate", "FieldValueTooLong", "FieldValueTooMany",
  // "FieldValueForbidden", "FieldValueTypeInvalid" (the StatusCause reason).
  std::string type;
  std::string field;   // "spec.containers[0].image", "metadata.name"
  std::string detail;  // upstream's detail text
  Json bad_value;      // the offending value, when the error has one
  // When set, printed instead of bad_value: Go's %#v of a value that is not
  // a scalar, e.g. `map[string]string{"app":"web"}` for labels.
  std::string bad_value_repr;
  // Upstream's text: `spec.containers[0].image: Required value`,
  // `metadata.name: Invalid value: "A": a lowercase RFC 1123 subdomain must ...`.
  std::string ToString() const;
};

// Validates `obj` for a create (old == nullptr) or an update of `old` through
// the main resource, including metadata (name syntax for the kind, labels,
// annotations size, finalizers) and upstream's immutable-field rules.
// REQUIRES: obj is in ri's version and was defaulted.
std::vector<FieldError> Validate(const ResourceInfo& ri, const Json& obj, const Json* old);

// Validates an update through the status subresource.
std::vector<FieldError> ValidateStatusUpdate(const ResourceInfo& ri, const Json& obj,
                                             const Json& old);

// The 422 message upstream writes for `errors`:
// `Pod "web" is invalid: [spec.containers[0].image: Required value, ...]`
// (no brackets for a single error; repeated messages appear once). `kind` is
// the qualified kind as upstream prints it: "Pod", "Deployment.apps"
// (QualifiedKind below).
std::string InvalidMessage(const std::string& kind, const std::string& name,
                           const std::vector<FieldError>& errors);

// "Pod", "Deployment.apps": the GroupKind string upstream's Invalid errors use.
std::string QualifiedKind(const ResourceInfo& ri);

// The field paths of `obj` that the kind's schema does not have, as strict
// decoding reports them: "spec.containers[0].imagePullPolice".
// Unknown kinds report nothing.
std::vector<std::string> UnknownFields(const ResourceInfo& ri, const Json& obj);

}  // namespace common::api
