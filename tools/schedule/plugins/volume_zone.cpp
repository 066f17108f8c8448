#include "plugins/volume_zone.h"

#include <algorithm>

#include "common/strings.h"

namespace schedule {

namespace {

const char* const kTopologyLabels[] = {
    "failure-domain.beta.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/region",
    "topology.kubernetes.io/zone", "topology.kubernetes.io/region"};

struct PVTopology {
  std::string key;
  std::vector<std::string> values;
};

struct ZoneState : StateData {
  std::vector<PVTopology> topologies;
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<ZoneState>(*this); }
};

std::string ToGALabel(const std::string& key) {
  if (key == "failure-domain.beta.kubernetes.io/zone") return "topology.kubernetes.io/zone";
  if (key == "failure-domain.beta.kubernetes.io/region") return "topology.kubernetes.io/region";
  return key;
}

}  // namespace

Status VolumeZone::PreFilter(CycleState& state, const Pod& pod, PreFilterResult*) {
  if (pod.pvc_names.empty()) return Status::Skip();
  auto s = std::make_unique<ZoneState>();
  ObjectStore& store = fw_->objects();
  for (const auto& name : pod.pvc_names) {
    auto pvc = store.GetPVC(pod.ns, name);
    if (!pvc) return Status(Code::kUnschedulableAndUnresolvable, "persistentvolumeclaim \"" + name + "\" not found");
    if (pvc->volume_name.empty()) continue;  // VolumeBinding decides unbound claims
    auto pv = store.GetPV(pvc->volume_name);
    if (!pv) return Status(Code::kUnschedulableAndUnresolvable, "persistentvolume \"" + pvc->volume_name + "\" not found");
    for (const char* key : kTopologyLabels) {
      auto it = pv->labels.find(key);
      if (it == pv->labels.end()) continue;
      PVTopology t;
      t.key = key;
      // Multi-zone volumes list their zones separated by "__".
      std::string v = it->second;
      size_t pos;
      while ((pos = v.find("__")) != std::string::npos) {
        t.values.push_back(v.substr(0, pos));
        v = v.substr(pos + 2);
      }
      t.values.push_back(v);
      s->topologies.push_back(std::move(t));
    }
  }
  if (s->topologies.empty()) return Status::Skip();
  state.set_prefilter(slot(), std::move(s));
  return Status();
}

Status VolumeZone::Filter(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const ZoneState*>(state.prefilter(slot()));
  const Node& n = *node.node();
  bool has_any = false;
  for (const char* key : kTopologyLabels) has_any |= n.labels.count(key) != 0;
  if (!has_any) return Status();
  for (const auto& t : s->topologies) {
    auto it = n.labels.find(t.key);
    if (it == n.labels.end()) it = n.labels.find(ToGALabel(t.key));
    if (it == n.labels.end() || std::find(t.values.begin(), t.values.end(), it->second) == t.values.end())
      return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReasonConflict);
  }
  return Status();
}

std::vector<ClusterEvent> VolumeZone::EventsToRegister() const {
  return {{EventResource::kStorageClass, kAdd},
          {EventResource::kNode, kAdd | kUpdateNodeLabel},
          {EventResource::kPersistentVolumeClaim, kAdd | kUpdate},
          {EventResource::kPersistentVolume, kAdd | kUpdate}};
}

Status VolumeRestrictions::PreFilter(CycleState&, const Pod& pod, PreFilterResult*) {
  std::vector<std::string> rwop;
  for (const auto& name : pod.pvc_names) {
    auto pvc = fw_->objects().GetPVC(pod.ns, name);
    if (!pvc) continue;
    if (std::find(pvc->access_modes.begin(), pvc->access_modes.end(), "ReadWriteOncePod") != pvc->access_modes.end())
      rwop.push_back(name);
  }
  if (rwop.empty()) return Status::Skip();
  for (NodeInfo* ni : fw_->snapshot().nodes())
    for (const auto& other : ni->pods()) {
      if (other->ns != pod.ns || other->uid == pod.uid) continue;
      for (const auto& claim : other->pvc_names)
        if (std::find(rwop.begin(), rwop.end(), claim) != rwop.end())
          return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReasonReadWriteOncePodConflict);
    }
  return Status::Skip();
}

Status VolumeRestrictions::Filter(const CycleState&, const Pod&, const NodeInfo&) const { return Status(); }

std::vector<ClusterEvent> VolumeRestrictions::EventsToRegister() const {
  return {{EventResource::kAssignedPod, kDelete}, {EventResource::kPersistentVolumeClaim, kAdd | kUpdate}};
}

}  // namespace schedule
