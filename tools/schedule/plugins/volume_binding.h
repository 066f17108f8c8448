// VolumeBinding for PersistentVolumeClaims: a pod whose claim is bound to a
// PersistentVolume with node affinity (a local PV) only goes to nodes that
// affinity selects; a WaitForFirstConsumer claim needs a matching available
// PV on the node (or a dynamic provisioner). Reserve records the chosen PV
// so later pods do not take it.
#pragma once

#include "framework/framework.h"

namespace schedule {

class VolumeBinding : public PreFilterPlugin, public FilterPlugin, public ReservePlugin {
 public:
  static constexpr char kName[] = "VolumeBinding";
  static constexpr char kErrReasonBindConflict[] = "node(s) didn't find available persistent volumes to bind";
  // Upstream's wording since 1.33 (was "node(s) had volume node affinity conflict").
  static constexpr char kErrReasonNodeConflict[] = "node(s) didn't match PersistentVolume's node affinity";
  static constexpr char kErrReasonPVNotExist[] =
      "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
  static constexpr char kErrReasonUnboundImmediate[] = "pod has unbound immediate PersistentVolumeClaims";

  static common::Result<std::unique_ptr<Plugin>> New(const common::Json& args, const std::string& field,
                                                     Framework* fw);
  explicit VolumeBinding(Framework* fw) : fw_(fw) {}

  std::string_view Name() const override { return kName; }
  Status PreFilter(CycleState& state, const Pod& pod, PreFilterResult* result) override;
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::string Explain(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  Status Reserve(CycleState& state, const Pod& pod, const std::string& node) override;
  void Unreserve(CycleState& state, const Pod& pod, const std::string& node) override;
  std::vector<ClusterEvent> EventsToRegister() const override;

 private:
  Framework* fw_;
};

}  // namespace schedule
