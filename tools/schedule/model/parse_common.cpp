// Shared decoding helpers: names, selectors, node selector terms.
#include <algorithm>

#include "common/strings.h"
#include "model/parse.h"

namespace schedule {

using common::Json;
using common::Result;
using common::Status;

std::string NormalizedImageName(std::string_view image) {
  std::string name(image);
  size_t colon = name.rfind(':');
  size_t slash = name.rfind('/');
  bool has_tag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  if (!has_tag) name += ":latest";
  return name;
}

std::string DescribeObject(const Json& obj) {
  std::string kind = common::GetString(obj, "kind");
  if (kind.empty()) kind = "object";
  const Json& md = common::Get(obj, "metadata");
  std::string name = common::GetString(md, "name");
  if (name.empty()) name = common::GetString(md, "generateName");
  std::string ns = common::GetString(md, "namespace");
  bool namespaced = kind == "Pod" || kind == "PersistentVolumeClaim" || kind == "Service" ||
                    kind == "ReplicaSet" || kind == "StatefulSet" || kind == "PodDisruptionBudget" ||
                    kind == "ReplicationController";
  if (namespaced) name = (ns.empty() ? "default" : ns) + "/" + name;
  return kind + " \"" + name + "\"";
}

Result<common::LabelSelector> ParseLabelSelectorOrNothing(const Json& obj, const std::string& field) {
  if (obj.is_null()) return common::LabelSelector::Nothing();
  auto sel = common::LabelSelector::FromJson(obj);
  if (!sel.ok()) return Status::Invalid(field + ": " + sel.status().message());
  return sel;
}

namespace {

Result<common::LabelRequirement> ParseNodeRequirement(const Json& e, const std::string& field) {
  common::LabelRequirement r;
  r.key = common::GetString(e, "key");
  std::string err = common::ValidateLabelKey(r.key);
  if (!err.empty()) return Status::Invalid(field + ".key: Invalid value: \"" + r.key + "\": " + err);
  std::string op = common::GetString(e, "operator");
  const Json& vals = common::Get(e, "values");
  if (vals.is_array())
    for (const Json& v : vals) {
      if (!v.is_string()) return Status::Invalid(field + ".values: must be strings");
      r.values.push_back(v.get<std::string>());
    }
  using Op = common::LabelRequirement::Op;
  if (op == "In" || op == "NotIn") {
    r.op = op == "In" ? Op::kIn : Op::kNotIn;
    if (r.values.empty())
      return Status::Invalid(field + ".values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
  } else if (op == "Exists" || op == "DoesNotExist") {
    r.op = op == "Exists" ? Op::kExists : Op::kDoesNotExist;
    if (!r.values.empty())
      return Status::Invalid(field + ".values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  } else if (op == "Gt" || op == "Lt") {
    r.op = op == "Gt" ? Op::kGreaterThan : Op::kLessThan;
    if (r.values.size() != 1)
      return Status::Invalid(field + ".values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'");
    if (!common::ParseInt64(r.values[0]))
      return Status::Invalid(field + ".values[0]: Invalid value: \"" + r.values[0] + "\": must be an integer");
  } else {
    return Status::Invalid(field + ".operator: Invalid value: \"" + op + "\": not a valid selector operator");
  }
  std::sort(r.values.begin(), r.values.end());
  return r;
}

}  // namespace

Result<NodeSelectorTerm> ParseNodeSelectorTerm(const Json& obj, const std::string& field) {
  NodeSelectorTerm term;
  if (!obj.is_object()) return Status::Invalid(field + ": must be an object");
  const Json& exprs = common::Get(obj, "matchExpressions");
  if (exprs.is_array()) {
    for (size_t i = 0; i < exprs.size(); ++i) {
      auto r = ParseNodeRequirement(exprs[i], field + ".matchExpressions[" + std::to_string(i) + "]");
      if (!r.ok()) return r.status();
      term.expressions.push_back(std::move(*r));
    }
  }
  const Json& fields = common::Get(obj, "matchFields");
  if (fields.is_array()) {
    for (size_t i = 0; i < fields.size(); ++i) {
      std::string f = field + ".matchFields[" + std::to_string(i) + "]";
      FieldRequirement fr;
      fr.key = common::GetString(fields[i], "key");
      if (fr.key != "metadata.name")
        return Status::Invalid(f + ".key: Invalid value: \"" + fr.key + "\": not a valid field selector key");
      std::string op = common::GetString(fields[i], "operator");
      if (op != "In" && op != "NotIn")
        return Status::Invalid(f + ".operator: Invalid value: \"" + op + "\": not a valid selector operator");
      fr.in = op == "In";
      const Json& vals = common::Get(fields[i], "values");
      if (!vals.is_array() || vals.size() != 1 || !vals[0].is_string())
        return Status::Invalid(f + ".values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
      fr.value = vals[0].get<std::string>();
      term.fields.push_back(std::move(fr));
    }
  }
  return term;
}

Result<NodeSelector> ParseNodeSelector(const Json& obj, const std::string& field) {
  NodeSelector sel;
  const Json& terms = common::Get(obj, "nodeSelectorTerms");
  if (!terms.is_array() || terms.empty())
    return Status::Invalid(field + ".nodeSelectorTerms: Required value: must have at least one node selector term");
  for (size_t i = 0; i < terms.size(); ++i) {
    auto t = ParseNodeSelectorTerm(terms[i], field + ".nodeSelectorTerms[" + std::to_string(i) + "]");
    if (!t.ok()) return t.status();
    sel.terms.push_back(std::move(*t));
  }
  return sel;
}

}  // namespace schedule
