#include "protobuf.h"

#include <map>
#include <string>
#include <vector>

#include "common/base64.h"
#include "common/timeutil.h"

namespace apiserve {

using common::Json;

namespace {

enum class T {
  kStr,      // string
  kInt,      // varint (int32/int64)
  kBool,     // varint 0/1
  kBytes,    // bytes -> base64
  kMsg,      // nested message `msg`
  kInline,   // nested message whose fields join the parent's JSON object
  kStrMap,   // map<string,string>
  kBytesMap, // map<string,bytes> -> base64 values
  kQtyMap,   // map<string,resource.Quantity>
  kTime,     // metav1.Time {seconds, nanos}
  kQty,      // resource.Quantity {string}
  kIntStr,   // intstr.IntOrString {type, intVal, strVal}
};

struct Field {
  int num;
  const char* json;
  T type;
  const char* msg = nullptr;  // for kMsg / kInline
  bool repeated = false;
  bool keep_zero = false;     // a pointer or required field: 0/""/false are values
};

using Schema = std::vector<Field>;

// Field numbers from k8s.io/api and apimachinery generated.proto (v1.32).
const std::map<std::string, Schema>& Schemas() {
  static const auto* m = new std::map<std::string, Schema>{
      {"ObjectMeta",
       {{1, "name", T::kStr}, {2, "generateName", T::kStr}, {3, "namespace", T::kStr},
        {5, "uid", T::kStr}, {6, "resourceVersion", T::kStr}, {7, "generation", T::kInt},
        {8, "creationTimestamp", T::kTime}, {9, "deletionTimestamp", T::kTime},
        {10, "deletionGracePeriodSeconds", T::kInt, nullptr, false, true},
        {11, "labels", T::kStrMap}, {12, "annotations", T::kStrMap},
        {13, "ownerReferences", T::kMsg, "OwnerReference", true},
        {14, "finalizers", T::kStr, nullptr, true}}},
      {"OwnerReference",
       {{1, "kind", T::kStr}, {3, "name", T::kStr}, {4, "uid", T::kStr},
        {5, "apiVersion", T::kStr}, {6, "controller", T::kBool, nullptr, false, true},
        {7, "blockOwnerDeletion", T::kBool, nullptr, false, true}}},
      {"LabelSelector",
       {{1, "matchLabels", T::kStrMap},
        {2, "matchExpressions", T::kMsg, "LabelSelectorRequirement", true}}},
      {"LabelSelectorRequirement",
       {{1, "key", T::kStr}, {2, "operator", T::kStr}, {3, "values", T::kStr, nullptr, true}}},
      {"ObjectReference",
       {{1, "kind", T::kStr}, {2, "namespace", T::kStr}, {3, "name", T::kStr}, {4, "uid", T::kStr},
        {5, "apiVersion", T::kStr}, {6, "resourceVersion", T::kStr}, {7, "fieldPath", T::kStr}}},
      {"LocalObjectReference", {{1, "name", T::kStr}}},
      // core/v1
      {"ConfigMap",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "data", T::kStrMap},
        {3, "binaryData", T::kBytesMap}, {4, "immutable", T::kBool, nullptr, false, true}}},
      {"Secret",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "data", T::kBytesMap}, {3, "type", T::kStr},
        {4, "stringData", T::kStrMap}, {5, "immutable", T::kBool, nullptr, false, true}}},
      {"Namespace",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "spec", T::kMsg, "NamespaceSpec"},
        {3, "status", T::kMsg, "NamespaceStatus"}}},
      {"NamespaceSpec", {{1, "finalizers", T::kStr, nullptr, true}}},
      {"NamespaceStatus", {{1, "phase", T::kStr}}},
      {"ServiceAccount",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "secrets", T::kMsg, "ObjectReference", true},
        {3, "imagePullSecrets", T::kMsg, "LocalObjectReference", true},
        {4, "automountServiceAccountToken", T::kBool, nullptr, false, true}}},
      {"Service",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "spec", T::kMsg, "ServiceSpec"},
        {3, "status", T::kMsg, "Empty"}}},
      {"ServiceSpec",
       {{1, "ports", T::kMsg, "ServicePort", true}, {2, "selector", T::kStrMap},
        {3, "clusterIP", T::kStr}, {4, "type", T::kStr}, {5, "externalIPs", T::kStr, nullptr, true},
        {7, "sessionAffinity", T::kStr}, {8, "loadBalancerIP", T::kStr},
        {9, "loadBalancerSourceRanges", T::kStr, nullptr, true}, {10, "externalName", T::kStr},
        {11, "externalTrafficPolicy", T::kStr}, {12, "healthCheckNodePort", T::kInt},
        {13, "publishNotReadyAddresses", T::kBool}, {17, "ipFamilyPolicy", T::kStr},
        {18, "clusterIPs", T::kStr, nullptr, true}, {19, "ipFamilies", T::kStr, nullptr, true},
        {20, "allocateLoadBalancerNodePorts", T::kBool, nullptr, false, true},
        {21, "loadBalancerClass", T::kStr}, {22, "internalTrafficPolicy", T::kStr}}},
      {"ServicePort",
       {{1, "name", T::kStr}, {2, "protocol", T::kStr}, {3, "port", T::kInt, nullptr, false, true},
        {4, "targetPort", T::kIntStr}, {5, "nodePort", T::kInt}, {6, "appProtocol", T::kStr}}},
      {"Pod",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "spec", T::kMsg, "PodSpec"},
        {3, "status", T::kMsg, "Empty"}}},
      {"PodTemplateSpec", {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "spec", T::kMsg, "PodSpec"}}},
      {"PodSpec",
       {{1, "volumes", T::kMsg, "Volume", true}, {2, "containers", T::kMsg, "Container", true},
        {3, "restartPolicy", T::kStr},
        {4, "terminationGracePeriodSeconds", T::kInt, nullptr, false, true},
        {5, "activeDeadlineSeconds", T::kInt, nullptr, false, true}, {6, "dnsPolicy", T::kStr},
        {7, "nodeSelector", T::kStrMap}, {8, "serviceAccountName", T::kStr},
        {9, "serviceAccount", T::kStr}, {10, "nodeName", T::kStr}, {11, "hostNetwork", T::kBool},
        {12, "hostPID", T::kBool}, {13, "hostIPC", T::kBool},
        {14, "securityContext", T::kMsg, "Empty"},
        {15, "imagePullSecrets", T::kMsg, "LocalObjectReference", true},
        {16, "hostname", T::kStr}, {17, "subdomain", T::kStr}, {19, "schedulerName", T::kStr},
        {20, "initContainers", T::kMsg, "Container", true},
        {21, "automountServiceAccountToken", T::kBool, nullptr, false, true},
        {22, "tolerations", T::kMsg, "Toleration", true}, {24, "priorityClassName", T::kStr},
        {25, "priority", T::kInt, nullptr, false, true},
        {30, "enableServiceLinks", T::kBool, nullptr, false, true},
        {31, "preemptionPolicy", T::kStr}}},
      {"Container",
       {{1, "name", T::kStr}, {2, "image", T::kStr}, {3, "command", T::kStr, nullptr, true},
        {4, "args", T::kStr, nullptr, true}, {5, "workingDir", T::kStr},
        {6, "ports", T::kMsg, "ContainerPort", true}, {7, "env", T::kMsg, "EnvVar", true},
        {8, "resources", T::kMsg, "ResourceRequirements"},
        {9, "volumeMounts", T::kMsg, "VolumeMount", true},
        {13, "terminationMessagePath", T::kStr}, {14, "imagePullPolicy", T::kStr},
        {16, "stdin", T::kBool}, {17, "stdinOnce", T::kBool}, {18, "tty", T::kBool},
        {20, "terminationMessagePolicy", T::kStr}}},
      {"ContainerPort",
       {{1, "name", T::kStr}, {2, "hostPort", T::kInt},
        {3, "containerPort", T::kInt, nullptr, false, true}, {4, "protocol", T::kStr},
        {5, "hostIP", T::kStr}}},
      {"EnvVar", {{1, "name", T::kStr}, {2, "value", T::kStr}}},
      {"ResourceRequirements", {{1, "limits", T::kQtyMap}, {2, "requests", T::kQtyMap}}},
      {"VolumeMount",
       {{1, "name", T::kStr}, {2, "readOnly", T::kBool}, {3, "mountPath", T::kStr},
        {4, "subPath", T::kStr}}},
      {"Toleration",
       {{1, "key", T::kStr}, {2, "operator", T::kStr}, {3, "value", T::kStr}, {4, "effect", T::kStr},
        {5, "tolerationSeconds", T::kInt, nullptr, false, true}}},
      {"Volume", {{1, "name", T::kStr}, {2, "volumeSource", T::kInline, "VolumeSource"}}},
      {"VolumeSource",
       {{1, "hostPath", T::kMsg, "HostPathVolumeSource"}, {2, "emptyDir", T::kMsg, "Empty"},
        {6, "secret", T::kMsg, "SecretVolumeSource"},
        {19, "configMap", T::kMsg, "ConfigMapVolumeSource"}}},
      {"HostPathVolumeSource", {{1, "path", T::kStr}, {2, "type", T::kStr}}},
      {"SecretVolumeSource", {{1, "secretName", T::kStr}}},
      {"ConfigMapVolumeSource", {{1, "localObjectReference", T::kInline, "LocalObjectReference"}}},
      {"Empty", {}},
      // apps/v1
      {"Deployment",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "spec", T::kMsg, "DeploymentSpec"},
        {3, "status", T::kMsg, "Empty"}}},
      {"DeploymentSpec",
       {{1, "replicas", T::kInt, nullptr, false, true}, {2, "selector", T::kMsg, "LabelSelector"},
        {3, "template", T::kMsg, "PodTemplateSpec"}, {4, "strategy", T::kMsg, "DeploymentStrategy"},
        {5, "minReadySeconds", T::kInt},
        {6, "revisionHistoryLimit", T::kInt, nullptr, false, true}, {7, "paused", T::kBool},
        {9, "progressDeadlineSeconds", T::kInt, nullptr, false, true}}},
      {"DeploymentStrategy",
       {{1, "type", T::kStr}, {2, "rollingUpdate", T::kMsg, "RollingUpdateDeployment"}}},
      {"RollingUpdateDeployment",
       {{1, "maxUnavailable", T::kIntStr}, {2, "maxSurge", T::kIntStr}}},
      // batch/v1
      {"Job",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "spec", T::kMsg, "JobSpec"},
        {3, "status", T::kMsg, "Empty"}}},
      {"JobSpec",
       {{1, "parallelism", T::kInt, nullptr, false, true},
        {2, "completions", T::kInt, nullptr, false, true},
        {3, "activeDeadlineSeconds", T::kInt, nullptr, false, true},
        {4, "selector", T::kMsg, "LabelSelector"},
        {5, "manualSelector", T::kBool, nullptr, false, true},
        {6, "template", T::kMsg, "PodTemplateSpec"},
        {7, "backoffLimit", T::kInt, nullptr, false, true},
        {8, "ttlSecondsAfterFinished", T::kInt, nullptr, false, true},
        {9, "completionMode", T::kStr}, {10, "suspend", T::kBool, nullptr, false, true}}},
      {"CronJob",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "spec", T::kMsg, "CronJobSpec"},
        {3, "status", T::kMsg, "Empty"}}},
      {"CronJobSpec",
       {{1, "schedule", T::kStr}, {2, "startingDeadlineSeconds", T::kInt, nullptr, false, true},
        {3, "concurrencyPolicy", T::kStr}, {4, "suspend", T::kBool, nullptr, false, true},
        {5, "jobTemplate", T::kMsg, "JobTemplateSpec"},
        {6, "successfulJobsHistoryLimit", T::kInt, nullptr, false, true},
        {7, "failedJobsHistoryLimit", T::kInt, nullptr, false, true}, {8, "timeZone", T::kStr}}},
      {"JobTemplateSpec", {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "spec", T::kMsg, "JobSpec"}}},
      // policy/v1 and meta/v1
      {"Eviction",
       {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "deleteOptions", T::kMsg, "DeleteOptions"}}},
      {"DeleteOptions",
       {{1, "gracePeriodSeconds", T::kInt, nullptr, false, true},
        {2, "preconditions", T::kMsg, "Preconditions"},
        {3, "orphanDependents", T::kBool, nullptr, false, true},
        {4, "propagationPolicy", T::kStr}, {5, "dryRun", T::kStr, nullptr, true}}},
      {"Preconditions", {{1, "uid", T::kStr}, {2, "resourceVersion", T::kStr}}},
      {"Binding", {{1, "metadata", T::kMsg, "ObjectMeta"}, {2, "target", T::kMsg, "ObjectReference"}}},
  };
  return *m;
}

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  bool done() const { return i_ >= b_.size(); }
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64 && i_ < b_.size(); shift += 7) {
      uint8_t c = static_cast<uint8_t>(b_[i_++]);
      *v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return true;
    }
    return false;
  }
  bool Bytes(std::string_view* out) {
    uint64_t n;
    if (!Varint(&n) || n > b_.size() - i_) return false;
    *out = b_.substr(i_, n);
    i_ += n;
    return true;
  }
  bool Skip(int wire) {
    uint64_t v;
    std::string_view s;
    switch (wire) {
      case 0: return Varint(&v);
      case 1: i_ += 8; return i_ <= b_.size();
      case 2: return Bytes(&s);
      case 5: i_ += 4; return i_ <= b_.size();
      default: return false;
    }
  }

 private:
  std::string_view b_;
  size_t i_ = 0;
};

