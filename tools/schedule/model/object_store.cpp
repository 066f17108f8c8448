#include "model/object_store.h"

#include <cmath>

#include "common/strings.h"
#include "model/parse.h"

namespace schedule {

using common::Json;
using common::Result;
using common::Status;

ObjectStore::ObjectStore() {
  // The two classes kube-apiserver creates at start-up.
  priority_classes_["system-cluster-critical"] = PriorityClass{"system-cluster-critical", 2000000000, false, false};
  priority_classes_["system-node-critical"] = PriorityClass{"system-node-critical", 2000001000, false, false};
}

Result<bool> ObjectStore::Upsert(const Json& obj) {
  std::string kind = common::GetString(obj, "kind");
  if (kind == "PersistentVolumeClaim") {
    auto v = ParsePersistentVolumeClaim(obj);
    if (!v.ok()) return v.status();
    PutPVC(std::move(*v));
  } else if (kind == "PersistentVolume") {
    auto v = ParsePersistentVolume(obj);
    if (!v.ok()) return v.status();
    PutPV(std::move(*v));
  } else if (kind == "StorageClass") {
    auto v = ParseStorageClass(obj);
    if (!v.ok()) return v.status();
    PutStorageClass(std::move(*v));
  } else if (kind == "PriorityClass") {
    auto v = ParsePriorityClass(obj);
    if (!v.ok()) return v.status();
    PutPriorityClass(std::move(*v));
  } else if (kind == "PodDisruptionBudget") {
    auto v = ParsePodDisruptionBudget(obj);
    if (!v.ok()) return v.status();
    PutPDB(std::move(*v));
  } else if (kind == "Namespace") {
    auto v = ParseNamespace(obj);
    if (!v.ok()) return v.status();
    PutNamespace(std::move(*v));
  } else if (kind == "Service" || kind == "ReplicaSet" || kind == "StatefulSet" ||
             kind == "ReplicationController") {
    auto v = ParseWorkloadSelector(obj);
    if (!v.ok()) return v.status();
    PutWorkload(std::move(*v));
  } else {
    return false;
  }
  return true;
}

void ObjectStore::Remove(const Json& obj) {
  std::string kind = common::GetString(obj, "kind");
  const Json& md = common::Get(obj, "metadata");
  std::string name = common::GetString(md, "name");
  std::string ns = common::GetString(md, "namespace", "default");
  std::lock_guard<std::mutex> lock(mu_);
  if (kind == "PersistentVolumeClaim") pvcs_.erase(ns + "/" + name);
  else if (kind == "PersistentVolume") pvs_.erase(name);
  else if (kind == "StorageClass") storage_classes_.erase(name);
  else if (kind == "PriorityClass") priority_classes_.erase(name);
  else if (kind == "PodDisruptionBudget") pdbs_.erase(ns + "/" + name);
  else if (kind == "Namespace") namespaces_.erase(name);
  else workloads_.erase(kind + "/" + ns + "/" + name);
}

void ObjectStore::PutPVC(PersistentVolumeClaim pvc) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = pvc.ns + "/" + pvc.name;
  pvcs_[key] = std::make_shared<const PersistentVolumeClaim>(std::move(pvc));
}

void ObjectStore::PutPV(PersistentVolume pv) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = pv.name;
  pvs_[key] = std::make_shared<const PersistentVolume>(std::move(pv));
}

void ObjectStore::PutStorageClass(StorageClass sc) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = sc.name;
  storage_classes_[key] = std::make_shared<const StorageClass>(std::move(sc));
}

void ObjectStore::PutPriorityClass(PriorityClass pc) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = pc.name;
  priority_classes_[key] = std::move(pc);
}

void ObjectStore::PutPDB(PodDisruptionBudget pdb) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = pdb.ns + "/" + pdb.name;
  pdbs_[key] = std::make_shared<const PodDisruptionBudget>(std::move(pdb));
}

void ObjectStore::PutNamespace(Namespace ns) {
  std::lock_guard<std::mutex> lock(mu_);
  namespaces_[ns.name] = std::move(ns.labels);
}

void ObjectStore::NoteNamespace(const std::string& ns) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!namespaces_.count(ns)) namespaces_[ns] = common::Labels{{"kubernetes.io/metadata.name", ns}};
}

void ObjectStore::PutWorkload(WorkloadSelector w) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = w.kind + "/" + w.ns + "/" + w.name;
  workloads_[key] = std::move(w);
}

std::shared_ptr<const PersistentVolumeClaim> ObjectStore::GetPVC(const std::string& ns,
                                                                 const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pvcs_.find(ns + "/" + name);
  return it == pvcs_.end() ? nullptr : it->second;
}

std::shared_ptr<const PersistentVolume> ObjectStore::GetPV(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pvs_.find(name);
  return it == pvs_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const PersistentVolume>> ObjectStore::ListPVs() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<const PersistentVolume>> out;
  for (const auto& [k, v] : pvs_) out.push_back(v);
  return out;
}

std::shared_ptr<const StorageClass> ObjectStore::GetStorageClass(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = storage_classes_.find(name);
  return it == storage_classes_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const PodDisruptionBudget>> ObjectStore::ListPDBs() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::shared_ptr<const PodDisruptionBudget>> out;
  for (const auto& [k, v] : pdbs_) out.push_back(v);
  return out;
}

