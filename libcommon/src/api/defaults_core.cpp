// core/v1 defaults (k8s.io/kubernetes pkg/apis/core/v1/defaults.go).
#include "defaults_util.h"

namespace common::api::defaults {
namespace {

// The tag kubelet's image parser sees: "latest" when there is neither a tag
// nor a digest, "" with only a digest.
std::string ImageTag(std::string_view image) {
  if (image.empty()) return "";
  size_t at = image.find('@');
  std::string_view name = at == std::string_view::npos ? image : image.substr(0, at);
  size_t slash = name.rfind('/');
  size_t colon = name.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash))
    return std::string(name.substr(colon + 1));
  return at == std::string_view::npos ? "latest" : "";
}

void Probe(Json& probe) {
  if (!probe.is_object()) return;
  Int(probe, "timeoutSeconds", 1);
  Int(probe, "periodSeconds", 10);
  Int(probe, "successThreshold", 1);
  Int(probe, "failureThreshold", 3);
}

void Handler(Json& h) {
  if (!h.is_object()) return;
  // Only an httpGet the client sent is defaulted: Child() would create a
  // missing one, giving a tcpSocket/exec/grpc handler a second handler type.
  if (!h.contains("httpGet") || !h["httpGet"].is_object()) return;
  Json& get = h["httpGet"];
  String(get, "path", "/");
  String(get, "scheme", "HTTP");
}

void ProbeOrHandler(Json& c, std::string_view key, bool is_probe) {
  if (!c.is_object() || !c.contains(key) || !c[std::string(key)].is_object()) return;
  Json& p = c[std::string(key)];
  if (is_probe) Probe(p);
  Handler(p);
  if (p.contains("grpc") && p["grpc"].is_object()) Ptr(p["grpc"], "service", "");
}

void Container(Json& c, bool host_network) {
  if (!c.is_object()) return;
  String(c, "terminationMessagePath", "/dev/termination-log");
  String(c, "terminationMessagePolicy", "File");
  if (GetString(c, "imagePullPolicy").empty())
    c["imagePullPolicy"] = ImageTag(GetString(c, "image")) == "latest" ? "Always" : "IfNotPresent";
  if (Json* ports = ChildArray(c, "ports")) {
    for (Json& p : *ports) {
      if (!p.is_object()) continue;
      String(p, "protocol", "TCP");
      if (host_network && GetInt(p, "hostPort") == 0 && p.contains("containerPort"))
        p["hostPort"] = p["containerPort"];
    }
  }
  if (Json* env = ChildArray(c, "env")) {
    for (Json& e : *env) {
      if (!e.is_object() || !e.contains("valueFrom") || !e["valueFrom"].is_object()) continue;
      Json& vf = e["valueFrom"];
      if (vf.contains("fieldRef") && vf["fieldRef"].is_object())
        String(vf["fieldRef"], "apiVersion", "v1");
    }
  }
  ProbeOrHandler(c, "livenessProbe", true);
  ProbeOrHandler(c, "readinessProbe", true);
  ProbeOrHandler(c, "startupProbe", true);
  if (c.contains("lifecycle") && c["lifecycle"].is_object()) {
    ProbeOrHandler(c["lifecycle"], "postStart", false);
    ProbeOrHandler(c["lifecycle"], "preStop", false);
  }
  // SetDefaults_Pod: requests default to limits for resources with a limit only.
  if (c.contains("resources") && c["resources"].is_object()) {
    Json& r = c["resources"];
    if (r.contains("limits") && r["limits"].is_object() && !r["limits"].empty()) {
      Json* req = Child(r, "requests");
      if (req)
        for (auto it = r["limits"].begin(); it != r["limits"].end(); ++it)
          if (!req->contains(it.key())) (*req)[it.key()] = it.value();
    }
  }
}