common::Status Bad(const std::string& what) {
  return common::Status::BadRequest("unable to decode the protobuf body: " + what);
}

common::Status DecodeMessage(std::string_view data, const std::string& msg, Json* out);

// A map entry {1: key, 2: value}.
common::Status MapEntry(std::string_view data, std::string* key, std::string_view* value) {
  Reader r(data);
  while (!r.done()) {
    uint64_t tag;
    if (!r.Varint(&tag)) return Bad("bad map entry");
    std::string_view s;
    if ((tag & 7) != 2) {
      if (!r.Skip(static_cast<int>(tag & 7))) return Bad("bad map entry");
      continue;
    }
    if (!r.Bytes(&s)) return Bad("bad map entry");
    if ((tag >> 3) == 1) *key = std::string(s);
    if ((tag >> 3) == 2) *value = s;
  }
  return common::Status::Ok();
}

common::Status Quantity(std::string_view data, std::string* out) {
  Reader r(data);
  while (!r.done()) {
    uint64_t tag;
    std::string_view s;
    if (!r.Varint(&tag)) return Bad("bad quantity");
    if ((tag >> 3) == 1 && (tag & 7) == 2) {
      if (!r.Bytes(&s)) return Bad("bad quantity");
      *out = std::string(s);
    } else if (!r.Skip(static_cast<int>(tag & 7))) {
      return Bad("bad quantity");
    }
  }
  return common::Status::Ok();
}

