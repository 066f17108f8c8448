// core/v1 kinds other than the pod spec itself (pkg/apis/core/validation).
#include <set>

#include "common/base64.h"
#include "common/quantity.h"
#include "common/selector.h"
#include "validation_util.h"

namespace common::api::validation {
namespace {

const char* kPodUpdateForbidden =
    "pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
    "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set "
    "to 1 if it was previously negative)";

ErrorList PodUpdate(const Json& pod, const Json& old) {
  ErrorList out;
  Path sp("spec");
  Json a = Obj(pod, "spec"), b = Obj(old, "spec");
  // Mask the mutable fields, then anything left that differs is forbidden.
  for (const char* list : {"containers", "initContainers"}) {
    if (!a.contains(list) || !b.contains(list) || !a[list].is_array() || !b[list].is_array() ||
        a[list].size() != b[list].size())
      continue;
    for (size_t i = 0; i < a[list].size(); ++i)
      if (a[list][i].is_object() && b[list][i].is_object()) a[list][i]["image"] = b[list][i]["image"];
  }
  const Json& new_ads = Get(a, "activeDeadlineSeconds");
  const Json& old_ads = Get(b, "activeDeadlineSeconds");
  if (new_ads.is_number() && (old_ads.is_null() || (old_ads.is_number() &&
                                                    new_ads.get<int64_t>() <= old_ads.get<int64_t>())))
    a["activeDeadlineSeconds"] = old_ads;
  else if (!old_ads.is_null() && new_ads.is_null())
    out.push_back(Invalid(sp.Child("activeDeadlineSeconds"), nullptr,
                          "must not update from a positive integer to nil value"));
  else if (new_ads.is_number() && old_ads.is_number())
    out.push_back(Invalid(sp.Child("activeDeadlineSeconds"), new_ads,
                          "must be less than or equal to previous value"));
  // Tolerations may only be added to.
  const Json& new_tols = Arr(a, "tolerations");
  const Json& old_tols = Arr(b, "tolerations");
  bool tols_ok = true;
  for (const Json& t : old_tols)
    if (std::find(new_tols.begin(), new_tols.end(), t) == new_tols.end()) tols_ok = false;
  if (tols_ok) a["tolerations"] = b.contains("tolerations") ? b["tolerations"] : Json(nullptr);
  if (!b.contains("tolerations")) a.erase("tolerations");
  const Json& gp = Get(b, "terminationGracePeriodSeconds");
  if (gp.is_number() && gp.get<int64_t>() < 0 && GetInt(a, "terminationGracePeriodSeconds") == 1)
    a["terminationGracePeriodSeconds"] = gp;
  // Scheduling gates may only be removed.
  const Json& new_gates = Arr(a, "schedulingGates");
  bool gates_ok = true;
  for (const Json& g : new_gates)
    if (std::find(Arr(b, "schedulingGates").begin(), Arr(b, "schedulingGates").end(), g) ==
        Arr(b, "schedulingGates").end())
      gates_ok = false;
  if (gates_ok) {
    if (b.contains("schedulingGates")) a["schedulingGates"] = b["schedulingGates"];
    else a.erase("schedulingGates");
  } else {
    out.push_back(Forbidden(sp.Child("schedulingGates"), "only deletion is allowed, but found new scheduling gate"));
  }
  if (a != b) out.push_back(Forbidden(sp, kPodUpdateForbidden));
  return out;
}

ErrorList ServicePorts(const Json& spec, const Path& p) {
  ErrorList out;
  const Json& ports = Arr(spec, "ports");
  std::set<std::string> names, keys;
  std::string type = GetString(spec, "type");
  for (size_t i = 0; i < ports.size(); ++i) {
    const Json& port = ports[i];
    Path ip = p.Index(i);
    std::string name = GetString(port, "name");
    if (ports.size() > 1 && name.empty()) out.push_back(Required(ip.Child("name")));
    if (!name.empty()) {
      Append(out, InvalidEach(ip.Child("name"), name, IsDNS1123Label(name)));
      if (!names.insert(name).second) out.push_back(Duplicate(ip.Child("name"), name));
    }
    int64_t num = GetInt(port, "port");
    Append(out, InvalidEach(ip.Child("port"), num, IsValidPortNum(num)));
    Append(out, Enum(port, "protocol", ip.Child("protocol"), {"SCTP", "TCP", "UDP"}, true));
    if (Has(port, "targetPort")) Append(out, PortNumOrName(port["targetPort"], ip.Child("targetPort")));
    int64_t node_port = GetInt(port, "nodePort");
    if (node_port != 0) {
      if (type != "NodePort" && type != "LoadBalancer")
        out.push_back(Forbidden(ip.Child("nodePort"), "may not be used when `type` is '" + type + "'"));
      else
        Append(out, InvalidEach(ip.Child("nodePort"), node_port, IsValidPortNum(node_port)));
    }
    std::string key = std::to_string(num) + "/" + GetString(port, "protocol");
    if (num != 0 && !keys.insert(key).second)
      out.push_back(Duplicate(ip, Json{{"port", num}, {"protocol", GetString(port, "protocol")}}));
  }
  return out;
}

ErrorList Service(const Json& svc, const Json* old) {
  ErrorList out;
  const Json& spec = Obj(svc, "spec");
  Path sp("spec");
  std::string type = GetString(spec, "type");
  Append(out, Enum(spec, "type", sp.Child("type"), {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}, true));
  std::string cluster_ip = GetString(spec, "clusterIP");
  bool headless = cluster_ip == "None";
  if (Arr(spec, "ports").empty() && !headless && type != "ExternalName")
    out.push_back(Required(sp.Child("ports")));
  Append(out, ServicePorts(spec, sp.Child("ports")));
  Append(out, Enum(spec, "sessionAffinity", sp.Child("sessionAffinity"), {"ClientIP", "None"}, true));
  if (type == "ExternalName") {
    std::string en = GetString(spec, "externalName");
    if (en.empty()) out.push_back(Required(sp.Child("externalName")));
    else Append(out, InvalidEach(sp.Child("externalName"), en, IsDNS1123Subdomain(en)));
    if (!cluster_ip.empty())
      out.push_back(Forbidden(sp.Child("clusterIP"), "may not be set for ExternalName services"));
  } else if (!cluster_ip.empty() && !headless) {
    Append(out, InvalidEach(sp.Child("clusterIPs").Index(0), cluster_ip, IsValidIP(cluster_ip)));
  }
  if (headless && type == "NodePort")
    out.push_back(Invalid(sp.Child("clusterIPs").Index(0), "None", "may not be set to 'None' for NodePort services"));
  if (headless && type == "LoadBalancer")
    out.push_back(Invalid(sp.Child("clusterIPs").Index(0), "None", "may not be set to 'None' for LoadBalancer services"));
  std::string etp = GetString(spec, "externalTrafficPolicy");
  if (!etp.empty()) {
    if (type != "NodePort" && type != "LoadBalancer")
      out.push_back(Invalid(sp.Child("externalTrafficPolicy"), etp,
                            "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
    else
      Append(out, Enum(spec, "externalTrafficPolicy", sp.Child("externalTrafficPolicy"), {"Cluster", "Local"}, false));
  }
  Append(out, Enum(spec, "internalTrafficPolicy", sp.Child("internalTrafficPolicy"), {"Cluster", "Local"}, false));
  Append(out, ValidateLabels(Get(spec, "selector"), sp.Child("selector")));
  const Json& ext = Arr(spec, "externalIPs");
  for (size_t i = 0; i < ext.size(); ++i) {
    std::string ip = ext[i].is_string() ? ext[i].get<std::string>() : "";
    Append(out, InvalidEach(sp.Child("externalIPs").Index(i), ip, IsValidIP(ip)));
  }
  const Json& timeout = GetPath(spec, {"sessionAffinityConfig", "clientIP", "timeoutSeconds"});
  if (timeout.is_number() && (timeout.get<int64_t>() <= 0 || timeout.get<int64_t>() > 86400))
    out.push_back(Invalid(sp.Child("sessionAffinityConfig").Child("clientIP").Child("timeoutSeconds"),
                          timeout, "must be greater than 0 and less than 86400"));
  if (old) {
    std::string old_ip = GetPath(*old, {"spec", "clusterIP"}).is_string()
                             ? GetPath(*old, {"spec", "clusterIP"}).get<std::string>() : "";
    if (!old_ip.empty() && GetString(Obj(*old, "spec"), "type") != "ExternalName" &&
        type != "ExternalName" && cluster_ip != old_ip)
      out.push_back(Invalid(sp.Child("clusterIPs").Index(0), Json::array({cluster_ip}),
                            "may not change once set"));
  }
  return out;
}

ErrorList ImmutableData(const Json& obj, const Json* old, std::initializer_list<const char*> fields) {
  ErrorList out;
  if (!old || !GetBool(*old, "immutable")) return out;
  if (!GetBool(obj, "immutable"))
    out.push_back(Forbidden(Path("immutable"), "field is immutable when `immutable` is set"));
  for (const char* f : fields)
    if (Get(obj, f) != Get(*old, f))
      out.push_back(Forbidden(Path(f), "field is immutable when `immutable` is set"));
  return out;
}

ErrorList ConfigMap(const Json& cm, const Json* old) {
  ErrorList out;
  const Json& data = Obj(cm, "data");
  const Json& binary = Obj(cm, "binaryData");
  size_t total = 0;
  for (auto it = data.begin(); it != data.end(); ++it) {
    Append(out, InvalidEach(Path("data").Key(it.key()), it.key(), IsConfigMapKey(it.key())));
    if (binary.contains(it.key()))
      out.push_back(Invalid(Path("data").Key(it.key()), it.key(), "duplicate of key present in binaryData"));
    if (it.value().is_string()) total += it.value().get<std::string>().size();
  }
  for (auto it = binary.begin(); it != binary.end(); ++it) {
    Append(out, InvalidEach(Path("binaryData").Key(it.key()), it.key(), IsConfigMapKey(it.key())));
    if (it.value().is_string()) total += it.value().get<std::string>().size() * 3 / 4;
  }
  if (total > 1024 * 1024) out.push_back(TooLong(Path(""), "", 1024 * 1024));
  Append(out, ImmutableData(cm, old, {"data", "binaryData"}));
  return out;
}

ErrorList Secret(const Json& s, const Json* old) {
  ErrorList out;
  const Json& data = Obj(s, "data");
  size_t total = 0;
  for (auto it = data.begin(); it != data.end(); ++it) {
    Append(out, InvalidEach(Path("data").Key(it.key()), it.key(), IsConfigMapKey(it.key())));
    if (it.value().is_string()) total += it.value().get<std::string>().size() * 3 / 4;
  }
  if (total > 1024 * 1024) out.push_back(TooLong(Path("data"), "", 1024 * 1024));
  std::string type = GetString(s, "type");
  auto need = [&](const char* key) {
    if (!data.contains(key)) out.push_back(Required(Path("data").Key(key)));
  };
  if (type == "kubernetes.io/service-account-token") {
    if (GetString(GetPath(s, {"metadata", "annotations"}), "kubernetes.io/service-account.name").empty())
      out.push_back(Required(Path("metadata").Child("annotations").Key("kubernetes.io/service-account.name")));
  } else if (type == "kubernetes.io/dockercfg") {
    need(".dockercfg");
  } else if (type == "kubernetes.io/dockerconfigjson") {
    need(".dockerconfigjson");
  } else if (type == "kubernetes.io/basic-auth") {
    if (!data.contains("username") && !data.contains("password")) {
      out.push_back(Required(Path("data").Key("username")));
      out.push_back(Required(Path("data").Key("password")));
    }
  } else if (type == "kubernetes.io/ssh-auth") {
    need("ssh-privatekey");
  } else if (type == "kubernetes.io/tls") {
    need("tls.crt");
    need("tls.key");
  }
  if (old) {
    Append(out, ValidateImmutable(s.contains("type") ? s["type"] : Json(""),
                                  old->contains("type") ? (*old)["type"] : Json(""), Path("type")));
    Append(out, ImmutableData(s, old, {"data"}));
  }
  return out;
}

ErrorList Taints(const Json& taints, const Path& p) {
  ErrorList out;
  std::set<std::string> seen;
  for (size_t i = 0; i < taints.size(); ++i) {
    const Json& t = taints[i];
    Path ip = p.Index(i);
    std::string key = GetString(t, "key");
    Append(out, InvalidEach(ip.Child("key"), key, IsQualifiedName(key)));
    std::string value = GetString(t, "value");
    Append(out, InvalidEach(ip.Child("value"), value, IsValidLabelValue(value)));
    Append(out, Enum(t, "effect", ip.Child("effect"), {"NoExecute", "NoSchedule", "PreferNoSchedule"}, true));
    if (!seen.insert(key + "\n" + GetString(t, "effect")).second)
      out.push_back(Duplicate(ip, "taints must be unique by key and effect pair"));
  }
  return out;
}

ErrorList Node(const Json& node, const Json* old) {
  ErrorList out;
  const Json& spec = Obj(node, "spec");
  Append(out, Taints(Arr(spec, "taints"), Path("spec").Child("taints")));
  if (old) {
    const Json& old_spec = Obj(*old, "spec");
    for (const char* f : {"podCIDR", "providerID"}) {
      std::string before = GetString(old_spec, f), after = GetString(spec, f);
      if (!before.empty() && before != after)
        out.push_back(Forbidden(Path("spec").Child(std::string(f) == "podCIDR" ? "podCIDRs" : f),
                                std::string("node updates may not change ") + f +
                                    " except from \"\" to valid"));
    }
  }
  return out;
}

ErrorList Endpoints(const Json& ep) {
  ErrorList out;
  const Json& subsets = Arr(ep, "subsets");
  for (size_t i = 0; i < subsets.size(); ++i) {
    Path sp = Path("subsets").Index(i);
    for (const char* list : {"addresses", "notReadyAddresses"}) {
      const Json& addrs = Arr(subsets[i], list);
      for (size_t j = 0; j < addrs.size(); ++j) {
        std::string ip = GetString(addrs[j], "ip");
        Append(out, InvalidEach(sp.Child(list).Index(j).Child("ip"), ip, IsValidIP(ip)));
      }
    }
    const Json& ports = Arr(subsets[i], "ports");
    for (size_t j = 0; j < ports.size(); ++j) {
      Path pp = sp.Child("ports").Index(j);
      std::string name = GetString(ports[j], "name");
      if (ports.size() > 1 && name.empty()) out.push_back(Required(pp.Child("name")));
      int64_t port = GetInt(ports[j], "port");
      Append(out, InvalidEach(pp.Child("port"), port, IsValidPortNum(port)));
      Append(out, Enum(ports[j], "protocol", pp.Child("protocol"), {"SCTP", "TCP", "UDP"}, true));
    }
  }
  return out;
}

ErrorList ResourceList(const Json& list, const Path& p) {
  ErrorList out;
  if (!list.is_object()) return out;
  for (auto it = list.begin(); it != list.end(); ++it) {
    auto q = Quantity::FromJson(it.value());
    if (!q.ok()) out.push_back(Invalid(p.Key(it.key()), it.value(), q.status().message()));
    else if (q->Sign() < 0)
      out.push_back(Invalid(p.Key(it.key()), q->String(), "must be greater than or equal to 0"));
  }
  return out;
}

ErrorList AccessModes(const Json& spec, const Path& p, bool pvc) {
  ErrorList out;
  const Json& modes = Arr(spec, "accessModes");
  if (modes.empty())
    out.push_back(Required(p, pvc ? "at least 1 access mode is required" : ""));
  for (const Json& m : modes) {
    std::string s = m.is_string() ? m.get<std::string>() : "";
    static const std::vector<std::string> kModes = {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce",
                                                    "ReadWriteOncePod"};
    if (std::find(kModes.begin(), kModes.end(), s) == kModes.end())
      out.push_back(NotSupported(p, s, kModes));
  }
  return out;
}

ErrorList ReplicationController(const Json& rc) {
  ErrorList out;
  const Json& spec = Obj(rc, "spec");
  Path sp("spec");
  Append(out, Nonnegative(spec, "replicas", sp.Child("replicas")));
  Append(out, Nonnegative(spec, "minReadySeconds", sp.Child("minReadySeconds")));
  const Json& selector = Obj(spec, "selector");
  if (selector.empty()) out.push_back(Required(sp.Child("selector")));
  Append(out, ValidateLabels(selector, sp.Child("selector")));
  const Json& tmpl = Get(spec, "template");
  if (!tmpl.is_object()) {
    out.push_back(Required(sp.Child("template")));
    return out;
  }
  const Json& labels = GetPath(tmpl, {"metadata", "labels"});
  if (!selector.empty() && !LabelSelector::FromMap(LabelsFromJson(selector)).Matches(labels))
    out.push_back(Invalid(sp.Child("template").Child("metadata").Child("labels"), labels,
                          "`selector` does not match template `labels`"));
  Append(out, PodTemplateSpec(tmpl, sp.Child("template")));
  Append(out, Enum(Obj(tmpl, "spec"), "restartPolicy",
                   sp.Child("template").Child("spec").Child("restartPolicy"), {"Always"}, true));
  const Json& ads = GetPath(tmpl, {"spec", "activeDeadlineSeconds"});
  if (!ads.is_null())
    out.push_back(Invalid(sp.Child("template").Child("spec").Child("activeDeadlineSeconds"), ads,
                          "activeDeadlineSeconds in ReplicationController is not Supported"));
  return out;
}

}  // namespace

ErrorList Core(const ResourceInfo& ri, const Json& obj, const Json* old) {
  ErrorList out;
  const std::string& k = ri.kind;
  if (k == "Pod") {
    Append(out, PodSpec(Get(obj, "spec"), Path("spec"), true));
    if (old) Append(out, PodUpdate(obj, *old));
  } else if (k == "Service") {
    Append(out, Service(obj, old));
  } else if (k == "ConfigMap") {
    Append(out, ConfigMap(obj, old));
  } else if (k == "Secret") {
    Append(out, Secret(obj, old));
  } else if (k == "Namespace") {
    const Json& fins = Arr(Obj(obj, "spec"), "finalizers");
    for (size_t i = 0; i < fins.size(); ++i) {
      std::string f = fins[i].is_string() ? fins[i].get<std::string>() : "";
      Append(out, InvalidEach(Path("spec").Child("finalizers"), f, IsQualifiedName(f)));
    }
  } else if (k == "Node") {
    Append(out, Node(obj, old));
  } else if (k == "Endpoints") {
    Append(out, Endpoints(obj));
  } else if (k == "PodTemplate") {
    Append(out, PodTemplateSpec(Get(obj, "template"), Path("template")));
  } else if (k == "ReplicationController") {
    Append(out, ReplicationController(obj));
  } else if (k == "ResourceQuota") {
    Append(out, ResourceList(GetPath(obj, {"spec", "hard"}), Path("spec").Child("hard")));
    const Json& scopes = Arr(Obj(obj, "spec"), "scopes");
    for (const Json& s : scopes) {
      static const std::vector<std::string> kScopes = {
          "BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating",
          "PriorityClass", "Terminating"};
      std::string v = s.is_string() ? s.get<std::string>() : "";
      if (std::find(kScopes.begin(), kScopes.end(), v) == kScopes.end())
        out.push_back(NotSupported(Path("spec").Child("scopes"), v, kScopes));
    }
  } else if (k == "LimitRange") {
    const Json& limits = Arr(Obj(obj, "spec"), "limits");
    for (size_t i = 0; i < limits.size(); ++i) {
      Path ip = Path("spec").Child("limits").Index(i);
      Append(out, Enum(limits[i], "type", ip.Child("type"), {"Container", "PersistentVolumeClaim", "Pod"}, true));
      for (const char* f : {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"})
        Append(out, ResourceList(Get(limits[i], f), ip.Child(f)));
      const Json& min = Obj(limits[i], "min");
      const Json& max = Obj(limits[i], "max");
      for (auto it = min.begin(); it != min.end(); ++it) {
        if (!max.contains(it.key())) continue;
        auto a = Quantity::FromJson(it.value());
        auto b = Quantity::FromJson(max[it.key()]);
        if (a.ok() && b.ok() && *a > *b)
          out.push_back(Invalid(ip.Child("min").Key(it.key()), a->String(),
                                "min value " + a->String() + " is greater than max value " + b->String()));
      }
    }
  } else if (k == "PersistentVolume") {
    const Json& spec = Obj(obj, "spec");
    Path sp("spec");
    Append(out, AccessModes(spec, sp.Child("accessModes"), false));
    const Json& cap = Obj(spec, "capacity");
    if (cap.empty()) out.push_back(Required(sp.Child("capacity")));
    else if (!cap.contains("storage"))
      out.push_back(NotSupported(sp.Child("capacity"), cap.begin().key(), {"storage"}));
    Append(out, ResourceList(cap, sp.Child("capacity")));
    Append(out, Enum(spec, "persistentVolumeReclaimPolicy", sp.Child("persistentVolumeReclaimPolicy"),
                     {"Delete", "Recycle", "Retain"}, false));
    static const char* kSources[] = {"hostPath", "nfs", "csi", "local", "iscsi", "fc", "rbd",
                                     "cephfs", "cinder", "gcePersistentDisk", "awsElasticBlockStore",
                                     "azureDisk", "azureFile", "glusterfs", "flexVolume",
                                     "vsphereVolume", "quobyte", "photonPersistentDisk",
                                     "portworxVolume", "scaleIO", "storageos", "flocker"};
    int n = 0;
    for (const char* s : kSources)
      if (Has(spec, s) && !spec[s].is_null()) ++n;
    if (n == 0) out.push_back(Required(sp, "must specify a volume type"));
    if (old && !GetPath(*old, {"spec", "persistentVolumeReclaimPolicy"}).is_null()) {
      // Only the reclaim policy, capacity, claimRef and mount options change after creation.
      Json a = spec, b = Obj(*old, "spec");
      for (const char* f : {"persistentVolumeReclaimPolicy", "capacity", "claimRef", "mountOptions",
                            "storageClassName", "nodeAffinity", "volumeAttributesClassName"}) {
        a.erase(f);
        b.erase(f);
      }
      if (a != b)
        out.push_back(Forbidden(sp.Child("persistentvolumesource"), "spec.persistentvolumesource is immutable after creation"));
    }
  } else if (k == "PersistentVolumeClaim") {
    const Json& spec = Obj(obj, "spec");
    Path sp("spec");
    Append(out, AccessModes(spec, sp.Child("accessModes"), true));
    const Json& req = GetPath(spec, {"resources", "requests"});
    if (!req.is_object() || !req.contains("storage"))
      out.push_back(Required(sp.Child("resources").Key("storage")));
    Append(out, ResourceList(req, sp.Child("resources").Child("requests")));
    Append(out, ValidateLabelSelector(Get(spec, "selector"), sp.Child("selector")));
    if (old) {
      Json a = spec, b = Obj(*old, "spec");
      if (a.contains("resources")) a["resources"].erase("requests");
      if (b.contains("resources")) b["resources"].erase("requests");
      if (GetString(b, "volumeName").empty()) {
        a.erase("volumeName");
        b.erase("volumeName");
      }
      if (a != b)
        out.push_back(Forbidden(sp, "spec is immutable after creation except resources.requests for bound claims"));
    }
  } else if (k == "Event") {
    Append(out, Event(obj, old, false));
  } else if (k == "Binding") {
    std::string kind = GetString(Obj(obj, "target"), "kind");
    if (!kind.empty() && kind != "Node")
      out.push_back(NotSupported(Path("target").Child("kind"), kind, {"Node", "<empty>"}));
    if (GetString(Obj(obj, "target"), "name").empty())
      out.push_back(Required(Path("target").Child("name")));
  }
  return out;
}

ErrorList CoreStatus(const ResourceInfo& ri, const Json& obj, const Json& old) {
  ErrorList out;
  const std::string& k = ri.kind;
  if (k == "Pod") {
    const Json& status = Obj(obj, "status");
    const Json& old_node = GetPath(old, {"spec", "nodeName"});
    if (!GetString(status, "nominatedNodeName").empty())
      Append(out, InvalidEach(Path("status").Child("nominatedNodeName"), status["nominatedNodeName"],
                              IsDNS1123Subdomain(GetString(status, "nominatedNodeName"))));
    (void)old_node;
    const Json& ips = Arr(status, "podIPs");
    for (size_t i = 0; i < ips.size(); ++i) {
      std::string ip = GetString(ips[i], "ip");
      Append(out, InvalidEach(Path("status").Child("podIPs").Index(i).Child("ip"), ip, IsValidIP(ip)));
    }
    Append(out, Enum(status, "phase", Path("status").Child("phase"),
                     {"Failed", "Pending", "Running", "Succeeded", "Unknown"}, false));
  } else if (k == "Deployment" || k == "ReplicaSet" || k == "StatefulSet" ||
             k == "ReplicationController") {
    const Json& status = Obj(obj, "status");
    for (const char* f : {"replicas", "readyReplicas", "availableReplicas", "updatedReplicas",
                          "fullyLabeledReplicas", "observedGeneration", "currentReplicas"})
      Append(out, Nonnegative(status, f, Path("status").Child(f)));
  }
  return out;
}

}  // namespace common::api::validation