void Volume(Json& v) {
  if (!v.is_object()) return;
  static const char* kSources[] = {
      "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
      "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder",
      "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume",
      "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
      "storageos", "csi", "ephemeral", "image"};
  bool any = false;
  for (const char* s : kSources)
    if (v.contains(s) && !v[s].is_null()) any = true;
  if (!any) v["emptyDir"] = Json::object();
  for (const char* s : {"secret", "configMap", "downwardAPI", "projected"})
    if (v.contains(s) && v[s].is_object()) Ptr(v[s], "defaultMode", 420);
  if (v.contains("hostPath") && v["hostPath"].is_object()) Ptr(v["hostPath"], "type", "");
  if (v.contains("iscsi") && v["iscsi"].is_object()) String(v["iscsi"], "iscsiInterface", "default");
  if (v.contains("rbd") && v["rbd"].is_object()) {
    String(v["rbd"], "pool", "rbd");
    String(v["rbd"], "user", "admin");
    String(v["rbd"], "keyring", "/etc/ceph/keyring");
  }
  if (v.contains("azureDisk") && v["azureDisk"].is_object()) {
    Ptr(v["azureDisk"], "cachingMode", "ReadWrite");
    Ptr(v["azureDisk"], "fsType", "ext4");
    Ptr(v["azureDisk"], "readOnly", false);
    Ptr(v["azureDisk"], "kind", "Shared");
  }
  if (v.contains("ephemeral") && v["ephemeral"].is_object() &&
      v["ephemeral"].contains("volumeClaimTemplate") &&
      v["ephemeral"]["volumeClaimTemplate"].is_object()) {
    Json& t = v["ephemeral"]["volumeClaimTemplate"];
    if (t.contains("spec") && t["spec"].is_object()) String(t["spec"], "volumeMode", "Filesystem");
  }
}

void Service(Json& svc) {
  Json* spec = Child(svc, "spec");
  if (!spec) return;
  String(*spec, "sessionAffinity", "None");
  String(*spec, "type", "ClusterIP");
  std::string type = GetString(*spec, "type");
  if (Json* ports = ChildArray(*spec, "ports")) {
    for (Json& p : *ports) {
      if (!p.is_object()) continue;
      String(p, "protocol", "TCP");
      const Json& tp = Get(p, "targetPort");
      if (tp.is_null() || (tp.is_number() && tp.get<int64_t>() == 0) ||
          (tp.is_string() && tp.get<std::string>().empty()))
        if (p.contains("port")) p["targetPort"] = p["port"];
    }
  }
  if (type == "NodePort" || type == "LoadBalancer") String(*spec, "externalTrafficPolicy", "Cluster");
  if (type != "ExternalName") Ptr(*spec, "internalTrafficPolicy", "Cluster");
  if (type == "LoadBalancer") Ptr(*spec, "allocateLoadBalancerNodePorts", true);
  if (GetString(*spec, "sessionAffinity") == "ClientIP") {
    Json* cfg = Child(*spec, "sessionAffinityConfig");
    if (cfg) {
      Json* cip = Child(*cfg, "clientIP");
      if (cip) Ptr(*cip, "timeoutSeconds", 10800);
    }
  }
}

}  // namespace

Json* Child(Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  std::string k(key);
  if (!obj.contains(k) || obj[k].is_null()) obj[k] = Json::object();
  return obj[k].is_object() ? &obj[k] : nullptr;
}

Json* ChildArray(Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(std::string(key));
  if (it == obj.end() || !it->is_array()) return nullptr;
  return &*it;
}

void String(Json& obj, std::string_view key, std::string_view value) {
  if (!obj.is_object()) return;
  std::string k(key);
  auto it = obj.find(k);
  if (it == obj.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty()))
    obj[k] = std::string(value);
}

void Ptr(Json& obj, std::string_view key, const Json& value) {
  if (!obj.is_object()) return;
  std::string k(key);
  auto it = obj.find(k);
  if (it == obj.end() || it->is_null()) obj[k] = value;
}

void Int(Json& obj, std::string_view key, int64_t value) {
  if (!obj.is_object()) return;
  std::string k(key);
  auto it = obj.find(k);
  if (it == obj.end() || it->is_null() || (it->is_number() && it->get<double>() == 0)) obj[k] = value;
}

void PodSpec(Json& spec) {
  if (!spec.is_object()) return;
  String(spec, "dnsPolicy", "ClusterFirst");
  String(spec, "restartPolicy", "Always");
  Ptr(spec, "terminationGracePeriodSeconds", 30);
  Child(spec, "securityContext");
  String(spec, "schedulerName", "default-scheduler");
  Ptr(spec, "enableServiceLinks", true);
  bool host_network = GetBool(spec, "hostNetwork");
  for (const char* list : {"containers", "initContainers", "ephemeralContainers"})
    if (Json* cs = ChildArray(spec, list))
      for (Json& c : *cs) Container(c, host_network);
  if (Json* vols = ChildArray(spec, "volumes"))
    for (Json& v : *vols) Volume(v);
}