common::Status Value(const Field& f, Reader& r, int wire, Json* slot) {
  uint64_t v = 0;
  std::string_view s;
  switch (f.type) {
    case T::kInt:
    case T::kBool:
      if (wire != 0 || !r.Varint(&v)) return Bad(std::string("field ") + f.json);
      if (f.type == T::kBool) *slot = v != 0;
      else *slot = static_cast<int64_t>(v);
      return common::Status::Ok();
    default:
      break;
  }
  if (wire != 2 || !r.Bytes(&s)) return Bad(std::string("field ") + f.json);
  switch (f.type) {
    case T::kStr: *slot = std::string(s); break;
    case T::kBytes: *slot = common::Base64Encode(s); break;
    case T::kMsg: return DecodeMessage(s, f.msg, slot);
    case T::kQty: {
      std::string q;
      RETURN_IF_ERROR(Quantity(s, &q));
      *slot = q;
      break;
    }
    case T::kTime: {
      Reader t(s);
      int64_t secs = 0, nanos = 0;
      while (!t.done()) {
        uint64_t tag, x;
        if (!t.Varint(&tag) || (tag & 7) != 0 || !t.Varint(&x)) return Bad("bad time");
        if ((tag >> 3) == 1) secs = static_cast<int64_t>(x);
        if ((tag >> 3) == 2) nanos = static_cast<int64_t>(x);
      }
      // Go's zero time.Time: the JSON form is null.
      if (secs == -62135596800LL || (secs == 0 && nanos == 0 && s.empty())) {
        *slot = nullptr;
      } else {
        *slot = common::FormatRFC3339(common::TimePoint(std::chrono::seconds(secs)));
      }
      break;
    }
    case T::kIntStr: {
      Reader t(s);
      int64_t type = 0, iv = 0;
      std::string sv;
      while (!t.done()) {
        uint64_t tag, x;
        std::string_view y;
        if (!t.Varint(&tag)) return Bad("bad int-or-string");
        int num = static_cast<int>(tag >> 3);
        if ((tag & 7) == 0) {
          if (!t.Varint(&x)) return Bad("bad int-or-string");
          if (num == 1) type = static_cast<int64_t>(x);
          if (num == 2) iv = static_cast<int32_t>(x);
        } else if ((tag & 7) == 2) {
          if (!t.Bytes(&y)) return Bad("bad int-or-string");
          if (num == 3) sv = std::string(y);
        } else if (!t.Skip(static_cast<int>(tag & 7))) {
          return Bad("bad int-or-string");
        }
      }
      if (type == 1) *slot = sv;
      else *slot = iv;
      break;
    }
    default:
      return Bad(std::string("field ") + f.json);
  }
  return common::Status::Ok();
}

