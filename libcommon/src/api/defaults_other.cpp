// Defaults of the smaller groups: autoscaling, networking, discovery,
// scheduling, storage, flowcontrol, apiextensions, rbac
// (pkg/apis/<group>/<version>/defaults.go).
#include "defaults_util.h"
#include "field_errors.h"

namespace common::api::defaults {
namespace {

void HpaBehaviorRules(Json& rules, bool up) {
  if (up) Ptr(rules, "stabilizationWindowSeconds", 0);
  Ptr(rules, "selectPolicy", "Max");
  if (!rules.contains("policies") || rules["policies"].is_null()) {
    if (up)
      rules["policies"] = Json::array({{{"type", "Pods"}, {"value", 4}, {"periodSeconds", 15}},
                                       {{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}});
    else
      rules["policies"] =
          Json::array({{{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}});
  }
}

void Hpa(const ResourceInfo& ri, Json& obj) {
  Json* spec = Child(obj, "spec");
  if (!spec) return;
  Ptr(*spec, "minReplicas", 1);
  if (ri.version != "v2") return;
  const Json& metrics = Get(*spec, "metrics");
  if (!metrics.is_array() || metrics.empty())
    (*spec)["metrics"] = Json::array({{{"type", "Resource"},
                                       {"resource",
                                        {{"name", "cpu"},
                                         {"target", {{"type", "Utilization"},
                                                     {"averageUtilization", 80}}}}}}});
  if (spec->contains("behavior") && (*spec)["behavior"].is_object()) {
    Json& b = (*spec)["behavior"];
    if (Json* up = Child(b, "scaleUp")) HpaBehaviorRules(*up, true);
    if (Json* down = Child(b, "scaleDown")) HpaBehaviorRules(*down, false);
  }
}

void PriorityLevel(Json& obj) {
  Json* spec = Child(obj, "spec");
  if (!spec) return;
  std::string type = GetString(*spec, "type");
  if (type == "Limited" && spec->contains("limited") && (*spec)["limited"].is_object()) {
    Json& l = (*spec)["limited"];
    Ptr(l, "nominalConcurrencyShares", 30);
    Ptr(l, "lendablePercent", 0);
    if (l.contains("limitResponse") && l["limitResponse"].is_object()) {
      Json& lr = l["limitResponse"];
      if (GetString(lr, "type") == "Queue" && lr.contains("queuing") && lr["queuing"].is_object()) {
        Int(lr["queuing"], "queues", 64);
        Int(lr["queuing"], "handSize", 8);
        Int(lr["queuing"], "queueLengthLimit", 50);
      }
    }
  } else if (type == "Exempt" && spec->contains("exempt") && (*spec)["exempt"].is_object()) {
    Ptr((*spec)["exempt"], "nominalConcurrencyShares", 0);
    Ptr((*spec)["exempt"], "lendablePercent", 0);
  }
}

void RbacSubjects(Json& obj) {
  Json* subjects = ChildArray(obj, "subjects");
  if (subjects)
    for (Json& s : *subjects) {
      if (!s.is_object() || !GetString(s, "apiGroup").empty()) continue;
      std::string kind = GetString(s, "kind");
      if (kind == "User" || kind == "Group") s["apiGroup"] = "rbac.authorization.k8s.io";
      else if (kind == "ServiceAccount") s["apiGroup"] = "";
    }
  if (obj.contains("roleRef") && obj["roleRef"].is_object())
    String(obj["roleRef"], "apiGroup", "rbac.authorization.k8s.io");
}

}  // namespace

void Other(const ResourceInfo& ri, Json& obj) {
  const std::string& k = ri.kind;
  const std::string& g = ri.group;
  if (k == "HorizontalPodAutoscaler") {
    Hpa(ri, obj);
  } else if (k == "NetworkPolicy") {
    Json* spec = Child(obj, "spec");
    if (!spec) return;
    const Json& types = Get(*spec, "policyTypes");
    if (!types.is_array() || types.empty()) {
      Json t = Json::array({"Ingress"});
      if (Arr(*spec, "egress").size() > 0) t.push_back("Egress");
      (*spec)["policyTypes"] = t;
    }
    for (const char* dir : {"ingress", "egress"})
      if (Json* rules = ChildArray(*spec, dir))
        for (Json& r : *rules)
          if (Json* ports = ChildArray(r, "ports"))
            for (Json& p : *ports) Ptr(p, "protocol", "TCP");
  } else if (k == "EndpointSlice") {
    if (Json* ports = ChildArray(obj, "ports"))
      for (Json& p : *ports) {
        Ptr(p, "name", "");
        Ptr(p, "protocol", "TCP");
      }
  } else if (k == "PriorityClass") {
    Ptr(obj, "preemptionPolicy", "PreemptLowerPriority");
  } else if (k == "StorageClass") {
    Ptr(obj, "reclaimPolicy", "Delete");
    Ptr(obj, "volumeBindingMode", "Immediate");
  } else if (k == "FlowSchema") {
    if (Json* spec = Child(obj, "spec")) Int(*spec, "matchingPrecedence", 1000);
  } else if (k == "PriorityLevelConfiguration") {
    PriorityLevel(obj);
  } else if (k == "CustomResourceDefinition") {
    Json* spec = Child(obj, "spec");
    if (!spec) return;
    if (Json* names = Child(*spec, "names")) {
      std::string kind = GetString(*names, "kind");
      String(*names, "singular", ToLowerAscii(kind));
      if (!kind.empty()) String(*names, "listKind", kind + "List");
    }
    if (Json* conv = Child(*spec, "conversion")) {
      String(*conv, "strategy", "None");
      const Json& svc = GetPath(*conv, {"webhook", "clientConfig", "service"});
      if (svc.is_object()) Ptr((*conv)["webhook"]["clientConfig"]["service"], "port", 443);
    }
  } else if (g == "rbac.authorization.k8s.io" && (k == "RoleBinding" || k == "ClusterRoleBinding")) {
    RbacSubjects(obj);
  }
}

std::string ToLowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace common::api::defaults
