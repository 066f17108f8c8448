// VolumeZone: a pod whose bound PersistentVolumes carry zone/region labels
// only goes to nodes in those zones (nodes without any topology label pass,
// as in single-zone clusters).
#pragma once

#include "framework/framework.h"

namespace schedule {

class VolumeZone : public PreFilterPlugin, public FilterPlugin {
 public:
  static constexpr char kName[] = "VolumeZone";
  static constexpr char kErrReasonConflict[] = "node(s) had no available volume zone";
  explicit VolumeZone(Framework* fw) : fw_(fw) {}

  std::string_view Name() const override { return kName; }
  Status PreFilter(CycleState& state, const Pod& pod, PreFilterResult* result) override;
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;

 private:
  Framework* fw_;
};

// VolumeRestrictions, the ReadWriteOncePod part: a claim with that access
// mode used by a pod anywhere keeps other pods using it unschedulable.
// (Upstream's inline-disk conflict checks for GCE PD, EBS, RBD and iSCSI
// volumes are not implemented.)
class VolumeRestrictions : public PreFilterPlugin, public FilterPlugin {
 public:
  static constexpr char kName[] = "VolumeRestrictions";
  static constexpr char kErrReasonReadWriteOncePodConflict[] =
      "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
  explicit VolumeRestrictions(Framework* fw) : fw_(fw) {}

  std::string_view Name() const override { return kName; }
  Status PreFilter(CycleState& state, const Pod& pod, PreFilterResult* result) override;
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;

 private:
  Framework* fw_;
};

}  // namespace schedule