bool IsZero(const Json& v) {
  return (v.is_string() && v.get<std::string>().empty()) ||
         (v.is_number_integer() && v.get<int64_t>() == 0) || (v.is_boolean() && !v.get<bool>()) ||
         v.is_null();
}

common::Status DecodeMessage(std::string_view data, const std::string& msg, Json* out) {
  auto it = Schemas().find(msg);
  if (it == Schemas().end()) return Bad("no schema for " + msg);
  *out = Json::object();
  Reader r(data);
  while (!r.done()) {
    uint64_t tag;
    if (!r.Varint(&tag)) return Bad("malformed " + msg);
    int num = static_cast<int>(tag >> 3);
    int wire = static_cast<int>(tag & 7);
    const Field* f = nullptr;
    for (const auto& x : it->second)
      if (x.num == num) f = &x;
    if (!f) {
      // A field this schema does not know (status details, rarely used
      // options): skipped, as an older server's decoder would.
      if (!r.Skip(wire)) return Bad("malformed " + msg);
      continue;
    }
    if (f->type == T::kStrMap || f->type == T::kBytesMap || f->type == T::kQtyMap) {
      std::string_view entry;
      if (wire != 2 || !r.Bytes(&entry)) return Bad(std::string("field ") + f->json);
      std::string key;
      std::string_view val;
      RETURN_IF_ERROR(MapEntry(entry, &key, &val));
      Json& m = (*out)[f->json];
      if (!m.is_object()) m = Json::object();
      if (f->type == T::kStrMap) m[key] = std::string(val);
      else if (f->type == T::kBytesMap) m[key] = common::Base64Encode(val);
      else {
        std::string q;
        RETURN_IF_ERROR(Quantity(val, &q));
        m[key] = q;
      }
      continue;
    }
    if (f->type == T::kInline) {
      std::string_view s;
      if (wire != 2 || !r.Bytes(&s)) return Bad(std::string("field ") + f->json);
      Json inner;
      RETURN_IF_ERROR(DecodeMessage(s, f->msg, &inner));
      for (auto& [k, v] : inner.items()) (*out)[k] = v;
      continue;
    }
    Json v;
    if (f->repeated && wire == 2 && f->type == T::kInt) {
      // A packed repeated varint field.
      std::string_view s;
      if (!r.Bytes(&s)) return Bad(std::string("field ") + f->json);
      Reader p(s);
      while (!p.done()) {
        uint64_t x;
        if (!p.Varint(&x)) return Bad(std::string("field ") + f->json);
        (*out)[f->json].push_back(static_cast<int64_t>(x));
      }
      continue;
    }
    RETURN_IF_ERROR(Value(*f, r, wire, &v));
    if (f->repeated) {
      (*out)[f->json].push_back(std::move(v));
    } else if (!(IsZero(v) && !f->keep_zero)) {
      (*out)[f->json] = std::move(v);
    }
  }
  return common::Status::Ok();
}

}  // namespace

