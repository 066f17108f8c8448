// Decoding of the other objects plugins consult: volumes, storage classes,
// PriorityClasses, PodDisruptionBudgets, namespaces and workload selectors.
#include "common/quantity.h"
#include "model/parse.h"

namespace schedule {

using common::Json;
using common::Result;
using common::Status;

namespace {

std::vector<std::string> StringList(const Json& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const Json& s : v)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

Result<int64_t> StorageQuantity(const Json& v, const std::string& field, const std::string& what) {
  if (v.is_null()) return int64_t{0};
  auto q = common::Quantity::FromJson(v);
  if (!q.ok())
    return Status::Invalid(what + ": " + field + ": Invalid value: " + common::DumpJson(v) + ": " +
                           q.status().message());
  return q->Value();
}

}  // namespace

Result<PersistentVolumeClaim> ParsePersistentVolumeClaim(const Json& obj) {
  PersistentVolumeClaim pvc;
  std::string what = DescribeObject(obj);
  const Json& md = common::Get(obj, "metadata");
  pvc.ns = common::GetString(md, "namespace", "default");
  pvc.name = common::GetString(md, "name");
  if (pvc.name.empty()) return Status::Invalid(what + ": metadata.name: Required value");
  pvc.uid = common::GetString(md, "uid");
  pvc.deleting = !common::Get(md, "deletionTimestamp").is_null();
  pvc.selected_node =
      common::GetString(common::Get(md, "annotations"), "volume.kubernetes.io/selected-node");
  const Json& spec = common::Get(obj, "spec");
  pvc.volume_name = common::GetString(spec, "volumeName");
  const Json& sc = common::Get(spec, "storageClassName");
  if (sc.is_string()) pvc.storage_class = sc.get<std::string>();
  pvc.access_modes = StringList(common::Get(spec, "accessModes"));
  auto req = StorageQuantity(common::GetPath(spec, {"resources", "requests", "storage"}),
                             "spec.resources.requests.storage", what);
  if (!req.ok()) return req.status();
  pvc.request_storage = *req;
  pvc.phase = common::GetString(common::Get(obj, "status"), "phase");
  return pvc;
}

Result<PersistentVolume> ParsePersistentVolume(const Json& obj) {
  PersistentVolume pv;
  std::string what = DescribeObject(obj);
  const Json& md = common::Get(obj, "metadata");
  pv.name = common::GetString(md, "name");
  if (pv.name.empty()) return Status::Invalid(what + ": metadata.name: Required value");
  pv.labels = common::LabelsFromJson(common::Get(md, "labels"));
  const Json& spec = common::Get(obj, "spec");
  pv.storage_class = common::GetString(spec, "storageClassName");
  pv.access_modes = StringList(common::Get(spec, "accessModes"));
  auto cap = StorageQuantity(common::GetPath(spec, {"capacity", "storage"}), "spec.capacity.storage", what);
  if (!cap.ok()) return cap.status();
  pv.capacity_storage = *cap;
  const Json& req = common::GetPath(spec, {"nodeAffinity", "required"});
  if (!req.is_null()) {
    auto sel = ParseNodeSelector(req, "spec.nodeAffinity.required");
    if (!sel.ok()) return Status::Invalid(what + ": " + sel.status().message());
    pv.node_affinity = std::move(*sel);
  }
  const Json& claim = common::Get(spec, "claimRef");
  pv.claim_ns = common::GetString(claim, "namespace");
  pv.claim_name = common::GetString(claim, "name");
  pv.claim_uid = common::GetString(claim, "uid");
  pv.phase = common::GetString(common::Get(obj, "status"), "phase");
  return pv;
}

Result<StorageClass> ParseStorageClass(const Json& obj) {
  StorageClass sc;
  const Json& md = common::Get(obj, "metadata");
  sc.name = common::GetString(md, "name");
  if (sc.name.empty()) return Status::Invalid(DescribeObject(obj) + ": metadata.name: Required value");
  sc.provisioner = common::GetString(obj, "provisioner");
  sc.wait_for_first_consumer = common::GetString(obj, "volumeBindingMode") == "WaitForFirstConsumer";
  const Json& ann = common::Get(md, "annotations");
  sc.is_default = common::GetString(ann, "storageclass.kubernetes.io/is-default-class") == "true";
  return sc;
}

Result<PriorityClass> ParsePriorityClass(const Json& obj) {
  PriorityClass pc;
  pc.name = common::GetString(common::Get(obj, "metadata"), "name");
  if (pc.name.empty()) return Status::Invalid(DescribeObject(obj) + ": metadata.name: Required value");
  const Json& v = common::Get(obj, "value");
  if (!v.is_number_integer())
    return Status::Invalid("PriorityClass \"" + pc.name + "\": value: Required value");
  pc.value = static_cast<int32_t>(v.get<int64_t>());
  pc.global_default = common::GetBool(obj, "globalDefault");
  pc.preempt_never = common::GetString(obj, "preemptionPolicy") == "Never";
  return pc;
}

Result<PodDisruptionBudget> ParsePodDisruptionBudget(const Json& obj) {
  PodDisruptionBudget pdb;
  std::string what = DescribeObject(obj);
  const Json& md = common::Get(obj, "metadata");
  pdb.ns = common::GetString(md, "namespace", "default");
  pdb.name = common::GetString(md, "name");
  if (pdb.name.empty()) return Status::Invalid(what + ": metadata.name: Required value");
  const Json& spec = common::Get(obj, "spec");
  const Json& sel = common::Get(spec, "selector");
  if (!sel.is_null()) {
    auto s = common::LabelSelector::FromJson(sel);
    if (!s.ok()) return Status::Invalid(what + ": spec.selector: " + s.status().message());
    pdb.selector = std::move(*s);
  }
  if (spec.contains("minAvailable")) pdb.min_available = spec["minAvailable"];
  if (spec.contains("maxUnavailable")) pdb.max_unavailable = spec["maxUnavailable"];
  const Json& status = common::Get(obj, "status");
  const Json& allowed = common::Get(status, "disruptionsAllowed");
  if (allowed.is_number_integer()) {
    pdb.has_status = true;
    pdb.disruptions_allowed = static_cast<int32_t>(allowed.get<int64_t>());
  }
  const Json& disrupted = common::Get(status, "disruptedPods");
  if (disrupted.is_object())
    for (auto it = disrupted.begin(); it != disrupted.end(); ++it) pdb.disrupted_pods.push_back(it.key());
  return pdb;
}

Result<Namespace> ParseNamespace(const Json& obj) {
  Namespace ns;
  const Json& md = common::Get(obj, "metadata");
  ns.name = common::GetString(md, "name");
  if (ns.name.empty()) return Status::Invalid(DescribeObject(obj) + ": metadata.name: Required value");
  ns.labels = common::LabelsFromJson(common::Get(md, "labels"));
  // kube-apiserver always sets this label (NamespaceDefaultLabelName).
  ns.labels["kubernetes.io/metadata.name"] = ns.name;
  return ns;
}

Result<WorkloadSelector> ParseWorkloadSelector(const Json& obj) {
  WorkloadSelector w;
  std::string what = DescribeObject(obj);
  w.kind = common::GetString(obj, "kind");
  const Json& md = common::Get(obj, "metadata");
  w.ns = common::GetString(md, "namespace", "default");
  w.name = common::GetString(md, "name");
  if (w.name.empty()) return Status::Invalid(what + ": metadata.name: Required value");
  const Json& sel = common::GetPath(obj, {"spec", "selector"});
  if (w.kind == "Service" || w.kind == "ReplicationController") {
    w.map_selector = common::LabelsFromJson(sel);
  } else if (!sel.is_null()) {
    auto s = common::LabelSelector::FromJson(sel);
    if (!s.ok()) return Status::Invalid(what + ": spec.selector: " + s.status().message());
    w.selector = std::move(*s);
  }
  return w;
}

}  // namespace schedule
