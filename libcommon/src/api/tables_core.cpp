// core/v1 printers (k8s.io/kubernetes pkg/printers/internalversion/printers.go):
// the same columns and cell texts `kubectl get` shows against kube-apiserver.
#include <algorithm>
#include <set>

#include "common/quantity.h"
#include "common/strings.h"
#include "common/timeutil.h"
#include "tables_util.h"

namespace common::api::tables {
namespace {

bool IsRestartableInit(const Json& c) { return GetString(c, "restartPolicy") == "Always"; }

TimePoint TerminatedAt(const Json& cs) {
  const Json& fin = GetPath(cs, {"lastState", "terminated", "finishedAt"});
  if (!fin.is_string()) return TimePoint{};
  auto t = ParseRFC3339(fin.get<std::string>());
  return t.ok() ? *t : TimePoint{};
}

bool HasCondition(const Json& conds, const char* type, const char* status = "True") {
  if (!conds.is_array()) return false;
  for (const Json& c : conds)
    if (GetString(c, "type") == type) return GetString(c, "status") == status;
  return false;
}

// printPod's READY, STATUS and RESTARTS.
Json PodCells(const Json& pod) {
  const Json& spec = Get(pod, "spec");
  const Json& status = Get(pod, "status");
  const Json& init_specs = Get(spec, "initContainers");
  int64_t restarts = 0, sidecar_restarts = 0;
  size_t total = Get(spec, "containers").is_array() ? Get(spec, "containers").size() : 0;
  size_t ready = 0;
  TimePoint last_restart{}, last_sidecar_restart{};
  std::string phase = GetString(status, "phase");
  std::string reason = GetString(status, "reason").empty() ? phase : GetString(status, "reason");
  const Json& conds = Get(status, "conditions");
  if (conds.is_array())
    for (const Json& c : conds)
      if (GetString(c, "type") == "PodScheduled" && GetString(c, "reason") == "SchedulingGated")
        reason = "SchedulingGated";
  auto init_spec = [&](const std::string& name) -> const Json& {
    static const Json none;
    if (init_specs.is_array())
      for (const Json& c : init_specs)
        if (GetString(c, "name") == name) return c;
    return none;
  };
  size_t n_init = init_specs.is_array() ? init_specs.size() : 0;
  if (init_specs.is_array())
    for (const Json& c : init_specs)
      if (IsRestartableInit(c)) ++total;
  bool initializing = false;
  const Json& init_statuses = Get(status, "initContainerStatuses");
  if (init_statuses.is_array()) {
    for (size_t i = 0; i < init_statuses.size(); ++i) {
      const Json& cs = init_statuses[i];
      restarts += GetInt(cs, "restartCount");
      TimePoint t = TerminatedAt(cs);
      if (t > last_restart) last_restart = t;
      bool sidecar = IsRestartableInit(init_spec(GetString(cs, "name")));
      if (sidecar) {
        sidecar_restarts += GetInt(cs, "restartCount");
        if (t > last_sidecar_restart) last_sidecar_restart = t;
      }
      const Json& term = GetPath(cs, {"state", "terminated"});
      const Json& wait = GetPath(cs, {"state", "waiting"});
      if (term.is_object() && GetInt(term, "exitCode") == 0) continue;
      if (sidecar && GetBool(cs, "started")) {
        if (GetBool(cs, "ready")) ++ready;
        continue;
      }
      if (term.is_object()) {
        if (GetString(term, "reason").empty()) {
          reason = GetInt(term, "signal") != 0 ? "Init:Signal:" + std::to_string(GetInt(term, "signal"))
                                               : "Init:ExitCode:" + std::to_string(GetInt(term, "exitCode"));
        } else {
          reason = "Init:" + GetString(term, "reason");
        }
      } else if (wait.is_object() && !GetString(wait, "reason").empty() &&
                 GetString(wait, "reason") != "PodInitializing") {
        reason = "Init:" + GetString(wait, "reason");
      } else {
        reason = "Init:" + std::to_string(i) + "/" + std::to_string(n_init);
      }
      initializing = true;
      break;
    }
  }
  if (!initializing || HasCondition(conds, "Initialized")) {
    restarts = sidecar_restarts;
    last_restart = last_sidecar_restart;
    bool has_running = false;
    const Json& statuses = Get(status, "containerStatuses");
    if (statuses.is_array()) {
      for (size_t n = statuses.size(); n-- > 0;) {
        const Json& cs = statuses[n];
        restarts += GetInt(cs, "restartCount");
        TimePoint t = TerminatedAt(cs);
        if (t > last_restart) last_restart = t;
        const Json& term = GetPath(cs, {"state", "terminated"});
        const Json& wait = GetPath(cs, {"state", "waiting"});
        if (wait.is_object() && !GetString(wait, "reason").empty()) {
          reason = GetString(wait, "reason");
        } else if (term.is_object() && !GetString(term, "reason").empty()) {
          reason = GetString(term, "reason");
        } else if (term.is_object()) {
          reason = GetInt(term, "signal") != 0 ? "Signal:" + std::to_string(GetInt(term, "signal"))
                                               : "ExitCode:" + std::to_string(GetInt(term, "exitCode"));
        } else if (GetBool(cs, "ready") && GetPath(cs, {"state", "running"}).is_object()) {
          has_running = true;
          ++ready;
        }
      }
    }
    if (reason == "Completed" && has_running)
      reason = HasCondition(conds, "Ready") ? "Running" : "NotReady";
  }
  const Json& deletion = GetPath(pod, {"metadata", "deletionTimestamp"});
  if (!deletion.is_null() && GetString(status, "reason") == "NodeLost") reason = "Unknown";
  else if (!deletion.is_null() && phase != "Succeeded" && phase != "Failed") reason = "Terminating";
  std::string restarts_str = std::to_string(restarts);
  if (restarts != 0 && last_restart != TimePoint{})
    restarts_str += " (" + HumanDuration(Clock::now() - last_restart) + " ago)";
  // -o wide cells.
  std::string ip;
  const Json& ips = Get(status, "podIPs");
  if (ips.is_array() && !ips.empty()) ip = GetString(ips[0], "ip");
  std::string gates = "<none>";
  const Json& rg = Get(spec, "readinessGates");
  if (rg.is_array() && !rg.empty()) {
    size_t ok = 0;
    for (const Json& g : rg)
      if (HasCondition(conds, GetString(g, "conditionType").c_str())) ++ok;
    gates = std::to_string(ok) + "/" + std::to_string(rg.size());
  }
  return Json::array({Name(pod), std::to_string(ready) + "/" + std::to_string(total), reason,
                      restarts_str, Age(pod), OrNone(ip), OrNone(GetString(spec, "nodeName")),
                      OrNone(GetString(status, "nominatedNodeName")), gates});
}

Json PodColumns() {
  return Json::array(
      {NameColumn(), StringColumn("Ready", "The aggregate readiness state of this pod for accepting traffic."),
       StringColumn("Status", "The aggregate status of the containers in this pod."),
       StringColumn("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
       AgeColumn(), StringColumn("IP", "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
       StringColumn("Node", "NodeName indicates in which node this pod is scheduled.", 1),
       StringColumn("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", 1),
       StringColumn("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", 1)});
}

std::vector<std::string> NodeRoles(const Json& labels) {
  std::set<std::string> roles;
  if (labels.is_object())
    for (auto it = labels.begin(); it != labels.end(); ++it) {
      const std::string& k = it.key();
      if (k.rfind("node-role.kubernetes.io/", 0) == 0 && k.size() > 24) roles.insert(k.substr(24));
      else if (k == "kubernetes.io/role" && it.value().is_string() && !it.value().get<std::string>().empty())
        roles.insert(it.value().get<std::string>());
    }
  return {roles.begin(), roles.end()};
}

std::string NodeAddress(const Json& node, const char* type) {
  const Json& addrs = GetPath(node, {"status", "addresses"});
  if (addrs.is_array())
    for (const Json& a : addrs)
      if (GetString(a, "type") == type) return GetString(a, "address");
  return "<none>";
}

Json NodeCells(const Json& node) {
  std::vector<std::string> status;
  const Json& conds = GetPath(node, {"status", "conditions"});
  if (conds.is_array())
    for (const Json& c : conds)
      if (GetString(c, "type") == "Ready") {
        status.push_back(GetString(c, "status") == "True" ? "Ready" : "NotReady");
        break;
      }
  if (status.empty()) status.push_back("Unknown");
  if (GetBool(Get(node, "spec"), "unschedulable")) status.push_back("SchedulingDisabled");
  const Json& info = GetPath(node, {"status", "nodeInfo"});
  auto unknown = [](const std::string& s) { return s.empty() ? std::string("<unknown>") : s; };
  return Json::array({Name(node), Join(status, ","),
                      OrNone(Join(NodeRoles(GetPath(node, {"metadata", "labels"})), ",")), Age(node),
                      GetString(info, "kubeletVersion"), NodeAddress(node, "InternalIP"),
                      NodeAddress(node, "ExternalIP"), unknown(GetString(info, "osImage")),
                      unknown(GetString(info, "kernelVersion")),
                      unknown(GetString(info, "containerRuntimeVersion"))});
}

Json NodeColumns() {
  return Json::array({NameColumn(), StringColumn("Status", "The status of the node"),
                      StringColumn("Roles", "The roles of the node"), AgeColumn(),
                      StringColumn("Version", "Kubelet Version reported by the node."),
                      StringColumn("Internal-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
                      StringColumn("External-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
                      StringColumn("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
                      StringColumn("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
                      StringColumn("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1)});
}

std::string ServiceExternalIP(const Json& spec, const Json& status) {
  std::string type = GetString(spec, "type");
  std::vector<std::string> ext;
  const Json& eips = Get(spec, "externalIPs");
  if (eips.is_array())
    for (const Json& e : eips)
      if (e.is_string()) ext.push_back(e.get<std::string>());
  if (type == "ClusterIP" || type == "NodePort") return ext.empty() ? "<none>" : Join(ext, ",");
  if (type == "ExternalName") return GetString(spec, "externalName");
  if (type == "LoadBalancer") {
    std::vector<std::string> lb;
    const Json& ing = GetPath(status, {"loadBalancer", "ingress"});
    if (ing.is_array())
      for (const Json& i : ing) {
        if (!GetString(i, "ip").empty()) lb.push_back(GetString(i, "ip"));
        else if (!GetString(i, "hostname").empty()) lb.push_back(GetString(i, "hostname"));
      }
    for (const std::string& e : ext) lb.push_back(e);
    return lb.empty() ? "<pending>" : Join(lb, ",");
  }
  return "<unknown>";
}

Json ServiceCells(const Json& svc) {
  const Json& spec = Get(svc, "spec");
  std::vector<std::string> ports;
  const Json& ps = Get(spec, "ports");
  if (ps.is_array())
    for (const Json& p : ps) {
      std::string s = std::to_string(GetInt(p, "port"));
      if (GetInt(p, "nodePort") > 0) s += ":" + std::to_string(GetInt(p, "nodePort"));
      ports.push_back(s + "/" + GetString(p, "protocol"));
    }
  return Json::array({Name(svc), GetString(spec, "type"), OrNone(GetString(spec, "clusterIP")),
                      ServiceExternalIP(spec, Get(svc, "status")),
                      ports.empty() ? "<none>" : Join(ports, ","), Age(svc),
                      FormatLabels(Get(spec, "selector"))});
}

Json ServiceColumns() {
  return Json::array({NameColumn(), StringColumn("Type", "The type of the service."),
                      StringColumn("Cluster-IP", "The IP address of the service."),
                      StringColumn("External-IP", "The external IP address of the service."),
                      StringColumn("Port(s)", "The ports that the service is exposed on."), AgeColumn(),
                      StringColumn("Selector", "Route service traffic to pods with label keys and values matching this selector.", 1)});
}

Json EndpointsCells(const Json& ep) {
  std::vector<std::string> list;
  size_t total = 0;
  const Json& subsets = Get(ep, "subsets");
  if (subsets.is_array())
    for (const Json& s : subsets) {
      const Json& addrs = Get(s, "addresses");
      const Json& ports = Get(s, "ports");
      if (!addrs.is_array()) continue;
      for (const Json& a : addrs) {
        if (!ports.is_array() || ports.empty()) {
          ++total;
          if (list.size() < 3) list.push_back(GetString(a, "ip"));
          continue;
        }
        for (const Json& p : ports) {
          ++total;
          if (list.size() < 3) list.push_back(GetString(a, "ip") + ":" + std::to_string(GetInt(p, "port")));
        }
      }
    }
  std::string s = list.empty() ? "<none>" : Join(list, ",");
  if (total > list.size()) s += " + " + std::to_string(total - list.size()) + " more...";
  return Json::array({Name(ep), s, Age(ep)});
}

std::string EventTimestamp(const Json& ts) {
  if (!ts.is_string() || ts.get<std::string>().empty()) return "<unknown>";
  return TimestampAge(ts);
}

Json EventCells(const Json& ev) {
  std::string first = EventTimestamp(Get(ev, "firstTimestamp"));
  if (Get(ev, "firstTimestamp").is_null()) first = EventTimestamp(Get(ev, "eventTime"));
  std::string last = Get(ev, "lastTimestamp").is_null() ? first : EventTimestamp(Get(ev, "lastTimestamp"));
  int64_t count = GetInt(ev, "count");
  if (Get(ev, "series").is_object()) {
    last = EventTimestamp(GetPath(ev, {"series", "lastObservedTime"}));
    count = GetInt(Get(ev, "series"), "count");
  } else if (count == 0) {
    count = 1;
  }
  const Json& io = Get(ev, "involvedObject");
  std::string target = ToLower(GetString(io, "kind"));
  if (!GetString(io, "name").empty()) target += "/" + GetString(io, "name");
  const Json& src = Get(ev, "source");
  std::string component = GetString(src, "component");
  if (component.empty()) component = GetString(ev, "reportingComponent");
  std::vector<std::string> source = {component};
  if (!GetString(src, "host").empty()) source.push_back(GetString(src, "host"));
  else if (!GetString(ev, "reportingInstance").empty()) source.push_back(GetString(ev, "reportingInstance"));
  return Json::array({last, GetString(ev, "type"), GetString(ev, "reason"), target,
                      GetString(io, "fieldPath"), Join(source, ", "),
                      std::string(TrimSpace(GetString(ev, "message"))), first, count, Name(ev)});
}

Json EventColumns() {
  return Json::array({StringColumn("Last Seen", "The last time an Event was observed."),
                      StringColumn("Type", "Type of this event (Normal, Warning), new types could be added in the future."),
                      StringColumn("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
                      StringColumn("Object", "The object that this event is about."),
                      StringColumn("Subobject", "The subobject that this event is about.", 1),
                      StringColumn("Source", "The component reporting this event.", 1),
                      StringColumn("Message", "A human-readable description of the status of this operation."),
                      StringColumn("First Seen", "The first time an Event was observed.", 1),
                      StringColumn("Count", "The number of times this event has occurred.", 1),
                      StringColumn("Name", "Name must be unique within a namespace.", 1)});
}

std::string AccessModes(const Json& modes) {
  std::vector<std::string> out;
  auto has = [&](const char* m) {
    if (modes.is_array())
      for (const Json& x : modes)
        if (x == m) return true;
    return false;
  };
  if (has("ReadWriteOnce")) out.push_back("RWO");
  if (has("ReadOnlyMany")) out.push_back("ROX");
  if (has("ReadWriteMany")) out.push_back("RWX");
  if (has("ReadWriteOncePod")) out.push_back("RWOP");
  return Join(out, ",");
}

std::string StorageString(const Json& v) {
  if (v.is_null()) return "";
  auto q = Quantity::FromJson(v);
  return q.ok() ? q->String() : "";
}

Json PvCells(const Json& pv) {
  const Json& spec = Get(pv, "spec");
  const Json& claim = Get(spec, "claimRef");
  std::string claim_str = claim.is_object() ? GetString(claim, "namespace") + "/" + GetString(claim, "name") : "";
  std::string phase = GetString(Get(pv, "status"), "phase");
  if (!GetPath(pv, {"metadata", "deletionTimestamp"}).is_null()) phase = "Terminating";
  std::string sc = GetString(spec, "storageClassName");
  if (sc.empty()) sc = GetString(GetPath(pv, {"metadata", "annotations"}), "volume.beta.kubernetes.io/storage-class");
  std::string vac = GetString(spec, "volumeAttributesClassName");
  std::string mode = GetString(spec, "volumeMode");
  return Json::array({Name(pv), StorageString(GetPath(spec, {"capacity", "storage"})),
                      AccessModes(Get(spec, "accessModes")), GetString(spec, "persistentVolumeReclaimPolicy"),
                      phase, claim_str, sc, vac.empty() ? "<unset>" : vac,
                      GetString(Get(pv, "status"), "reason"), Age(pv), mode.empty() ? "<unset>" : mode});
}

Json PvcCells(const Json& pvc) {
  const Json& spec = Get(pvc, "spec");
  const Json& status = Get(pvc, "status");
  std::string phase = GetString(status, "phase");
  if (!GetPath(pvc, {"metadata", "deletionTimestamp"}).is_null()) phase = "Terminating";
  std::string cap, modes;
  if (!GetString(spec, "volumeName").empty()) {
    cap = StorageString(GetPath(status, {"capacity", "storage"}));
    modes = AccessModes(Get(status, "accessModes"));
  }
  std::string sc = GetString(spec, "storageClassName");
  if (sc.empty()) sc = GetString(GetPath(pvc, {"metadata", "annotations"}), "volume.beta.kubernetes.io/storage-class");
  std::string vac = GetString(status, "currentVolumeAttributesClassName");
  std::string mode = GetString(spec, "volumeMode");
  return Json::array({Name(pvc), phase, GetString(spec, "volumeName"), cap, modes, sc,
                      vac.empty() ? "<unset>" : vac, Age(pvc), mode.empty() ? "<unset>" : mode});
}

Json QuotaCells(const Json& rq) {
  const Json& hard = GetPath(rq, {"status", "hard"}).is_object() ? GetPath(rq, {"status", "hard"})
                                                                 : GetPath(rq, {"spec", "hard"});
  const Json& used = GetPath(rq, {"status", "used"});
  std::vector<std::string> keys;
  if (hard.is_object())
    for (auto it = hard.begin(); it != hard.end(); ++it) keys.push_back(it.key());
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> req, lim;
  for (const std::string& k : keys) {
    std::string u = StorageString(Get(used, k));
    std::string entry = k + ": " + (u.empty() ? "0" : u) + "/" + StorageString(hard[k]);
    if (k.rfind("limits.", 0) == 0) lim.push_back(entry);
    else req.push_back(entry);
  }
  return Json::array({Name(rq), Age(rq), Join(req, ", "), Join(lim, ", ")});
}

Json SimpleCount(const Json& obj, const char* field) {
  const Json& v = Get(obj, field);
  return v.is_object() || v.is_array() ? static_cast<int64_t>(v.size()) : 0;
}

}  // namespace

std::vector<Printer> CorePrinters() {
  return {
      {"", "Pod", PodColumns, PodCells},
      {"", "Node", NodeColumns, NodeCells},
      {"", "Service", ServiceColumns, ServiceCells},
      {"", "Endpoints",
       [] { return Json::array({NameColumn(), StringColumn("Endpoints", "Endpoints of the service"), AgeColumn()}); },
       EndpointsCells},
      {"", "Namespace",
       [] { return Json::array({NameColumn(), StringColumn("Status", "The status of the namespace"), AgeColumn()}); },
       [](const Json& o) { return Json::array({Name(o), GetString(Get(o, "status"), "phase"), Age(o)}); }},
      {"", "ConfigMap",
       [] { return Json::array({NameColumn(), IntColumn("Data", "Data contains the configuration data."), AgeColumn()}); },
       [](const Json& o) {
         int64_t n = SimpleCount(o, "data").get<int64_t>() + SimpleCount(o, "binaryData").get<int64_t>();
         return Json::array({Name(o), n, Age(o)});
       }},
      {"", "Secret",
       [] {
         return Json::array({NameColumn(), StringColumn("Type", "The type of secret"),
                             IntColumn("Data", "Data contains the secret data."), AgeColumn()});
       },
       [](const Json& o) {
         int64_t n = SimpleCount(o, "data").get<int64_t>();
         return Json::array({Name(o), GetString(o, "type"), n, Age(o)});
       }},
      {"", "ServiceAccount",
       [] { return Json::array({NameColumn(), IntColumn("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), AgeColumn()}); },
       [](const Json& o) { return Json::array({Name(o), SimpleCount(o, "secrets"), Age(o)}); }},
      {"", "Event", EventColumns, EventCells},
      {"", "PersistentVolume",
       [] {
         return Json::array({NameColumn(), StringColumn("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
                             StringColumn("Access Modes", "accessModes contains all ways the volume can be mounted."),
                             StringColumn("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
                             StringColumn("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
                             StringColumn("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
                             StringColumn("StorageClass", "storageClassName is the name of StorageClass to which this persistent volume belongs."),
                             StringColumn("VolumeAttributesClass", "Name of VolumeAttributesClass to which this persistent volume belongs."),
                             StringColumn("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
                             AgeColumn(), StringColumn("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", 1)});
       },
       PvCells},
      {"", "PersistentVolumeClaim",
       [] {
         return Json::array({NameColumn(), StringColumn("Status", "phase represents the current phase of PersistentVolumeClaim."),
                             StringColumn("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
                             StringColumn("Capacity", "capacity represents the actual resources of the underlying volume."),
                             StringColumn("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
                             StringColumn("StorageClass", "storageClassName is the name of the StorageClass required by the claim."),
                             StringColumn("VolumeAttributesClass", "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."),
                             AgeColumn(), StringColumn("VolumeMode", "volumeMode defines what type of volume is required by the claim.", 1)});
       },
       PvcCells},
      {"", "ResourceQuota",
       [] {
         return Json::array({NameColumn(), AgeColumn(), StringColumn("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
                             StringColumn("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.")});
       },
       QuotaCells},
      {"", "LimitRange",
       [] { return Json::array({NameColumn(), Column("Created At", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0)}); },
       [](const Json& o) { return Json::array({Name(o), GetPath(o, {"metadata", "creationTimestamp"})}); }},
      {"", "PodTemplate",
       [] {
         return Json::array({NameColumn(), StringColumn("Containers", "Names of each container in the template."),
                             StringColumn("Images", "Images referenced by each container in the template."),
                             StringColumn("Pod Labels", "The labels for the pod template.")});
       },
       [](const Json& o) {
         const Json& spec = GetPath(o, {"template", "spec"});
         return Json::array({Name(o), ContainerNames(spec), ContainerImages(spec),
                             FormatLabels(GetPath(o, {"template", "metadata", "labels"}))});
       }},
      {"", "ReplicationController",
       [] {
         return Json::array({NameColumn(), IntColumn("Desired", "Replicas is the number of desired replicas."),
                             IntColumn("Current", "Replicas is the most recently observed number of replicas."),
                             IntColumn("Ready", "The number of ready replicas for this replication controller."), AgeColumn(),
                             StringColumn("Containers", "Names of each container in the template.", 1),
                             StringColumn("Images", "Images referenced by each container in the template.", 1),
                             StringColumn("Selector", "Selector is a label query over pods that should match the Replicas count.", 1)});
       },
       [](const Json& o) {
         const Json& tspec = GetPath(o, {"spec", "template", "spec"});
         return Json::array({Name(o), Int(o, {"spec", "replicas"}), Int(o, {"status", "replicas"}),
                             Int(o, {"status", "readyReplicas"}), Age(o), ContainerNames(tspec),
                             ContainerImages(tspec), FormatLabels(GetPath(o, {"spec", "selector"}))});
       }},
      {"", "ComponentStatus",
       [] {
         return Json::array({NameColumn(), StringColumn("Status", "Status of the component conditions"),
                             StringColumn("Message", "Message of the component conditions"),
                             StringColumn("Error", "Error of the component conditions")});
       },
       [](const Json& o) {
         std::string status = "Unknown", message, error;
         const Json& conds = Get(o, "conditions");
         if (conds.is_array())
           for (const Json& c : conds)
             if (GetString(c, "type") == "Healthy") {
               status = GetString(c, "status") == "True" ? "Healthy" : "Unhealthy";
               message = GetString(c, "message");
               error = GetString(c, "error");
             }
         return Json::array({Name(o), status, message, error});
       }},
  };
}

// Row conditions printPod attaches to finished pods.
Json PodRowConditions(const Json& pod) {
  std::string phase = GetPath(pod, {"status", "phase"}).is_string() ? GetPath(pod, {"status", "phase"}).get<std::string>() : "";
  if (phase == "Succeeded")
    return Json::array({{{"type", "Completed"}, {"status", "True"}, {"reason", "Succeeded"},
                         {"message", "The pod has completed successfully."}}});
  if (phase == "Failed")
    return Json::array({{{"type", "Completed"}, {"status", "True"}, {"reason", "Failed"},
                         {"message", "The pod failed."}}});
  return nullptr;
}

}  // namespace common::api::tables