common::Result<Json> DecodeKubeProtobuf(std::string_view body) {
  static const std::string_view kMagic("k8s\0", 4);
  if (body.substr(0, 4) != kMagic) return Bad("missing the k8s protobuf prefix");
  Reader r(body.substr(4));
  std::string api_version, kind;
  std::string_view raw;
  while (!r.done()) {
    uint64_t tag;
    std::string_view s;
    if (!r.Varint(&tag)) return Bad("malformed envelope");
    int num = static_cast<int>(tag >> 3);
    if ((tag & 7) != 2) {
      if (!r.Skip(static_cast<int>(tag & 7))) return Bad("malformed envelope");
      continue;
    }
    if (!r.Bytes(&s)) return Bad("malformed envelope");
    if (num == 1) {
      Reader tm(s);
      while (!tm.done()) {
        uint64_t t2;
        std::string_view v;
        if (!tm.Varint(&t2) || (t2 & 7) != 2 || !tm.Bytes(&v)) return Bad("malformed type meta");
        if ((t2 >> 3) == 1) api_version = std::string(v);
        if ((t2 >> 3) == 2) kind = std::string(v);
      }
    } else if (num == 2) {
      raw = s;
    }
  }
  if (kind.empty()) return Bad("the envelope names no kind");
  Json obj;
  common::Status st = DecodeMessage(raw, kind, &obj);
  if (!st.ok()) return st;
  Json out = Json::object();
  out["kind"] = kind;
  out["apiVersion"] = api_version;
  for (auto& [k, v] : obj.items()) out[k] = v;
  return out;
}

