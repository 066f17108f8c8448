// Label selectors ("app=web,tier in (a,b),!canary") and field selectors
// ("spec.nodeName=n1,status.phase!=Failed"), parsed and matched as upstream does.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace common {

using Labels = std::map<std::string, std::string>;

// Reads metadata.labels-style JSON (an object of strings) into Labels;
// anything else gives an empty map.
Labels LabelsFromJson(const Json& obj);

struct LabelRequirement {
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist, kGreaterThan, kLessThan };
  std::string key;
  Op op = Op::kEquals;
  std::vector<std::string> values;  // sorted, as upstream keeps them

  bool Matches(const Labels& labels) const;
  std::string String() const;
};

// A conjunction of requirements. Copyable value type.
class LabelSelector {
 public:
  // Matches everything.
  LabelSelector() = default;
  // Matches nothing (a nil *metav1.LabelSelector in places that say so).
  static LabelSelector Nothing();

  // Parses the string syntax (kubectl -l, labelSelector= query parameter).
  // Errors read like upstream's: "unable to parse requirement: ...".
  static Result<LabelSelector> Parse(std::string_view text);
  // From a metav1.LabelSelector JSON object (matchLabels, matchExpressions).
  // Null or {} matches everything.
  static Result<LabelSelector> FromJson(const Json& selector);
  // From a plain map (a Service's or ReplicationController's selector).
  static LabelSelector FromMap(const Labels& labels);

  bool Matches(const Labels& labels) const;
  bool Matches(const Json& labels_json) const { return Matches(LabelsFromJson(labels_json)); }
  bool Empty() const { return !nothing_ && reqs_.empty(); }
  bool MatchesNothing() const { return nothing_; }
  const std::vector<LabelRequirement>& requirements() const { return reqs_; }
  // Canonical string form, requirements sorted by key.
  std::string String() const;

 private:
  std::vector<LabelRequirement> reqs_;
  bool nothing_ = false;
};

struct FieldRequirement {
  std::string field;
  bool negate = false;  // "!="
  std::string value;
};

// A conjunction of field=value / field!=value terms.
class FieldSelector {
 public:
  FieldSelector() = default;
  // Parses "a=b,c!=d,e==f"; '\' escapes ',', '=' and '\' in values.
  static Result<FieldSelector> Parse(std::string_view text);

  // `get` returns a field's value, or nullopt for a field the resource does
  // not support (Matches then returns false).
  bool Matches(const std::function<std::optional<std::string>(std::string_view)>& get) const;
  bool Empty() const { return reqs_.empty(); }
  const std::vector<FieldRequirement>& requirements() const { return reqs_; }
  // The value required for `field` with '=', if there is one.
  std::optional<std::string> RequiredValue(std::string_view field) const;
  std::string String() const;

 private:
  std::vector<FieldRequirement> reqs_;
};

// Label key and value syntax (qualified names, 63-char values), returning
// upstream's error texts; "" when valid.
std::string ValidateLabelKey(std::string_view key);
std::string ValidateLabelValue(std::string_view value);

}  // namespace common
