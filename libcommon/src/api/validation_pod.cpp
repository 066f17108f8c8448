// PodSpec and PodTemplateSpec validation (pkg/apis/core/validation:
// ValidatePodSpec, validateContainers, ValidateVolumes, validateProbe, ...).
#include <algorithm>
#include <set>

#include "common/quantity.h"
#include "common/strings.h"
#include "validation_util.h"

namespace common::api::validation {
namespace {

const std::vector<std::string> kVolumeSources = {
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
    "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs",
    "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte",
    "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos",
    "csi", "ephemeral", "image"};

ErrorList KeyToPaths(const Json& items, const Path& p) {
  ErrorList out;
  for (size_t i = 0; i < items.size(); ++i) {
    const Json& it = items[i];
    Path ip = p.Index(i);
    if (GetString(it, "key").empty()) out.push_back(Required(ip.Child("key")));
    std::string path = GetString(it, "path");
    if (path.empty()) out.push_back(Required(ip.Child("path")));
    else if (path[0] == '/') out.push_back(Invalid(ip.Child("path"), path, "must be a relative path"));
    else if (("/" + path + "/").find("/../") != std::string::npos)
      out.push_back(Invalid(ip.Child("path"), path, "must not contain '..'"));
    const Json& mode = Get(it, "mode");
    if (mode.is_number() && (mode.get<int64_t>() < 0 || mode.get<int64_t>() > 0777))
      out.push_back(Invalid(ip.Child("mode"), mode, "must be a number between 0 and 0777 (octal), both inclusive"));
  }
  return out;
}

ErrorList DefaultMode(const Json& src, const Path& p) {
  const Json& mode = Get(src, "defaultMode");
  if (mode.is_number() && (mode.get<int64_t>() < 0 || mode.get<int64_t>() > 0777))
    return {Invalid(p.Child("defaultMode"), mode,
                    "must be a number between 0 and 0777 (octal), both inclusive")};
  return {};
}

ErrorList VolumeSource(const std::string& type, const Json& src, const Path& p) {
  ErrorList out;
  if (type == "configMap") {
    if (GetString(src, "name").empty()) out.push_back(Required(p.Child("name")));
    Append(out, DefaultMode(src, p));
    Append(out, KeyToPaths(Arr(src, "items"), p.Child("items")));
  } else if (type == "secret") {
    if (GetString(src, "secretName").empty()) out.push_back(Required(p.Child("secretName")));
    Append(out, DefaultMode(src, p));
    Append(out, KeyToPaths(Arr(src, "items"), p.Child("items")));
  } else if (type == "persistentVolumeClaim") {
    if (GetString(src, "claimName").empty()) out.push_back(Required(p.Child("claimName")));
  } else if (type == "hostPath") {
    std::string path = GetString(src, "path");
    if (path.empty()) out.push_back(Required(p.Child("path")));
    Append(out, Enum(src, "type", p.Child("type"),
                     {"", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File",
                      "FileOrCreate", "Socket"},
                     false));
  } else if (type == "emptyDir") {
    Append(out, Enum(src, "medium", p.Child("medium"), {"", "Memory", "HugePages"}, false));
    const Json& size = Get(src, "sizeLimit");
    if (!size.is_null()) {
      auto q = Quantity::FromJson(size);
      if (!q.ok()) out.push_back(Invalid(p.Child("sizeLimit"), size, q.status().message()));
      else if (q->Sign() < 0)
        out.push_back(Invalid(p.Child("sizeLimit"), q->String(), "must be greater than or equal to 0"));
    }
  } else if (type == "nfs") {
    if (GetString(src, "server").empty()) out.push_back(Required(p.Child("server")));
    std::string path = GetString(src, "path");
    if (path.empty()) out.push_back(Required(p.Child("path")));
    else if (path[0] != '/') out.push_back(Invalid(p.Child("path"), path, "must be an absolute path"));
  } else if (type == "csi") {
    if (GetString(src, "driver").empty()) out.push_back(Required(p.Child("driver")));
  } else if (type == "projected") {
    Append(out, DefaultMode(src, p));
    const Json& sources = Arr(src, "sources");
    for (size_t i = 0; i < sources.size(); ++i) {
      Path sp = p.Child("sources").Index(i);
      int n = 0;
      for (const char* k : {"secret", "configMap", "downwardAPI", "serviceAccountToken",
                            "clusterTrustBundle"})
        if (Has(sources[i], k)) ++n;
      if (n > 1)
        out.push_back(Forbidden(sp, "may not specify more than 1 volume type per source"));
      const Json& sat = Get(sources[i], "serviceAccountToken");
      if (sat.is_object()) {
        if (GetString(sat, "path").empty())
          out.push_back(Required(sp.Child("serviceAccountToken").Child("path")));
        const Json& exp = Get(sat, "expirationSeconds");
        if (exp.is_number() && exp.get<int64_t>() < 600)
          out.push_back(Invalid(sp.Child("serviceAccountToken").Child("expirationSeconds"), exp,
                                "may not specify a duration less than 10 minutes"));
      }
    }
  }
  return out;
}

ErrorList Volumes(const Json& vols, const Path& p, std::set<std::string>& names) {
  ErrorList out;
  for (size_t i = 0; i < vols.size(); ++i) {
    const Json& v = vols[i];
    Path ip = p.Index(i);
    std::string name = GetString(v, "name");
    if (name.empty()) out.push_back(Required(ip.Child("name")));
    else Append(out, InvalidEach(ip.Child("name"), name, IsDNS1123Label(name)));
    if (!name.empty() && !names.insert(name).second) out.push_back(Duplicate(ip.Child("name"), name));
    std::vector<std::string> types;
    for (const std::string& t : kVolumeSources)
      if (Has(v, t) && !v[t].is_null()) types.push_back(t);
    if (types.empty()) {
      out.push_back(Required(ip, "must specify a volume type"));
      continue;
    }
    for (size_t t = 1; t < types.size(); ++t)
      out.push_back(Forbidden(ip.Child(types[t]), "may not specify more than 1 volume type"));
    Append(out, VolumeSource(types[0], Get(v, types[0]), ip.Child(types[0])));
  }
  return out;
}

ErrorList Handler(const Json& h, const Path& p, bool allow_sleep) {
  ErrorList out;
  std::vector<std::string> kinds;
  for (const char* k : {"exec", "httpGet", "tcpSocket", "grpc", "sleep"})
    if (Has(h, k) && !h[k].is_null()) kinds.push_back(k);
  if (kinds.empty()) {
    out.push_back(Required(p, "must specify a handler type"));
    return out;
  }
  for (size_t i = 1; i < kinds.size(); ++i)
    out.push_back(Forbidden(p.Child(kinds[i]), "may not specify more than 1 handler type"));
  const std::string& k = kinds[0];
  const Json& a = Get(h, k);
  Path ap = p.Child(k);
  if (k == "exec") {
    if (Arr(a, "command").empty()) out.push_back(Required(ap.Child("command")));
  } else if (k == "httpGet") {
    if (GetString(a, "path").empty()) out.push_back(Required(ap.Child("path")));
    Append(out, PortNumOrName(Get(a, "port"), ap.Child("port")));
    Append(out, Enum(a, "scheme", ap.Child("scheme"), {"HTTP", "HTTPS"}, false));
  } else if (k == "tcpSocket") {
    Append(out, PortNumOrName(Get(a, "port"), ap.Child("port")));
  } else if (k == "grpc") {
    const Json& port = Get(a, "port");
    if (port.is_number()) Append(out, InvalidEach(ap.Child("port"), port, IsValidPortNum(port.get<int64_t>())));
    else out.push_back(Required(ap.Child("port")));
  } else if (k == "sleep") {
    if (!allow_sleep) out.push_back(Forbidden(ap, "may not be set"));
    else if (GetInt(a, "seconds") < 0)
      out.push_back(Invalid(ap.Child("seconds"), Get(a, "seconds"), "must be greater than or equal to 0"));
  }
  return out;
}

ErrorList Probe(const Json& probe, const Path& p, bool success_must_be_one) {
  ErrorList out;
  if (!probe.is_object()) return out;
  Append(out, Handler(probe, p, false));
  for (const char* f : {"initialDelaySeconds", "timeoutSeconds", "periodSeconds",
                        "successThreshold", "failureThreshold"})
    Append(out, Nonnegative(probe, f, p.Child(f)));
  const Json& st = Get(probe, "terminationGracePeriodSeconds");
  if (st.is_number() && st.get<int64_t>() <= 0)
    out.push_back(Invalid(p.Child("terminationGracePeriodSeconds"), st, "must be greater than 0"));
  if (success_must_be_one && Get(probe, "successThreshold").is_number() &&
      GetInt(probe, "successThreshold") != 1)
    out.push_back(Invalid(p.Child("successThreshold"), Get(probe, "successThreshold"), "must be 1"));
  return out;
}

ErrorList Env(const Json& env, const Path& p) {
  ErrorList out;
  for (size_t i = 0; i < env.size(); ++i) {
    const Json& e = env[i];
    Path ip = p.Index(i);
    std::string name = GetString(e, "name");
    if (name.empty()) out.push_back(Required(ip.Child("name")));
    else Append(out, InvalidEach(ip.Child("name"), name, IsEnvVarName(name)));
    const Json& vf = Get(e, "valueFrom");
    if (!vf.is_object()) continue;
    Path vp = ip.Child("valueFrom");
    int n = 0;
    for (const char* k : {"fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"})
      if (Has(vf, k) && !vf[k].is_null()) ++n;
    if (!GetString(e, "value").empty() && n > 0)
      out.push_back(Invalid(vp, "", "may not be specified when `value` is not empty"));
    if (n == 0) {
      out.push_back(Invalid(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
    } else if (n > 1) {
      out.push_back(Invalid(vp, "", "may not have more than one field specified at a time"));
    }
    const Json& fr = Get(vf, "fieldRef");
    if (fr.is_object()) {
      std::string fp = GetString(fr, "fieldPath");
      Path fpp = vp.Child("fieldRef").Child("fieldPath");
      static const std::vector<std::string> kPaths = {
          "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace",
          "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP",
          "status.hostIPs", "status.podIP", "status.podIPs"};
      if (fp.empty()) out.push_back(Required(fpp));
      else if (fp.rfind("metadata.annotations[", 0) != 0 && fp.rfind("metadata.labels[", 0) != 0 &&
               std::find(kPaths.begin(), kPaths.end(), fp) == kPaths.end())
        out.push_back(NotSupported(fpp, fp, kPaths));
    }
    for (const char* k : {"configMapKeyRef", "secretKeyRef"}) {
      const Json& ref = Get(vf, k);
      if (!ref.is_object()) continue;
      Path rp = vp.Child(k);
      if (GetString(ref, "name").empty()) out.push_back(Required(rp.Child("name")));
      std::string key = GetString(ref, "key");
      if (key.empty()) out.push_back(Required(rp.Child("key")));
      else Append(out, InvalidEach(rp.Child("key"), key, IsConfigMapKey(key)));
    }
    const Json& rf = Get(vf, "resourceFieldRef");
    if (rf.is_object() && GetString(rf, "resource").empty())
      out.push_back(Required(vp.Child("resourceFieldRef").Child("resource")));
  }
  return out;
}

ErrorList EnvFrom(const Json& from, const Path& p) {
  ErrorList out;
  for (size_t i = 0; i < from.size(); ++i) {
    const Json& e = from[i];
    Path ip = p.Index(i);
    std::string prefix = GetString(e, "prefix");
    if (!prefix.empty()) Append(out, InvalidEach(ip.Child("prefix"), prefix, IsEnvVarName(prefix)));
    int n = 0;
    for (const char* k : {"configMapRef", "secretRef"}) {
      const Json& ref = Get(e, k);
      if (!ref.is_object()) continue;
      ++n;
      std::string name = GetString(ref, "name");
      if (name.empty()) out.push_back(Required(ip.Child(k).Child("name")));
      else Append(out, InvalidEach(ip.Child(k).Child("name"), name, IsDNS1123Subdomain(name)));
    }
    if (n == 0)
      out.push_back(Invalid(ip, "", "must specify one of: `configMapRef` or `secretRef`"));
    else if (n > 1)
      out.push_back(Invalid(ip, "", "may not have more than one field specified at a time"));
  }
  return out;
}

ErrorList Ports(const Json& ports, const Path& p) {
  ErrorList out;
  std::set<std::string> names;
  for (size_t i = 0; i < ports.size(); ++i) {
    const Json& port = ports[i];
    Path ip = p.Index(i);
    std::string name = GetString(port, "name");
    if (!name.empty()) {
      auto msgs = IsValidPortName(name);
      if (!msgs.empty()) Append(out, InvalidEach(ip.Child("name"), name, msgs));
      else if (!names.insert(name).second) out.push_back(Duplicate(ip.Child("name"), name));
    }
    int64_t cp = GetInt(port, "containerPort");
    if (cp == 0) out.push_back(Required(ip.Child("containerPort")));
    else Append(out, InvalidEach(ip.Child("containerPort"), cp, IsValidPortNum(cp)));
    int64_t hp = GetInt(port, "hostPort");
    if (hp != 0) Append(out, InvalidEach(ip.Child("hostPort"), hp, IsValidPortNum(hp)));
    Append(out, Enum(port, "protocol", ip.Child("protocol"), {"SCTP", "TCP", "UDP"}, true));
  }
  return out;
}

ErrorList VolumeMounts(const Json& mounts, const Path& p, const std::set<std::string>& volumes) {
  ErrorList out;
  std::set<std::string> paths;
  for (size_t i = 0; i < mounts.size(); ++i) {
    const Json& m = mounts[i];
    Path ip = p.Index(i);
    std::string name = GetString(m, "name");
    if (name.empty()) out.push_back(Required(ip.Child("name")));
    else if (!volumes.count(name)) out.push_back(NotFound(ip.Child("name"), name));
    std::string mp = GetString(m, "mountPath");
    if (mp.empty()) out.push_back(Required(ip.Child("mountPath")));
    else if (!paths.insert(mp).second) out.push_back(Invalid(ip.Child("mountPath"), mp, "must be unique"));
    std::string sub = GetString(m, "subPath");
    if (!sub.empty()) {
      if (sub[0] == '/') out.push_back(Invalid(ip.Child("subPath"), sub, "must be a relative path"));
      else if (("/" + sub + "/").find("/../") != std::string::npos)
        out.push_back(Invalid(ip.Child("subPath"), sub, "must not contain '..'"));
    }
    if (!sub.empty() && !GetString(m, "subPathExpr").empty())
      out.push_back(Invalid(ip.Child("subPathExpr"), GetString(m, "subPathExpr"),
                            "subPathExpr and subPath are mutually exclusive"));
    Append(out, Enum(m, "mountPropagation", ip.Child("mountPropagation"),
                     {"Bidirectional", "HostToContainer", "None"}, false));
  }
  return out;
}

enum class ContainerKind { kRegular, kInit, kEphemeral };

ErrorList Container(const Json& c, const Path& p, const std::set<std::string>& volumes,
                    ContainerKind kind, bool for_pod) {
  ErrorList out;
  std::string name = GetString(c, "name");
  if (name.empty()) out.push_back(Required(p.Child("name")));
  else Append(out, InvalidEach(p.Child("name"), name, IsDNS1123Label(name)));
  std::string image = GetString(c, "image");
  if (image.empty()) out.push_back(Required(p.Child("image")));
  Append(out, Enum(c, "terminationMessagePolicy", p.Child("terminationMessagePolicy"),
                   {"File", "FallbackToLogsOnError"}, true));
  Append(out, Ports(Arr(c, "ports"), p.Child("ports")));
  Append(out, Env(Arr(c, "env"), p.Child("env")));
  Append(out, EnvFrom(Arr(c, "envFrom"), p.Child("envFrom")));
  Append(out, Enum(c, "imagePullPolicy", p.Child("imagePullPolicy"),
                   {"Always", "IfNotPresent", "Never"}, true));
  if (for_pod && image.size() != TrimSpace(image).size())
    out.push_back(Invalid(p.Child("image"), image, "must not have leading or trailing whitespace"));
  Append(out, VolumeMounts(Arr(c, "volumeMounts"), p.Child("volumeMounts"), volumes));
  Append(out, ResourceRequirements(Obj(c, "resources"), p.Child("resources")));
  bool sidecar = kind == ContainerKind::kInit && GetString(c, "restartPolicy") == "Always";
  if (Has(c, "restartPolicy") && !c["restartPolicy"].is_null()) {
    if (kind != ContainerKind::kInit)
      out.push_back(Forbidden(p.Child("restartPolicy"), "may not be set for non-init containers"));
    else
      Append(out, Enum(c, "restartPolicy", p.Child("restartPolicy"), {"Always"}, true));
  }
  const Json& lifecycle = Get(c, "lifecycle");
  if (lifecycle.is_object()) {
    if (kind == ContainerKind::kInit && !sidecar)
      out.push_back(Forbidden(p.Child("lifecycle"), "may not be set for init containers"));
    for (const char* h : {"postStart", "preStop"})
      if (Get(lifecycle, h).is_object())
        Append(out, Handler(lifecycle[h], p.Child("lifecycle").Child(h), true));
  }
  for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    if (!Get(c, probe).is_object()) continue;
    if (kind == ContainerKind::kInit && !sidecar) {
      out.push_back(Forbidden(p.Child(probe), "may not be set for init containers without restartPolicy=Always"));
      continue;
    }
    if (kind == ContainerKind::kRegular || sidecar)
      Append(out, Probe(c[probe], p.Child(probe), std::string(probe) != "readinessProbe"));
  }
  if (kind == ContainerKind::kEphemeral) {
    for (const char* f : {"ports", "resources", "livenessProbe", "readinessProbe", "startupProbe",
                          "lifecycle"}) {
      const Json& v = Get(c, f);
      if (!v.is_null() && !(v.is_object() && v.empty()) && !(v.is_array() && v.empty()))
        out.push_back(Forbidden(p.Child(f), "cannot be set for an Ephemeral Container"));
    }
  }
  return out;
}

ErrorList Tolerations(const Json& tols, const Path& p) {
  ErrorList out;
  for (size_t i = 0; i < tols.size(); ++i) {
    const Json& t = tols[i];
    Path ip = p.Index(i);
    std::string key = GetString(t, "key");
    if (!key.empty()) Append(out, InvalidEach(ip.Child("key"), key, IsQualifiedName(key)));
    std::string op = GetString(t, "operator");
    if (key.empty() && op != "Exists")
      out.push_back(Invalid(ip.Child("operator"), op,
                            "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
    if (Has(t, "tolerationSeconds") && !t["tolerationSeconds"].is_null() &&
        GetString(t, "effect") != "NoExecute")
      out.push_back(Invalid(ip.Child("effect"), GetString(t, "effect"),
                            "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op.empty() || op == "Equal") {
      std::string value = GetString(t, "value");
      Append(out, InvalidEach(ip.Child("value"), value, IsValidLabelValue(value)));
    } else if (op == "Exists") {
      if (!GetString(t, "value").empty())
        out.push_back(Invalid(ip.Child("operator"), t, "value must be empty when `operator` is 'Exists'"));
    } else {
      out.push_back(NotSupported(ip.Child("operator"), op, {"Equal", "Exists"}));
    }
    Append(out, Enum(t, "effect", ip.Child("effect"), {"NoExecute", "NoSchedule", "PreferNoSchedule"}, false));
  }
  return out;
}

ErrorList TopologySpread(const Json& tscs, const Path& p) {
  ErrorList out;
  std::set<std::string> seen;
  for (size_t i = 0; i < tscs.size(); ++i) {
    const Json& c = tscs[i];
    Path ip = p.Index(i);
    const Json& skew = Get(c, "maxSkew");
    if (!skew.is_number() || skew.get<int64_t>() <= 0)
      out.push_back(Invalid(ip.Child("maxSkew"), skew.is_number() ? skew : Json(0), "must be greater than zero"));
    std::string key = GetString(c, "topologyKey");
    if (key.empty()) out.push_back(Required(ip.Child("topologyKey"), "can not be empty"));
    else Append(out, InvalidEach(ip.Child("topologyKey"), key, IsQualifiedName(key)));
    std::string when = GetString(c, "whenUnsatisfiable");
    Append(out, Enum(c, "whenUnsatisfiable", ip.Child("whenUnsatisfiable"),
                     {"DoNotSchedule", "ScheduleAnyway"}, true));
    if (!key.empty() && !when.empty() && !seen.insert(key + "/" + when).second)
      out.push_back(Duplicate(ip, key + "{" + when + "}"));
    const Json& min = Get(c, "minDomains");
    if (min.is_number()) {
      if (min.get<int64_t>() <= 0) out.push_back(Invalid(ip.Child("minDomains"), min, "must be greater than 0"));
      else if (when != "DoNotSchedule")
        out.push_back(Invalid(ip.Child("minDomains"), min,
                              "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not " + when));
    }
  }
  return out;
}

bool IsStandardResourceName(const std::string& name) {
  static const std::set<std::string> kStandard = {"cpu", "memory", "ephemeral-storage", "storage",
                                                  "pods"};
  return kStandard.count(name) > 0 || name.rfind("hugepages-", 0) == 0 ||
         name.find('/') != std::string::npos;
}

}  // namespace

ErrorList ResourceRequirements(const Json& r, const Path& p) {
  ErrorList out;
  const Json& limits = Obj(r, "limits");
  const Json& requests = Obj(r, "requests");
  for (const Json* m : {&limits, &requests}) {
    Path mp = p.Child(m == &limits ? "limits" : "requests");
    for (auto it = m->begin(); it != m->end(); ++it) {
      Path kp = mp.Key(it.key());
      if (!IsStandardResourceName(it.key()))
        out.push_back(Invalid(kp, it.key(), "must be a standard resource type or fully qualified"));
      auto q = Quantity::FromJson(it.value());
      if (!q.ok()) {
        out.push_back(Invalid(kp, it.value(), q.status().message()));
        continue;
      }
      if (q->Sign() < 0) out.push_back(Invalid(kp, q->String(), "must be greater than or equal to 0"));
    }
  }
  for (auto it = requests.begin(); it != requests.end(); ++it) {
    if (!limits.contains(it.key())) continue;
    auto req = Quantity::FromJson(it.value());
    auto lim = Quantity::FromJson(limits[it.key()]);
    if (req.ok() && lim.ok() && *req > *lim)
      out.push_back(Invalid(p.Child("requests"), req->String(),
                            "must be less than or equal to " + it.key() + " limit of " + lim->String()));
  }
  return out;
}

ErrorList PodSpec(const Json& spec, const Path& p, bool for_pod) {
  ErrorList out;
  if (!spec.is_object()) {
    out.push_back(Required(p.Child("containers")));
    return out;
  }
  std::set<std::string> volumes;
  Append(out, Volumes(Arr(spec, "volumes"), p.Child("volumes"), volumes));
  std::set<std::string> container_names;
  auto check_list = [&](const char* list, ContainerKind kind) {
    const Json& cs = Arr(spec, list);
    for (size_t i = 0; i < cs.size(); ++i) {
      Path ip = p.Child(list).Index(i);
      Append(out, Container(cs[i], ip, volumes, kind, for_pod || kind == ContainerKind::kEphemeral));
      std::string name = GetString(cs[i], "name");
      if (!name.empty() && !container_names.insert(name).second)
        out.push_back(Duplicate(ip.Child("name"), name));
    }
  };
  check_list("initContainers", ContainerKind::kInit);
  if (Arr(spec, "containers").empty()) out.push_back(Required(p.Child("containers")));
  check_list("containers", ContainerKind::kRegular);
  check_list("ephemeralContainers", ContainerKind::kEphemeral);
  Append(out, Enum(spec, "restartPolicy", p.Child("restartPolicy"), {"Always", "OnFailure", "Never"}, true));
  Append(out, Enum(spec, "dnsPolicy", p.Child("dnsPolicy"),
                   {"ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"}, true));
  if (GetString(spec, "dnsPolicy") == "None" && !Get(spec, "dnsConfig").is_object())
    out.push_back(Required(p.Child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"));
  Append(out, ValidateLabels(Get(spec, "nodeSelector"), p.Child("nodeSelector")));
  for (const char* f : {"serviceAccountName", "nodeName", "priorityClassName"})
    Append(out, SubdomainRef(spec, f, p.Child(f), false));
  for (const char* f : {"hostname", "subdomain"}) {
    std::string v = GetString(spec, f);
    if (!v.empty()) Append(out, InvalidEach(p.Child(f), v, IsDNS1123Label(v)));
  }
  const Json& ads = Get(spec, "activeDeadlineSeconds");
  if (ads.is_number() && (ads.get<int64_t>() < 1 || ads.get<int64_t>() > 2147483647))
    out.push_back(Invalid(p.Child("activeDeadlineSeconds"), ads, "must be between 1 and 2147483647, inclusive"));
  Append(out, Tolerations(Arr(spec, "tolerations"), p.Child("tolerations")));
  Append(out, TopologySpread(Arr(spec, "topologySpreadConstraints"), p.Child("topologySpreadConstraints")));
  const Json& secrets = Arr(spec, "imagePullSecrets");
  for (size_t i = 0; i < secrets.size(); ++i)
    if (GetString(secrets[i], "name").empty())
      out.push_back(Required(p.Child("imagePullSecrets").Index(i).Child("name")));
  const Json& aliases = Arr(spec, "hostAliases");
  for (size_t i = 0; i < aliases.size(); ++i) {
    std::string ip = GetString(aliases[i], "ip");
    Append(out, InvalidEach(p.Child("hostAliases").Index(i).Child("ip"), ip, IsValidIP(ip)));
  }
  const Json& gates = Arr(spec, "schedulingGates");
  std::set<std::string> gate_names;
  for (size_t i = 0; i < gates.size(); ++i) {
    std::string g = GetString(gates[i], "name");
    Path gp = p.Child("schedulingGates").Index(i).Child("name");
    Append(out, InvalidEach(gp, g, IsQualifiedName(g)));
    if (!gate_names.insert(g).second) out.push_back(Duplicate(gp, g));
  }
  const Json& sc = Get(spec, "securityContext");
  for (const char* f : {"runAsUser", "runAsGroup", "fsGroup"})
    Append(out, Nonnegative(sc, f, p.Child("securityContext").Child(f)));
  return out;
}

ErrorList PodTemplateSpec(const Json& tmpl, const Path& p) {
  ErrorList out;
  const Json& meta = Get(tmpl, "metadata");
  Append(out, ValidateLabels(Get(meta, "labels"), p.Child("metadata").Child("labels")));
  Append(out, ValidateAnnotations(Get(meta, "annotations"), p.Child("metadata").Child("annotations")));
  Append(out, PodSpec(Get(tmpl, "spec"), p.Child("spec"), false));
  const Json& eph = Arr(Obj(tmpl, "spec"), "ephemeralContainers");
  if (!eph.empty())
    out.push_back(Forbidden(p.Child("spec").Child("ephemeralContainers"),
                            "ephemeral containers not allowed in pod template"));
  return out;
}

}  // namespace common::api::validation
