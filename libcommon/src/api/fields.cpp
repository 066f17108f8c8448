// Selectable fields per resource (each registry's GetAttrs/ToSelectableFields
// in k8s.io/kubernetes pkg/registry).
#include "common/api/fields.h"

namespace common::api {
namespace {

std::string Str(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  return "";
}

std::optional<std::string> PodField(const Json& pod, std::string_view f) {
  const Json& spec = Get(pod, "spec");
  const Json& status = Get(pod, "status");
  if (f == "spec.nodeName") return GetString(spec, "nodeName");
  if (f == "spec.restartPolicy") return GetString(spec, "restartPolicy");
  if (f == "spec.schedulerName") return GetString(spec, "schedulerName");
  if (f == "spec.serviceAccountName") return GetString(spec, "serviceAccountName");
  if (f == "spec.hostNetwork") return GetBool(spec, "hostNetwork") ? "true" : "false";
  if (f == "status.phase") return GetString(status, "phase");
  if (f == "status.nominatedNodeName") return GetString(status, "nominatedNodeName");
  if (f == "status.podIP") {
    const Json& ips = Get(status, "podIPs");
    if (ips.is_array() && !ips.empty()) return GetString(ips[0], "ip");
    return GetString(status, "podIP");
  }
  return std::nullopt;
}

std::optional<std::string> EventField(const Json& ev, std::string_view f, bool events_api) {
  // events.k8s.io/v1 objects carry the same facts under other names.
  const Json& involved = Get(ev, events_api ? "regarding" : "involvedObject");
  static const char* kInvolved[] = {"kind", "namespace", "name", "uid", "apiVersion",
                                    "resourceVersion", "fieldPath"};
  if (f.rfind("involvedObject.", 0) == 0) {
    std::string_view sub = f.substr(15);
    for (const char* k : kInvolved)
      if (sub == k) return GetString(involved, k);
    return std::nullopt;
  }
  if (f == "reason") return GetString(ev, "reason");
  if (f == "type") return GetString(ev, "type");
  if (f == "source")
    return GetString(Get(ev, events_api ? "deprecatedSource" : "source"), "component");
  if (f == "reportingComponent")
    return GetString(ev, events_api ? "reportingController" : "reportingComponent");
  return std::nullopt;
}

}  // namespace

std::optional<std::string> FieldValue(const ResourceInfo& ri, const Json& obj,
                                      std::string_view field) {
  const Json& meta = Get(obj, "metadata");
  if (field == "metadata.name") return GetString(meta, "name");
  if (field == "metadata.namespace") return ri.namespaced ? GetString(meta, "namespace") : "";
  const std::string& k = ri.kind;
  if (ri.group.empty()) {
    if (k == "Pod") return PodField(obj, field);
    if (k == "Event") return EventField(obj, field, false);
    if (k == "Node" && field == "spec.unschedulable")
      return GetBool(Get(obj, "spec"), "unschedulable") ? "true" : "false";
    if (k == "Secret" && field == "type") return GetString(obj, "type");
    if (k == "Namespace" && field == "status.phase") return GetString(Get(obj, "status"), "phase");
    if (k == "ReplicationController" && field == "status.replicas")
      return Str(GetPath(obj, {"status", "replicas"})).empty() ? "0" : Str(GetPath(obj, {"status", "replicas"}));
    if (k == "Service") {
      if (field == "spec.clusterIP") return GetString(Get(obj, "spec"), "clusterIP");
      if (field == "spec.type") return GetString(Get(obj, "spec"), "type");
    }
    return std::nullopt;
  }
  if (ri.group == "events.k8s.io" && k == "Event") return EventField(obj, field, true);
  if (ri.group == "apps" && k == "ReplicaSet" && field == "status.replicas") {
    std::string v = Str(GetPath(obj, {"status", "replicas"}));
    return v.empty() ? "0" : v;
  }
  if (ri.group == "batch" && k == "Job" && field == "status.successful") {
    std::string v = Str(GetPath(obj, {"status", "succeeded"}));
    return v.empty() ? "0" : v;
  }
  return std::nullopt;
}

}  // namespace common::api
