#include "plugins/volume_binding.h"

#include <algorithm>

#include "plugins/args.h"

namespace schedule {

namespace {

using PVCPtr = std::shared_ptr<const PersistentVolumeClaim>;
using PVPtr = std::shared_ptr<const PersistentVolume>;

struct PreFilterState : StateData {
  std::vector<PVCPtr> bound;
  std::vector<PVCPtr> to_bind;  // WaitForFirstConsumer claims
  std::vector<PVPtr> pvs;        // candidate PVs for to_bind, read once per cycle
  std::vector<std::string> provisioner;  // per to_bind claim: its class's provisioner
  std::vector<PVPtr> reserved;   // filled by Reserve
  std::unique_ptr<StateData> Clone() const override { return std::make_unique<PreFilterState>(*this); }
};

bool HasModes(const PersistentVolume& pv, const PersistentVolumeClaim& pvc) {
  for (const auto& m : pvc.access_modes)
    if (std::find(pv.access_modes.begin(), pv.access_modes.end(), m) == pv.access_modes.end()) return false;
  return true;
}

// The smallest available PV for `pvc` on `node`, skipping `taken`
// (upstream's FindMatchingVolume, for statically provisioned PVs).
PVPtr FindVolume(const PreFilterState& s, const PersistentVolumeClaim& pvc, const Node& node,
                 const std::vector<PVPtr>& taken) {
  PVPtr best;
  std::string sc = pvc.storage_class.value_or("");
  for (const auto& pv : s.pvs) {
    if (std::find(taken.begin(), taken.end(), pv) != taken.end()) continue;
    bool prebound = pv->claim_name == pvc.name && pv->claim_ns == pvc.ns;
    if (!prebound && !pv->claim_name.empty()) continue;
    if (pv->storage_class != sc) continue;
    if (pv->capacity_storage < pvc.request_storage || !HasModes(*pv, pvc)) continue;
    if (pv->node_affinity && !pv->node_affinity->Matches(node)) continue;
    if (prebound) return pv;
    if (!best || pv->capacity_storage < best->capacity_storage) best = pv;
  }
  return best;
}

// Chooses a PV per claim to bind on `node` (null: left to the provisioner);
// false when a claim has none and cannot be provisioned.
bool ChooseVolumes(const PreFilterState& s, const Node& node, std::vector<PVPtr>* chosen) {
  std::vector<PVPtr> taken;
  for (size_t i = 0; i < s.to_bind.size(); ++i) {
    PVPtr pv = FindVolume(s, *s.to_bind[i], node, taken);
    if (!pv) {
      // A class with a real provisioner can create the volume where the pod lands.
      if (s.provisioner[i].empty() || s.provisioner[i] == "kubernetes.io/no-provisioner") return false;
    } else {
      taken.push_back(pv);
    }
    chosen->push_back(pv);
  }
  return true;
}

}  // namespace

common::Result<std::unique_ptr<Plugin>> VolumeBinding::New(const common::Json& args, const std::string& field,
                                                           Framework* fw) {
  RETURN_IF_ERROR(CheckArgsFields(args, field, {"bindTimeoutSeconds", "shape"}));
  if (args.contains("bindTimeoutSeconds") && common::GetInt(args, "bindTimeoutSeconds", 0) < 0)
    return common::Status::Invalid(field + ".bindTimeoutSeconds: Invalid value: " +
                                   common::DumpJson(args["bindTimeoutSeconds"]) + ": invalid BindTimeoutSeconds, should not be a negative value");
  return std::unique_ptr<Plugin>(std::make_unique<VolumeBinding>(fw));
}

Status VolumeBinding::PreFilter(CycleState& state, const Pod& pod, PreFilterResult*) {
  if (pod.pvc_names.empty()) return Status::Skip();
  auto s = std::make_unique<PreFilterState>();
  ObjectStore& store = fw_->objects();
  for (const auto& name : pod.pvc_names) {
    PVCPtr pvc = store.GetPVC(pod.ns, name);
    if (!pvc) return Status(Code::kUnschedulableAndUnresolvable, "persistentvolumeclaim \"" + name + "\" not found");
    if (pvc->deleting)
      return Status(Code::kUnschedulableAndUnresolvable, "persistentvolumeclaim \"" + name + "\" is being deleted");
    if (!pvc->volume_name.empty()) {
      s->bound.push_back(pvc);
      continue;
    }
    std::shared_ptr<const StorageClass> sc;
    if (pvc->storage_class && !pvc->storage_class->empty()) sc = store.GetStorageClass(*pvc->storage_class);
    if (!sc || !sc->wait_for_first_consumer)
      return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReasonUnboundImmediate);
    s->to_bind.push_back(pvc);
    s->provisioner.push_back(sc->provisioner);
  }
  if (!s->to_bind.empty()) s->pvs = store.ListPVs();
  state.set_prefilter(slot(), std::move(s));
  return Status();
}

