#include "node_status.h"

namespace nodeagent {

using common::Json;

namespace {

Json Condition(const std::string& type, bool status, const std::string& reason,
               const std::string& message, const Json& previous, common::TimePoint now) {
  std::string st = status ? "True" : "False";
  std::string t = common::FormatRFC3339(now);
  std::string transition = t;
  for (const auto& c : common::Get(previous, "conditions"))
    if (common::GetString(c, "type") == type && common::GetString(c, "status") == st)
      transition = common::GetString(c, "lastTransitionTime", t);
  return Json{{"type", type},
              {"status", st},
              {"lastHeartbeatTime", t},
              {"lastTransitionTime", transition},
              {"reason", reason},
              {"message", message}};
}

Json StripHeartbeats(Json s) {
  if (s.contains("conditions") && s["conditions"].is_array())
    for (auto& c : s["conditions"]) c.erase("lastHeartbeatTime");
  return s;
}

}  // namespace

Json ResourceListJson(const ResourceList& r) {
  Json j = Json::object();
  for (const auto& [k, v] : r) j[k] = v.String();
  return j;
}

Json NodeStatus(const NodeReport& r, const Json& previous, common::TimePoint now) {
  Json s = Json::object();
  s["capacity"] = ResourceListJson(r.capacity);
  s["allocatable"] = ResourceListJson(r.allocatable);
  Json conds = Json::array();
  conds.push_back(Condition("MemoryPressure", r.memory_pressure,
                            r.memory_pressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
                            r.memory_pressure ? "kubelet has insufficient memory available"
                                              : "kubelet has sufficient memory available",
                            previous, now));
  conds.push_back(Condition("DiskPressure", r.disk_pressure,
                            r.disk_pressure ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
                            r.disk_pressure ? "kubelet has disk pressure" : "kubelet has no disk pressure",
                            previous, now));
  conds.push_back(Condition("PIDPressure", r.pid_pressure,
                            r.pid_pressure ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
                            r.pid_pressure ? "kubelet has insufficient PID available"
                                           : "kubelet has sufficient PID available",
                            previous, now));
  bool ready = r.not_ready_message.empty();
  conds.push_back(Condition("Ready", ready, ready ? "KubeletReady" : "KubeletNotReady",
                            ready ? "kubelet is posting ready status" : r.not_ready_message,
                            previous, now));
  s["conditions"] = conds;
  Json addrs = Json::array();
  if (!r.internal_ip.empty()) addrs.push_back({{"type", "InternalIP"}, {"address", r.internal_ip}});
  addrs.push_back({{"type", "Hostname"}, {"address", r.name}});
  s["addresses"] = addrs;
  s["daemonEndpoints"] = {{"kubeletEndpoint", {{"Port", r.port}}}};
  const MachineInfo& m = r.machine;
  s["nodeInfo"] = {{"machineID", m.machine_id},
                   {"systemUUID", m.machine_id},
                   {"bootID", m.boot_id},
                   {"kernelVersion", m.kernel_version},
                   {"osImage", m.os_image},
                   {"containerRuntimeVersion", r.runtime_version},
                   {"kubeletVersion", kKubeletVersion},
                   {"kubeProxyVersion", kKubeletVersion},
                   {"operatingSystem", "linux"},
                   {"architecture", m.architecture.empty() ? "amd64" : m.architecture}};
  s["images"] = r.images;
  return s;
}

Json NodeObject(const NodeReport& r, common::TimePoint now) {
  Json labels = Json::object();
  for (const auto& [k, v] : r.labels) labels[k] = v;
  Json n = {{"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata",
             {{"name", r.name},
              {"labels", labels},
              {"annotations",
               {{"node.alpha.kubernetes.io/ttl", "0"},
                {"volumes.kubernetes.io/controller-managed-attach-detach", "true"}}}}},
            {"spec", Json::object()}};
  if (!r.taints.empty()) {
    Json ts = Json::array();
    for (const auto& t : r.taints) {
      Json tj = {{"key", t.key}, {"effect", t.effect}};
      if (!t.value.empty()) tj["value"] = t.value;
      ts.push_back(tj);
    }
    n["spec"]["taints"] = ts;
  }
  if (!r.pod_cidr.empty()) {
    n["spec"]["podCIDR"] = r.pod_cidr;
    n["spec"]["podCIDRs"] = Json::array({r.pod_cidr});
  }
  n["status"] = NodeStatus(r, Json(), now);
  return n;
}

bool NodeStatusChanged(const Json& a, const Json& b) { return StripHeartbeats(a) != StripHeartbeats(b); }

}  // namespace nodeagent
