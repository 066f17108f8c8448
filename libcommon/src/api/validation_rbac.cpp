// rbac.authorization.k8s.io (pkg/apis/rbac/validation) and
// flowcontrol.apiserver.k8s.io (pkg/apis/flowcontrol/validation) validation.
#include "validation_util.h"

namespace common::api::validation {
namespace {

constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";

// ValidatePolicyRule.
ErrorList PolicyRule(const Json& rule, bool namespaced, const Path& p) {
  ErrorList out;
  if (Arr(rule, "verbs").empty())
    out.push_back(Required(p.Child("verbs"), "verbs must contain at least one value"));
  const Json& urls = Arr(rule, "nonResourceURLs");
  if (!urls.empty()) {
    if (namespaced)
      out.push_back(Invalid(p.Child("nonResourceURLs"), urls, "namespaced rules cannot apply to non-resource URLs"));
    if (!Arr(rule, "apiGroups").empty() || !Arr(rule, "resources").empty() || !Arr(rule, "resourceNames").empty())
      out.push_back(Invalid(p.Child("nonResourceURLs"), urls,
                            "rules cannot apply to both regular resources and non-resource URLs"));
    return out;
  }
  if (Arr(rule, "apiGroups").empty())
    out.push_back(Required(p.Child("apiGroups"), "resource rules must supply at least one api group"));
  if (Arr(rule, "resources").empty())
    out.push_back(Required(p.Child("resources"), "resource rules must supply at least one resource"));
  return out;
}

ErrorList Rules(const Json& obj, bool namespaced) {
  ErrorList out;
  const Json& rules = Arr(obj, "rules");
  for (size_t i = 0; i < rules.size(); ++i) Append(out, PolicyRule(rules[i], namespaced, Path("rules").Index(i)));
  return out;
}

// ValidateRoleBindingSubject.
ErrorList Subject(const Json& s, bool namespaced, const Path& p) {
  ErrorList out;
  std::string name = GetString(s, "name");
  std::string group = GetString(s, "apiGroup");
  if (name.empty()) out.push_back(Required(p.Child("name"), ""));
  std::string kind = GetString(s, "kind");
  if (kind == "ServiceAccount") {
    if (!name.empty()) Append(out, InvalidEach(p.Child("name"), name, IsDNS1123Subdomain(name)));
    if (!group.empty()) out.push_back(NotSupported(p.Child("apiGroup"), group, {""}));
    if (!namespaced && GetString(s, "namespace").empty()) out.push_back(Required(p.Child("namespace"), ""));
  } else if (kind == "User" || kind == "Group") {
    if (group != kRbacGroup) out.push_back(NotSupported(p.Child("apiGroup"), group, {kRbacGroup}));
  } else {
    out.push_back(NotSupported(p.Child("kind"), kind, {"ServiceAccount", "User", "Group"}));
  }
  return out;
}

// Go's %#v of an rbac.RoleRef.
std::string RoleRefRepr(const Json& ref) {
  return "rbac.RoleRef{APIGroup:" + GoQuote(GetString(ref, "apiGroup")) + ", Kind:" +
         GoQuote(GetString(ref, "kind")) + ", Name:" + GoQuote(GetString(ref, "name")) + "}";
}

ErrorList Binding(const Json& obj, const Json* old, bool cluster) {
  ErrorList out;
  const Json& ref = Obj(obj, "roleRef");
  Path rp("roleRef");
  std::string group = GetString(ref, "apiGroup");
  if (group != kRbacGroup) out.push_back(NotSupported(rp.Child("apiGroup"), group, {kRbacGroup}));
  std::string kind = GetString(ref, "kind");
  if (cluster && kind != "ClusterRole") out.push_back(NotSupported(rp.Child("kind"), kind, {"ClusterRole"}));
  if (!cluster && kind != "Role" && kind != "ClusterRole")
    out.push_back(NotSupported(rp.Child("kind"), kind, {"Role", "ClusterRole"}));
  std::string name = GetString(ref, "name");
  if (name.empty()) out.push_back(Required(rp.Child("name"), ""));
  else Append(out, InvalidEach(rp.Child("name"), name, IsValidPathSegmentName(name)));
  const Json& subjects = Arr(obj, "subjects");
  for (size_t i = 0; i < subjects.size(); ++i)
    Append(out, Subject(subjects[i], !cluster, Path("subjects").Index(i)));
  if (old && Get(*old, "roleRef") != Get(obj, "roleRef"))
    out.push_back(InvalidRepr(rp, RoleRefRepr(ref), "cannot change roleRef"));
  return out;
}

ErrorList ClusterRole(const Json& obj) {
  ErrorList out = Rules(obj, false);
  const Json& agg = Get(obj, "aggregationRule");
  if (agg.is_object()) {
    Path ap = Path("aggregationRule").Child("clusterRoleSelectors");
    const Json& sels = Arr(agg, "clusterRoleSelectors");
    if (sels.empty())
      out.push_back(Required(ap, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
    for (size_t i = 0; i < sels.size(); ++i) Append(out, ValidateLabelSelector(sels[i], ap.Index(i)));
  }
  return out;
}

ErrorList FlowSubject(const Json& s, const Path& p) {
  ErrorList out;
  std::string kind = GetString(s, "kind");
  bool sa = Get(s, "serviceAccount").is_object(), user = Get(s, "user").is_object(),
       group = Get(s, "group").is_object();
  auto forbid = [&](bool present, const char* key, const char* what) {
    if (present)
      out.push_back(Forbidden(p.Child(key), std::string(key) + " is forbidden when subject kind is not '" + what + "'"));
  };
  if (kind == "ServiceAccount") {
    if (!sa) {
      out.push_back(Required(p.Child("serviceAccount"), "serviceAccount is required when subject kind is 'ServiceAccount'"));
    } else {
      const Json& a = s["serviceAccount"];
      if (GetString(a, "name").empty()) out.push_back(Required(p.Child("serviceAccount").Child("name"), ""));
      std::string ns = GetString(a, "namespace");
      if (ns.empty()) out.push_back(Required(p.Child("serviceAccount").Child("namespace"), ""));
      else if (ns != "*") Append(out, InvalidEach(p.Child("serviceAccount").Child("namespace"), ns, IsDNS1123Label(ns)));
    }
    forbid(user, "user", "User");
    forbid(group, "group", "Group");
  } else if (kind == "User") {
    if (!user) out.push_back(Required(p.Child("user"), "user is required when subject kind is 'User'"));
    else if (GetString(s["user"], "name").empty()) out.push_back(Required(p.Child("user").Child("name"), ""));
    forbid(sa, "serviceAccount", "ServiceAccount");
    forbid(group, "group", "Group");
  } else if (kind == "Group") {
    if (!group) out.push_back(Required(p.Child("group"), "group is required when subject kind is 'Group'"));
    else if (GetString(s["group"], "name").empty()) out.push_back(Required(p.Child("group").Child("name"), ""));
    forbid(sa, "serviceAccount", "ServiceAccount");
    forbid(user, "user", "User");
  } else {
    out.push_back(NotSupported(p.Child("kind"), kind, {"Group", "ServiceAccount", "User"}));
  }
  return out;
}

ErrorList Verbs(const Json& rule, const Path& p) {
  ErrorList out;
  const Json& verbs = Arr(rule, "verbs");
  if (verbs.empty()) out.push_back(Required(p, "verbs must contain at least one value"));
  else if (verbs.size() > 1 && std::find(verbs.begin(), verbs.end(), Json("*")) != verbs.end())
    out.push_back(Invalid(p, verbs, "if '*' is present, must not specify other verbs"));
  return out;
}

ErrorList FlowRule(const Json& rule, const Path& p) {
  ErrorList out;
  const Json& subjects = Arr(rule, "subjects");
  if (subjects.empty()) out.push_back(Required(p.Child("subjects"), "subjects must contain at least one value"));
  for (size_t i = 0; i < subjects.size(); ++i) Append(out, FlowSubject(subjects[i], p.Child("subjects").Index(i)));
  const Json& resource_rules = Arr(rule, "resourceRules");
  const Json& non_resource = Arr(rule, "nonResourceRules");
  if (resource_rules.empty() && non_resource.empty())
    out.push_back(Required(p, "at least one of resourceRules and nonResourceRules has to be non-empty"));
  for (size_t i = 0; i < resource_rules.size(); ++i) {
    const Json& r = resource_rules[i];
    Path rp = p.Child("resourceRules").Index(i);
    Append(out, Verbs(r, rp.Child("verbs")));
    if (Arr(r, "apiGroups").empty())
      out.push_back(Required(rp.Child("apiGroups"), "resource rules must supply at least one api group"));
    if (Arr(r, "resources").empty())
      out.push_back(Required(rp.Child("resources"), "resource rules must supply at least one resource"));
    if (Arr(r, "namespaces").empty() && !GetBool(r, "clusterScope"))
      out.push_back(Required(rp.Child("namespaces"),
                             "resource rules that are not cluster scoped must supply at least one namespace"));
  }
  for (size_t i = 0; i < non_resource.size(); ++i) {
    const Json& r = non_resource[i];
    Path rp = p.Child("nonResourceRules").Index(i);
    Append(out, Verbs(r, rp.Child("verbs")));
    if (Arr(r, "nonResourceURLs").empty())
      out.push_back(Required(rp.Child("nonResourceURLs"), "nonResourceURLs must contain at least one value"));
  }
  return out;
}

ErrorList FlowSchema(const Json& obj) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  int64_t prec = GetInt(spec, "matchingPrecedence");
  if (prec <= 0) out.push_back(Invalid(sp.Child("matchingPrecedence"), prec, "must be a positive value"));
  if (prec > 10000) out.push_back(Invalid(sp.Child("matchingPrecedence"), prec, "must not be greater than 10000"));
  if (prec == 1 && GetString(Obj(obj, "metadata"), "name") != "exempt")
    out.push_back(Invalid(sp.Child("matchingPrecedence"), prec, "only the schema named 'exempt' may have matchingPrecedence 1"));
  const Json& dm = Get(spec, "distinguisherMethod");
  if (dm.is_object()) {
    std::string type = GetString(dm, "type");
    if (type != "ByNamespace" && type != "ByUser")
      out.push_back(NotSupported(sp.Child("distinguisherMethod").Child("type"), type, {"ByNamespace", "ByUser"}));
  }
  std::string pl = GetString(Obj(spec, "priorityLevelConfiguration"), "name");
  Path plp = sp.Child("priorityLevelConfiguration").Child("name");
  if (pl.empty()) out.push_back(Required(plp, "must reference a priority level"));
  else Append(out, InvalidEach(plp, pl, IsDNS1123Subdomain(pl)));
  const Json& rules = Arr(spec, "rules");
  for (size_t i = 0; i < rules.size(); ++i) Append(out, FlowRule(rules[i], sp.Child("rules").Index(i)));
  return out;
}

void Percent(const Json& obj, const char* key, const Path& p, ErrorList& out) {
  const Json& v = Get(obj, key);
  if (v.is_number() && (v.get<int64_t>() < 0 || v.get<int64_t>() > 100))
    out.push_back(Invalid(p.Child(key), v, "must be between 0 and 100, inclusive"));
}

ErrorList PriorityLevel(const Json& obj) {
  ErrorList out;
  const Json& spec = Obj(obj, "spec");
  Path sp("spec");
  std::string type = GetString(spec, "type");
  std::string name = GetString(Obj(obj, "metadata"), "name");
  if ((name == "exempt") != (type == "Exempt"))
    out.push_back(Invalid(sp.Child("type"), type, "type must be 'Exempt' if and only if name is 'exempt'"));
  bool limited = Get(spec, "limited").is_object(), exempt = Get(spec, "exempt").is_object();
  if (type == "Exempt") {
    if (limited) out.push_back(Forbidden(sp.Child("limited"), "must be nil if the type is not Limited"));
    if (exempt) {
      const Json& e = spec["exempt"];
      const Json& shares = Get(e, "nominalConcurrencyShares");
      if (shares.is_number() && shares.get<int64_t>() < 0)
        out.push_back(Invalid(sp.Child("exempt").Child("nominalConcurrencyShares"), shares, "must be a non-negative integer"));
      Percent(e, "lendablePercent", sp.Child("exempt"), out);
    }
  } else if (type == "Limited") {
    if (exempt) out.push_back(Forbidden(sp.Child("exempt"), "must be nil if the type is Limited"));
    if (!limited) {
      out.push_back(Required(sp.Child("limited"), "must not be empty when type is Limited"));
    } else {
      const Json& l = spec["limited"];
      Path lp = sp.Child("limited");
      if (GetInt(l, "nominalConcurrencyShares") < 0)
        out.push_back(Invalid(lp.Child("nominalConcurrencyShares"), GetInt(l, "nominalConcurrencyShares"),
                              "must be a non-negative integer"));
      const Json& lr = Obj(l, "limitResponse");
      Path rp = lp.Child("limitResponse");
      std::string lt = GetString(lr, "type");
      bool queuing = Get(lr, "queuing").is_object();
      if (lt == "Reject") {
        if (queuing) out.push_back(Forbidden(rp.Child("queuing"), "must be nil if limited.limitResponse.type is not Limited"));
      } else if (lt == "Queue") {
        if (!queuing) {
          out.push_back(Required(rp.Child("queuing"), "must not be empty if limited.limitResponse.type is Limited"));
        } else {
          const Json& q = lr["queuing"];
          Path qp = rp.Child("queuing");
          int64_t limit = GetInt(q, "queueLengthLimit"), queues = GetInt(q, "queues"), hand = GetInt(q, "handSize");
          if (limit <= 0) out.push_back(Invalid(qp.Child("queueLengthLimit"), limit, "must be positive"));
          if (queues <= 0) out.push_back(Invalid(qp.Child("queues"), queues, "must be positive"));
          else if (queues > 10000000) out.push_back(Invalid(qp.Child("queues"), queues, "must not be greater than 10000000"));
          if (hand <= 0) out.push_back(Invalid(qp.Child("handSize"), hand, "must be positive"));
          else if (hand > queues)
            out.push_back(Invalid(qp.Child("handSize"), hand,
                                  "should not be greater than queues (" + std::to_string(queues) + ")"));
        }
      } else {
        out.push_back(NotSupported(rp.Child("type"), lt, {"Queue", "Reject"}));
      }
      Percent(l, "lendablePercent", lp, out);
      const Json& borrow = Get(l, "borrowingLimitPercent");
      if (borrow.is_number() && borrow.get<int64_t>() < 0)
        out.push_back(Invalid(lp.Child("borrowingLimitPercent"), borrow, "if specified, must be a non-negative integer"));
    }
  } else {
    out.push_back(NotSupported(sp.Child("type"), type, {"Exempt", "Limited"}));
  }
  return out;
}

}  // namespace

ErrorList Rbac(const ResourceInfo& ri, const Json& obj, const Json* old) {
  if (ri.kind == "Role") return Rules(obj, true);
  if (ri.kind == "ClusterRole") return ClusterRole(obj);
  if (ri.kind == "RoleBinding") return Binding(obj, old, false);
  if (ri.kind == "ClusterRoleBinding") return Binding(obj, old, true);
  return {};
}

ErrorList Flowcontrol(const ResourceInfo& ri, const Json& obj, const Json* old) {
  (void)old;
  if (ri.kind == "FlowSchema") return FlowSchema(obj);
  if (ri.kind == "PriorityLevelConfiguration") return PriorityLevel(obj);
  return {};
}

}  // namespace common::api::validation