void PodTemplateSpec(Json& t) {
  if (!t.is_object()) return;
  if (Json* spec = Child(t, "spec")) PodSpec(*spec);
}

void PersistentVolumeClaimSpec(Json& pvc) {
  if (!pvc.is_object()) return;
  if (Json* spec = Child(pvc, "spec")) String(*spec, "volumeMode", "Filesystem");
  if (Json* status = Child(pvc, "status")) String(*status, "phase", "Pending");
}

void Core(const ResourceInfo& ri, Json& obj) {
  const std::string& k = ri.kind;
  if (k == "Pod") {
    if (Json* spec = Child(obj, "spec")) PodSpec(*spec);
  } else if (k == "PodTemplate") {
    if (Json* t = Child(obj, "template")) PodTemplateSpec(*t);
  } else if (k == "ReplicationController") {
    Json* spec = Child(obj, "spec");
    if (!spec) return;
    const Json& tlabels = GetPath(*spec, {"template", "metadata", "labels"});
    if (tlabels.is_object() && !tlabels.empty()) {
      if (!spec->contains("selector") || !(*spec)["selector"].is_object() ||
          (*spec)["selector"].empty())
        (*spec)["selector"] = tlabels;
      Json* meta = Child(obj, "metadata");
      if (meta && (!meta->contains("labels") || !(*meta)["labels"].is_object() ||
                   (*meta)["labels"].empty()))
        (*meta)["labels"] = tlabels;
    }
    Ptr(*spec, "replicas", 1);
    if (spec->contains("template") && (*spec)["template"].is_object())
      PodTemplateSpec((*spec)["template"]);
  } else if (k == "Service") {
    Service(obj);
  } else if (k == "Namespace") {
    Json* meta = Child(obj, "metadata");
    std::string name = meta ? GetString(*meta, "name") : "";
    if (meta && !name.empty()) {
      Json* labels = Child(*meta, "labels");
      if (labels) (*labels)["kubernetes.io/metadata.name"] = name;
    }
    if (Json* status = Child(obj, "status")) String(*status, "phase", "Active");
  } else if (k == "Node") {
    Json* status = Child(obj, "status");
    if (status && (!status->contains("allocatable") || (*status)["allocatable"].is_null()) &&
        status->contains("capacity") && (*status)["capacity"].is_object())
      (*status)["allocatable"] = (*status)["capacity"];
  } else if (k == "Secret") {
    String(obj, "type", "Opaque");
  } else if (k == "Endpoints") {
    if (Json* subsets = ChildArray(obj, "subsets"))
      for (Json& s : *subsets)
        if (Json* ports = ChildArray(s, "ports"))
          for (Json& p : *ports) String(p, "protocol", "TCP");
  } else if (k == "PersistentVolume") {
    if (Json* spec = Child(obj, "spec")) {
      String(*spec, "persistentVolumeReclaimPolicy", "Retain");
      Ptr(*spec, "volumeMode", "Filesystem");
    }
    if (Json* status = Child(obj, "status")) String(*status, "phase", "Pending");
  } else if (k == "PersistentVolumeClaim") {
    PersistentVolumeClaimSpec(obj);
  } else if (k == "LimitRange") {
    // SetDefaults_LimitRangeItem: for Container limits, default and
    // defaultRequest fall back to max (then default) per resource.
    Json* spec = Child(obj, "spec");
    Json* limits = spec ? ChildArray(*spec, "limits") : nullptr;
    if (!limits) return;
    for (Json& item : *limits) {
      if (!item.is_object() || GetString(item, "type") != "Container") continue;
      const Json& max = Get(item, "max");
      if (max.is_object() && !max.empty()) {
        Json* def = Child(item, "default");
        if (def)
          for (auto it = max.begin(); it != max.end(); ++it)
            if (!def->contains(it.key())) (*def)[it.key()] = it.value();
      }
      const Json& def = Get(item, "default");
      if (def.is_object() && !def.empty()) {
        Json* req = Child(item, "defaultRequest");
        if (req)
          for (auto it = def.begin(); it != def.end(); ++it)
            if (!req->contains(it.key())) (*req)[it.key()] = it.value();
      }
      const Json& min = Get(item, "min");
      if (min.is_object() && !min.empty()) {
        Json* req = Child(item, "defaultRequest");
        if (req)
          for (auto it = min.begin(); it != min.end(); ++it)
            if (!req->contains(it.key())) (*req)[it.key()] = it.value();
      }
    }
  }
}

}  // namespace common::api::defaults
