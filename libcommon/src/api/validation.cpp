// Validate/ValidateStatusUpdate dispatch, object metadata (apimachinery
// ValidateObjectMeta / ValidateObjectMetaUpdate) and the 422 message.
#include "common/api/validation.h"

#include <set>

#include "validation_util.h"

namespace common::api {
namespace validation {
namespace {

std::string MaskTrailingDash(std::string_view name) {
  std::string s(name);
  if (s.size() > 1 && s.back() == '-') s.back() = 'a';
  return s;
}

ErrorList OwnerReferences(const Json& refs, const Path& p) {
  ErrorList out;
  if (!refs.is_array()) return out;
  std::vector<std::string> controllers;
  for (size_t i = 0; i < refs.size(); ++i) {
    const Json& r = refs[i];
    std::string api_version = GetString(r, "apiVersion");
    GroupVersion gv = GroupVersion::Parse(api_version);
    if (gv.version.empty())
      out.push_back(Invalid(p.Child("apiVersion"), api_version, "version must not be empty"));
    if (GetString(r, "kind").empty())
      out.push_back(Invalid(p.Child("kind"), "", "kind must not be empty"));
    if (GetString(r, "name").empty())
      out.push_back(Invalid(p.Child("name"), "", "name must not be empty"));
    if (GetString(r, "uid").empty())
      out.push_back(Invalid(p.Child("uid"), "", "uid must not be empty"));
    if (GetBool(r, "controller"))
      controllers.push_back(GetString(r, "kind") + "/" + GetString(r, "name"));
  }
  if (controllers.size() > 1) {
    std::string list;
    for (size_t i = 0; i < controllers.size(); ++i) list += (i ? ", " : "") + controllers[i];
    out.push_back(Invalid(p, refs,
                          "Only one reference can have Controller set to true. Found \"true\" in "
                          "references for " + list));
  }
  return out;
}

ErrorList Finalizers(const Json& fins, const Path& p) {
  ErrorList out;
  if (!fins.is_array()) return out;
  std::set<std::string> seen;
  for (const Json& f : fins) {
    std::string s = f.is_string() ? f.get<std::string>() : "";
    Append(out, InvalidEach(p, s, IsQualifiedName(s)));
    if (!seen.insert(s).second) out.push_back(Duplicate(p, s));
  }
  return out;
}

}  // namespace

NameRule NameRuleFor(const ResourceInfo& ri) {
  if (ri.group.empty() && ri.kind == "Namespace") return NameRule::kDns1123Label;
  if (ri.group.empty() && ri.kind == "Service") return NameRule::kDns1035Label;
  if (ri.group == "apps" && ri.kind == "StatefulSet") return NameRule::kDns1123Label;
  if (ri.group == "rbac.authorization.k8s.io") return NameRule::kPathSegment;
  if (ri.storage_segment.empty()) return NameRule::kNone;
  return NameRule::kDns1123Subdomain;
}

std::vector<std::string> ValidateName(NameRule rule, std::string_view name, bool prefix) {
  std::string n = prefix ? MaskTrailingDash(name) : std::string(name);
  switch (rule) {
    case NameRule::kDns1123Subdomain: return IsDNS1123Subdomain(n);
    case NameRule::kDns1123Label: return IsDNS1123Label(n);
    case NameRule::kDns1035Label: return IsDNS1035Label(n);
    case NameRule::kPathSegment:
      if (prefix) {
        std::vector<std::string> errs;
        for (const std::string& m : IsValidPathSegmentName(name))
          if (m.find("may not contain") == 0) errs.push_back(m);
        return errs;
      }
      return IsValidPathSegmentName(name);
    case NameRule::kNone: return {};
  }
  return {};
}

ErrorList ObjectMeta(const ResourceInfo& ri, const Json& meta, const Path& p) {
  ErrorList out;
  NameRule rule = NameRuleFor(ri);
  std::string generate_name = GetString(meta, "generateName");
  if (!generate_name.empty())
    Append(out, InvalidEach(p.Child("generateName"), generate_name,
                            ValidateName(rule, generate_name, true)));
  std::string name = GetString(meta, "name");
  if (name.empty())
    out.push_back(Required(p.Child("name"), "name or generateName is required"));
  else
    Append(out, InvalidEach(p.Child("name"), name, ValidateName(rule, name, false)));
  std::string ns = GetString(meta, "namespace");
  if (ri.namespaced) {
    if (ns.empty())
      out.push_back(Required(p.Child("namespace")));
    else
      Append(out, InvalidEach(p.Child("namespace"), ns, IsDNS1123Label(ns)));
  } else if (!ns.empty()) {
    out.push_back(Forbidden(p.Child("namespace"), "not allowed on this type"));
  }
  Append(out, ValidateNonnegative(p.Child("generation"), GetInt(meta, "generation")));
  Append(out, ValidateLabels(Get(meta, "labels"), p.Child("labels")));
  Append(out, ValidateAnnotations(Get(meta, "annotations"), p.Child("annotations")));
  Append(out, OwnerReferences(Get(meta, "ownerReferences"), p.Child("ownerReferences")));
  Append(out, Finalizers(Get(meta, "finalizers"), p.Child("finalizers")));
  return out;
}

ErrorList ObjectMetaUpdate(const Json& meta, const Json& old_meta, const Path& p) {
  ErrorList out;
  if (!Get(old_meta, "deletionTimestamp").is_null()) {
    std::set<std::string> old_fins;
    for (const Json& f : Arr(old_meta, "finalizers"))
      if (f.is_string()) old_fins.insert(f.get<std::string>());
    std::vector<std::string> added;
    for (const Json& f : Arr(meta, "finalizers"))
      if (f.is_string() && !old_fins.count(f.get<std::string>())) added.push_back(f.get<std::string>());
    if (!added.empty()) {
      std::string list;
      for (size_t i = 0; i < added.size(); ++i) list += (i ? " " : "") + added[i];
      out.push_back(Forbidden(p.Child("finalizers"), "no new finalizers can be added if the object is "
                                                     "being deleted, found new finalizers [" + list + "]"));
    }
  }
  if (GetInt(meta, "generation") < GetInt(old_meta, "generation"))
    out.push_back(Invalid(p.Child("generation"), GetInt(meta, "generation"), "must not be decremented"));
  for (const char* f : {"name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                        "deletionGracePeriodSeconds"}) {
    const Json& a = Get(meta, f);
    const Json& b = Get(old_meta, f);
    bool a_empty = a.is_null() || (a.is_string() && a.get<std::string>().empty());
    bool b_empty = b.is_null() || (b.is_string() && b.get<std::string>().empty());
    if (a_empty && b_empty) continue;
    Append(out, ValidateImmutable(a_empty ? Json("") : a, b_empty ? Json("") : b, p.Child(f)));
  }
  Append(out, ValidateLabels(Get(meta, "labels"), p.Child("labels")));
  Append(out, ValidateAnnotations(Get(meta, "annotations"), p.Child("annotations")));
  Append(out, OwnerReferences(Get(meta, "ownerReferences"), p.Child("ownerReferences")));
  Append(out, Finalizers(Get(meta, "finalizers"), p.Child("finalizers")));
  return out;
}

ErrorList Nonnegative(const Json& obj, std::string_view key, const Path& p) {
  const Json& v = Get(obj, key);
  if (!v.is_number()) return {};
  return ValidateNonnegative(p, v.get<int64_t>());
}

ErrorList PortNumOrName(const Json& port, const Path& p) {
  ErrorList out;
  if (port.is_number()) {
    Append(out, InvalidEach(p, port, IsValidPortNum(port.get<int64_t>())));
  } else if (port.is_string()) {
    std::string s = port.get<std::string>();
    if (s.empty()) out.push_back(Required(p));
    else Append(out, InvalidEach(p, s, IsValidPortName(s)));
  } else {
    out.push_back(Required(p));
  }
  return out;
}

ErrorList Enum(const Json& obj, std::string_view key, const Path& p,
               const std::vector<std::string>& valid, bool required) {
  const Json& v = Get(obj, key);
  std::string s = v.is_string() ? v.get<std::string>() : "";
  if (s.empty()) return required ? ErrorList{Required(p)} : ErrorList{};
  for (const std::string& ok : valid)
    if (ok == s) return {};
  return {NotSupported(p, s, valid)};
}

ErrorList SubdomainRef(const Json& obj, std::string_view key, const Path& p, bool required) {
  std::string s = GetString(obj, key);
  if (s.empty()) return required ? ErrorList{Required(p)} : ErrorList{};
  return InvalidEach(p, s, IsDNS1123Subdomain(s));
}

}  // namespace validation

std::vector<FieldError> Validate(const ResourceInfo& ri, const Json& obj, const Json* old) {
  using namespace validation;
  ErrorList out;
  const Json& meta = Get(obj, "metadata");
  if (old == nullptr) {
    Append(out, ObjectMeta(ri, meta, Path("metadata")));
  } else {
    Append(out, ObjectMetaUpdate(meta, Get(*old, "metadata"), Path("metadata")));
  }
  if (ri.group.empty()) Append(out, Core(ri, obj, old));
  else if (ri.group == "apps") Append(out, Apps(ri, obj, old));
  else if (ri.group == "batch") Append(out, Batch(ri, obj, old));
  else Append(out, Other(ri, obj, old));
  return out;
}

std::vector<FieldError> ValidateStatusUpdate(const ResourceInfo& ri, const Json& obj,
                                             const Json& old) {
  using namespace validation;
  ErrorList out = ObjectMetaUpdate(Get(obj, "metadata"), Get(old, "metadata"), Path("metadata"));
  Append(out, CoreStatus(ri, obj, old));
  return out;
}

std::string InvalidMessage(const std::string& kind, const std::string& name,
                           const std::vector<FieldError>& errors) {
  std::string head = kind + " \"" + name + "\" is invalid";
  // field.ErrorList.ToAggregate drops repeated messages, keeping the first.
  std::vector<std::string> msgs;
  std::set<std::string> seen;
  for (const FieldError& e : errors) {
    std::string m = e.ToString();
    if (seen.insert(m).second) msgs.push_back(m);
  }
  if (msgs.empty()) return head;
  if (msgs.size() == 1) return head + ": " + msgs[0];
  std::string joined;
  for (size_t i = 0; i < msgs.size(); ++i) joined += (i ? ", " : "") + msgs[i];
  return head + ": [" + joined + "]";
}

std::string QualifiedKind(const ResourceInfo& ri) {
  return ri.group.empty() ? ri.kind : ri.kind + "." + ri.group;
}

}  // namespace common::api