Status VolumeBinding::Filter(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  const Node& n = *node.node();
  std::vector<std::string> reasons;
  for (const auto& pvc : s->bound) {
    PVPtr pv = fw_->objects().GetPV(pvc->volume_name);
    if (!pv) return SCHEDULE_REJECT(Code::kUnschedulableAndUnresolvable, kErrReasonPVNotExist);
    if (pv->node_affinity && !pv->node_affinity->Matches(n)) {
      reasons.push_back(kErrReasonNodeConflict);
      break;
    }
  }
  std::vector<PVPtr> chosen;
  if (!s->to_bind.empty() && !ChooseVolumes(*s, n, &chosen)) reasons.push_back(kErrReasonBindConflict);
  if (reasons.empty()) return Status();
  return Status(Code::kUnschedulableAndUnresolvable, std::move(reasons));
}

std::string VolumeBinding::Explain(const CycleState& state, const Pod&, const NodeInfo& node) const {
  const auto* s = static_cast<const PreFilterState*>(state.prefilter(slot()));
  if (!s) return "";
  for (const auto& pvc : s->bound) {
    PVPtr pv = fw_->objects().GetPV(pvc->volume_name);
    if (!pv) return "claim " + pvc->name + " is bound to missing PersistentVolume " + pvc->volume_name;
    if (pv->node_affinity && !pv->node_affinity->Matches(*node.node()))
      return "claim " + pvc->name + " is bound to PersistentVolume " + pv->name + " whose node affinity excludes this node";
  }
  std::vector<PVPtr> chosen;
  if (!ChooseVolumes(*s, *node.node(), &chosen)) return "no available PersistentVolume for the unbound claim(s) on this node";
  return "";
}

Status VolumeBinding::Reserve(CycleState& state, const Pod& pod, const std::string& node) {
  auto* s = static_cast<PreFilterState*>(state.prefilter(slot()));
  if (!s || s->to_bind.empty()) return Status();
  NodeInfo* ni = fw_->snapshot().Get(node);
  if (!ni) return Status(Code::kError, "node \"" + node + "\" not found");
  std::vector<PVPtr> chosen;
  if (!ChooseVolumes(*s, *ni->node(), &chosen)) return SCHEDULE_REJECT(Code::kUnschedulable, kErrReasonBindConflict);
  for (size_t i = 0; i < chosen.size(); ++i) {
    if (!chosen[i]) continue;  // left to the provisioner
    fw_->objects().AssumeClaim(chosen[i]->name, pod.ns, s->to_bind[i]->name);
    s->reserved.push_back(chosen[i]);
  }
  return Status();
}

void VolumeBinding::Unreserve(CycleState& state, const Pod&, const std::string&) {
  auto* s = static_cast<PreFilterState*>(state.prefilter(slot()));
  if (!s) return;
  for (const auto& pv : s->reserved) fw_->objects().ForgetClaim(pv->name);
  s->reserved.clear();
}

std::vector<ClusterEvent> VolumeBinding::EventsToRegister() const {
  return {{EventResource::kPersistentVolumeClaim, kAdd | kUpdate},
          {EventResource::kPersistentVolume, kAdd | kUpdate},
          {EventResource::kStorageClass, kAdd | kUpdate},
          {EventResource::kNode, kAdd | kUpdateNodeLabel | kUpdateNodeTaint}};
}

}  // namespace schedule