namespace {

// An IntOrString (count or "N%") scaled against `total`, rounding up as the
// disruption controller does for minAvailable.
std::optional<int64_t> ScaledValue(const Json& v, int64_t total) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.ends_with("%")) {
      auto pct = common::ParseInt64(std::string_view(s).substr(0, s.size() - 1));
      if (!pct) return std::nullopt;
      return static_cast<int64_t>(std::ceil(static_cast<double>(*pct) * static_cast<double>(total) / 100.0));
    }
    return common::ParseInt64(s);
  }
  return std::nullopt;
}

}  // namespace

void ObjectStore::ComputeDisruptionsAllowed(const std::vector<PodPtr>& pods) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [key, pdb] : pdbs_) {
    if (pdb->has_status) continue;
    int64_t matching = 0;
    if (pdb->selector && !pdb->selector->Empty())
      for (const auto& p : pods)
        if (p->ns == pdb->ns && !p->node_name.empty() && pdb->selector->Matches(p->labels)) ++matching;
    int64_t allowed = 0;
    if (pdb->max_unavailable) {
      allowed = ScaledValue(*pdb->max_unavailable, matching).value_or(0);
    } else {
      int64_t min = pdb->min_available ? ScaledValue(*pdb->min_available, matching).value_or(0) : 1;
      allowed = matching - min;
    }
    auto copy = std::make_shared<PodDisruptionBudget>(*pdb);
    copy->disruptions_allowed = static_cast<int32_t>(std::max<int64_t>(0, allowed));
    pdb = copy;
  }
}

common::Labels ObjectStore::NamespaceLabels(const std::string& ns) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = namespaces_.find(ns);
  if (it != namespaces_.end()) return it->second;
  return common::Labels{{"kubernetes.io/metadata.name", ns}};
}

std::vector<std::string> ObjectStore::NamespacesMatching(const common::LabelSelector& selector) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, labels] : namespaces_)
    if (selector.Matches(labels)) out.push_back(name);
  return out;
}

bool ObjectStore::HasWorkloads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return !workloads_.empty();
}

common::LabelSelector ObjectStore::DefaultSelector(const Pod& pod) const {
  std::lock_guard<std::mutex> lock(mu_);
  Json sel = Json::object();
  Json& match = sel["matchLabels"];
  match = Json::object();
  Json exprs = Json::array();
  auto add_map = [&](const common::Labels& m) {
    for (const auto& [k, v] : m) match[k] = v;
  };
  for (const auto& [key, w] : workloads_) {
    if (w.kind != "Service" || w.ns != pod.ns || w.map_selector.empty()) continue;
    if (common::LabelSelector::FromMap(w.map_selector).Matches(pod.labels)) add_map(w.map_selector);
  }
  if (pod.controller) {
    const OwnerRef& o = *pod.controller;
    auto it = workloads_.find(o.kind + "/" + pod.ns + "/" + o.name);
    if (it != workloads_.end()) {
      const WorkloadSelector& w = it->second;
      if (o.kind == "ReplicationController" && o.api_version == "v1") {
        add_map(w.map_selector);
      } else if ((o.kind == "ReplicaSet" || o.kind == "StatefulSet") && o.api_version == "apps/v1" &&
                 w.selector) {
        for (const auto& r : w.selector->requirements()) {
          static const char* kOps[] = {"In", "NotIn", "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"};
          exprs.push_back({{"key", r.key}, {"operator", kOps[static_cast<int>(r.op)]}, {"values", r.values}});
        }
      }
    }
  }
  if (!exprs.empty()) sel["matchExpressions"] = exprs;
  auto parsed = common::LabelSelector::FromJson(sel);
  return parsed.ok() ? *parsed : common::LabelSelector();
}

Result<int32_t> ObjectStore::ResolvePriority(const Pod& pod, bool* preempt_never) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!pod.priority_class_name.empty()) {
    auto it = priority_classes_.find(pod.priority_class_name);
    if (it == priority_classes_.end())
      return Status::NotFound("no PriorityClass with name " + pod.priority_class_name + " was found");
    if (preempt_never) *preempt_never = it->second.preempt_never;
    return it->second.value;
  }
  for (const auto& [name, pc] : priority_classes_)
    if (pc.global_default) {
      if (preempt_never) *preempt_never = pc.preempt_never;
      return pc.value;
    }
  return int32_t{0};
}

void ObjectStore::AssumeClaim(const std::string& pv, const std::string& ns, const std::string& claim) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pvs_.find(pv);
  if (it == pvs_.end()) return;
  auto copy = std::make_shared<PersistentVolume>(*it->second);
  copy->claim_ns = ns;
  copy->claim_name = claim;
  it->second = copy;
}

void ObjectStore::ForgetClaim(const std::string& pv) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pvs_.find(pv);
  if (it == pvs_.end()) return;
  auto copy = std::make_shared<PersistentVolume>(*it->second);
  copy->claim_ns.clear();
  copy->claim_name.clear();
  it->second = copy;
}

}  // namespace schedule