namespace {

void PutVarint(std::string& o, uint64_t v) {
  while (v >= 0x80) {
    o.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  o.push_back(static_cast<char>(v));
}
void PutBytes(std::string& o, int num, std::string_view b) {
  PutVarint(o, (static_cast<uint64_t>(num) << 3) | 2);
  PutVarint(o, b.size());
  o.append(b);
}
std::string Encode(const Json& obj, const std::string& msg);
std::string EncodeValue(const Field& f, const Json& v) {
  switch (f.type) {
    case T::kStr: return v.get<std::string>();
    case T::kMsg: return Encode(v, f.msg);
    case T::kQty: {
      std::string o;
      PutBytes(o, 1, v.get<std::string>());
      return o;
    }
    case T::kIntStr: {
      std::string o;
      if (v.is_string()) {
        PutVarint(o, 1 << 3);
        PutVarint(o, 1);
        PutBytes(o, 3, v.get<std::string>());
      } else {
        PutVarint(o, 2 << 3);
        PutVarint(o, static_cast<uint64_t>(v.get<int64_t>()));
      }
      return o;
    }
    default:
      return "";
  }
}
std::string Encode(const Json& obj, const std::string& msg) {
  std::string o;
  auto it = Schemas().find(msg);
  if (it == Schemas().end() || !obj.is_object()) return o;
  for (const auto& f : it->second) {
    if (f.type == T::kInline) {
      o += "";
      std::string inner = Encode(obj, f.msg);
      if (!inner.empty()) PutBytes(o, f.num, inner);
      continue;
    }
    if (!obj.contains(f.json)) continue;
    const Json& v = obj[f.json];
    if (f.type == T::kStrMap || f.type == T::kQtyMap) {
      for (auto& [k, x] : v.items()) {
        std::string e;
        PutBytes(e, 1, k);
        if (f.type == T::kStrMap) PutBytes(e, 2, x.get<std::string>());
        else {
          std::string q;
          PutBytes(q, 1, x.get<std::string>());
          PutBytes(e, 2, q);
        }
        PutBytes(o, f.num, e);
      }
      continue;
    }
    auto one = [&](const Json& x) {
      if (f.type == T::kInt || f.type == T::kBool) {
        PutVarint(o, static_cast<uint64_t>(f.num) << 3);
        PutVarint(o, f.type == T::kBool ? (x.get<bool>() ? 1 : 0) : static_cast<uint64_t>(x.get<int64_t>()));
      } else {
        PutBytes(o, f.num, EncodeValue(f, x));
      }
    };
    if (f.repeated) {
      for (const auto& x : v) one(x);
    } else {
      one(v);
    }
  }
  return o;
}

}  // namespace

std::string EncodeKubeProtobufForTest(const Json& obj) {
  std::string kind = common::GetString(obj, "kind");
  if (!Schemas().count(kind)) return "";
  std::string tm;
  PutBytes(tm, 1, common::GetString(obj, "apiVersion"));
  PutBytes(tm, 2, kind);
  std::string body("k8s\0", 4);
  PutBytes(body, 1, tm);
  PutBytes(body, 2, Encode(obj, kind));
  return body;
}

}  // namespace apiserve
