#include "kube.h"

#include <algorithm>

#include "common/informer.h"

namespace reconcile {
namespace {

const std::string& StringAt(const Json& obj, std::string_view key) {
  static const std::string kEmpty;
  const Json& v = common::Get(obj, key);
  return v.is_string() ? v.get_ref<const std::string&>() : kEmpty;
}

// Keeps only `keys` of object `j` (in place).
void KeepOnly(Json& j, std::initializer_list<std::string_view> keys) {
  if (!j.is_object()) return;
  for (auto it = j.begin(); it != j.end();) {
    bool keep = std::find(keys.begin(), keys.end(), it.key()) != keys.end();
    if (keep) ++it;
    else it = j.erase(it);
  }
}

}  // namespace

std::vector<std::string> IndexOrphansByNamespace(const Json& object) {
  if (ControllerRefOf(object)) return {};
  const std::string& ns = Namespace(object);
  if (ns.empty()) return {};
  return {ns};
}

std::string NowText() { return common::FormatRFC3339(common::Clock::now()); }

std::optional<common::TimePoint> TimeAt(const Json& obj, std::string_view key) {
  const std::string& text = StringAt(obj, key);
  if (text.empty()) return std::nullopt;
  auto t = common::ParseRFC3339(text);
  if (!t.ok()) return std::nullopt;
  return *t;
}

const std::string& Name(const Json& obj) { return StringAt(common::Get(obj, "metadata"), "name"); }
const std::string& Namespace(const Json& obj) {
  return StringAt(common::Get(obj, "metadata"), "namespace");
}
const std::string& Uid(const Json& obj) { return StringAt(common::Get(obj, "metadata"), "uid"); }
const std::string& ResourceVersion(const Json& obj) {
  return StringAt(common::Get(obj, "metadata"), "resourceVersion");
}

bool IsDeleting(const Json& obj) {
  const Json& v = common::GetPath(obj, {"metadata", "deletionTimestamp"});
  return v.is_string() && !v.get_ref<const std::string&>().empty();
}

common::Labels LabelsOf(const Json& obj) {
  return common::LabelsFromJson(common::GetPath(obj, {"metadata", "labels"}));
}

const Json* ControllerRefOf(const Json& obj) {
  const Json& refs = common::GetPath(obj, {"metadata", "ownerReferences"});
  if (!refs.is_array()) return nullptr;
  for (const auto& r : refs)
    if (common::GetBool(r, "controller")) return &r;
  return nullptr;
}

Json MakeControllerRef(const Json& owner, std::string_view api_version, std::string_view kind) {
  return Json{{"apiVersion", api_version}, {"kind", kind},          {"name", Name(owner)},
              {"uid", Uid(owner)},         {"controller", true}, {"blockOwnerDeletion", true}};
}

bool HasFinalizer(const Json& obj, std::string_view finalizer) {
  const Json& f = common::GetPath(obj, {"metadata", "finalizers"});
  if (!f.is_array()) return false;
  for (const auto& v : f)
    if (v.is_string() && v.get_ref<const std::string&>() == finalizer) return true;
  return false;
}

bool IsPodTerminal(const Json& pod) {
  const std::string& phase = StringAt(common::Get(pod, "status"), "phase");
  return phase == "Succeeded" || phase == "Failed";
}

bool IsPodActive(const Json& pod) { return !IsPodTerminal(pod) && !IsDeleting(pod); }

bool IsPodReady(const Json& pod) {
  const Json* c = FindCondition(common::Get(pod, "status"), "Ready");
  return c && common::GetString(*c, "status") == "True";
}

std::optional<common::TimePoint> PodReadyTime(const Json& pod) {
  const Json* c = FindCondition(common::Get(pod, "status"), "Ready");
  if (!c || common::GetString(*c, "status") != "True") return std::nullopt;
  return TimeAt(*c, "lastTransitionTime");
}

bool IsPodAvailable(const Json& pod, int64_t min_ready_seconds, common::TimePoint now) {
  if (!IsPodReady(pod)) return false;
  if (min_ready_seconds <= 0) return true;
  auto since = PodReadyTime(pod);
  if (!since) return false;
  return *since + std::chrono::seconds(min_ready_seconds) <= now;
}

int64_t PodRestartCount(const Json& pod) {
  int64_t n = 0;
  const Json& cs = common::GetPath(pod, {"status", "containerStatuses"});
  if (cs.is_array())
    for (const auto& c : cs) n += common::GetInt(c, "restartCount");
  return n;
}

const Json* FindCondition(const Json& status, std::string_view type) {
  const Json& conds = common::Get(status, "conditions");
  if (!conds.is_array()) return nullptr;
  for (const auto& c : conds)
    if (StringAt(c, "type") == type) return &c;
  return nullptr;
}

bool SetCondition(Json& status, Json condition) {
  if (!status.is_object()) status = Json::object();
  Json& conds = status["conditions"];
  if (!conds.is_array()) conds = Json::array();
  const std::string& type = StringAt(condition, "type");
  for (auto& c : conds) {
    if (StringAt(c, "type") != type) continue;
    if (StringAt(c, "status") == StringAt(condition, "status")) {
      // Same status, reason and message: nothing to record.
      if (StringAt(c, "reason") == StringAt(condition, "reason") &&
          StringAt(c, "message") == StringAt(condition, "message"))
        return false;
      if (c.contains("lastTransitionTime")) condition["lastTransitionTime"] = c["lastTransitionTime"];
    }
    c = std::move(condition);
    return true;
  }
  conds.push_back(std::move(condition));
  return true;
}

bool RemoveCondition(Json& status, std::string_view type) {
  if (!status.is_object() || !status["conditions"].is_array()) return false;
  Json& conds = status["conditions"];
  size_t before = conds.size();
  for (auto it = conds.begin(); it != conds.end();) {
    if (StringAt(*it, "type") == type) it = conds.erase(it);
    else ++it;
  }
  return conds.size() != before;
}

bool JsonEqual(const Json& a, const Json& b) { return nlohmann::json(a) == nlohmann::json(b); }

int64_t SpecReplicas(const Json& obj) {
  const Json& r = common::GetPath(obj, {"spec", "replicas"});
  return r.is_number_integer() ? r.get<int64_t>() : 1;
}

common::Result<common::LabelSelector> SpecSelector(const Json& obj) {
  const Json& sel = common::GetPath(obj, {"spec", "selector"});
  // A missing selector selects nothing here: the API server rejects one for
  // every workload type, so it can only come from a malformed object.
  if (sel.is_null()) return common::LabelSelector::Nothing();
  return common::LabelSelector::FromJson(sel);
}

common::InformerOptions CacheOptions(const GroupVersionResource& gvr,
                                     common::InformerOptions base) {
  if (gvr == kPods) base.transform = TrimPod;
  if (gvr == kNodes) base.transform = TrimNode;
  for (const auto* big : {&kPods, &kReplicaSets, &kDeployments, &kEndpoints, &kEndpointSlices})
    if (gvr == *big) base.encoding = common::StoreEncoding::kCompact;
  return base;
}

void TrimPod(Json& pod) {
  common::InformerOptions::DropManagedFields(pod);
  auto& md = pod["metadata"];
  if (md.is_object() && md["annotations"].is_object())
    md["annotations"].erase("kubectl.kubernetes.io/last-applied-configuration");
  Json& spec = pod["spec"];
  if (spec.is_object()) {
    // affinity: a DaemonSet pod's node is its nodeAffinity's matchFields
    // until the scheduler binds it.
    KeepOnly(spec, {"nodeName", "hostname", "subdomain", "tolerations", "restartPolicy",
                    "containers", "nodeSelector", "affinity", "priority", "schedulerName"});
    if (spec["containers"].is_array())
      for (auto& c : spec["containers"]) KeepOnly(c, {"name", "ports", "resources"});
  }
  Json& status = pod["status"];
  if (status.is_object()) {
    KeepOnly(status, {"phase", "conditions", "podIP", "podIPs", "hostIP", "startTime", "reason",
                      "containerStatuses", "qosClass"});
    if (status["conditions"].is_array())
      for (auto& c : status["conditions"])
        KeepOnly(c, {"type", "status", "lastTransitionTime", "reason"});
    if (status["containerStatuses"].is_array())
      for (auto& c : status["containerStatuses"]) {
        KeepOnly(c, {"name", "ready", "restartCount", "state"});
        // Only a terminated state's exit code is read (jobs).
        if (c["state"].is_object() && c["state"]["terminated"].is_object())
          KeepOnly(c["state"]["terminated"], {"exitCode", "reason"});
      }
  }
}

void TrimNode(Json& node) {
  common::InformerOptions::DropManagedFields(node);
  Json& status = node["status"];
  if (status.is_object()) {
    status.erase("images");
    status.erase("volumesAttached");
    status.erase("volumesInUse");
  }
}

}  // namespace reconcile
