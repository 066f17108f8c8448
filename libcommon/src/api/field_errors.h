// Internal to libcommon/src/api: building field errors the way apimachinery's
// field package does, and the name/format checks of apimachinery's
// util/validation (IsDNS1123Subdomain, IsValidPortName, ...) with its texts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/api/validation.h"
#include "common/json.h"

namespace common::api {

using ErrorList = std::vector<FieldError>;

// A field path as apimachinery prints it: "spec.containers[0].image",
// "metadata.labels[app]".
class Path {
 public:
  Path() = default;
  explicit Path(std::string root) : s_(std::move(root)) {}
  Path Child(std::string_view name) const {
    return Path(s_.empty() ? std::string(name) : s_ + "." + std::string(name));
  }
  Path Index(size_t i) const { return Path(s_ + "[" + std::to_string(i) + "]"); }
  Path Key(std::string_view k) const { return Path(s_ + "[" + std::string(k) + "]"); }
  const std::string& str() const { return s_; }

 private:
  std::string s_;
};

FieldError Required(const Path& p, std::string detail = "");
FieldError Invalid(const Path& p, const Json& value, std::string detail);
FieldError NotSupported(const Path& p, const Json& value, const std::vector<std::string>& valid);
FieldError Duplicate(const Path& p, const Json& value);
FieldError Forbidden(const Path& p, std::string detail);
FieldError TooLong(const Path& p, const Json& value, int64_t max_bytes);
FieldError TooMany(const Path& p, int64_t actual, int64_t max);
FieldError TypeInvalid(const Path& p, const Json& value, std::string detail);
FieldError NotFound(const Path& p, const Json& value);
// An Invalid error whose value prints as `repr` (Go's %#v of a composite).
FieldError InvalidRepr(const Path& p, std::string repr, std::string detail);
// Go's %q of a string.
std::string GoQuote(std::string_view s);
// Go's %#v of a map[string]string and of a *metav1.LabelSelector.
std::string GoStringMap(const Json& m);
std::string GoLabelSelector(const Json& selector);

// "field is immutable" when new != old (ValidateImmutableField).
ErrorList ValidateImmutable(const Json& new_value, const Json& old_value, const Path& p);

inline void Append(ErrorList& to, ErrorList&& from) {
  for (auto& e : from) to.push_back(std::move(e));
}

// apimachinery util/validation: each returns the error messages (empty when valid).
std::vector<std::string> IsDNS1123Subdomain(std::string_view v);
std::vector<std::string> IsDNS1123Label(std::string_view v);
std::vector<std::string> IsDNS1035Label(std::string_view v);
std::vector<std::string> IsQualifiedName(std::string_view v);
std::vector<std::string> IsValidLabelValue(std::string_view v);
std::vector<std::string> IsValidPortName(std::string_view v);
std::vector<std::string> IsValidPortNum(int64_t port);
std::vector<std::string> IsEnvVarName(std::string_view v);
std::vector<std::string> IsConfigMapKey(std::string_view v);
std::vector<std::string> IsValidIP(std::string_view v);
std::vector<std::string> IsValidPathSegmentName(std::string_view v);
std::vector<std::string> IsDomainPrefixedPath(std::string_view v);

// One error per message, each Invalid(p, value, msg).
ErrorList InvalidEach(const Path& p, const Json& value, const std::vector<std::string>& msgs);

// Common numeric checks with upstream's texts.
ErrorList ValidateNonnegative(const Path& p, int64_t v);  // must be greater than or equal to 0
ErrorList ValidatePositive(const Path& p, int64_t v);     // must be greater than zero

// apimachinery ValidateLabels / ValidateAnnotations (total size 256 KiB),
// metav1 LabelSelector validation.
ErrorList ValidateLabels(const Json& labels, const Path& p);
ErrorList ValidateAnnotations(const Json& annotations, const Path& p);
ErrorList ValidateLabelSelector(const Json& selector, const Path& p);

// Helpers for reading the JSON tree without throwing.
inline bool Has(const Json& o, std::string_view k) { return o.is_object() && o.contains(k); }
inline const Json& Arr(const Json& o, std::string_view k) {
  static const Json empty = Json::array();
  const Json& v = Get(o, k);
  return v.is_array() ? v : empty;
}
inline const Json& Obj(const Json& o, std::string_view k) {
  static const Json empty = Json::object();
  const Json& v = Get(o, k);
  return v.is_object() ? v : empty;
}

}  // namespace common::api
