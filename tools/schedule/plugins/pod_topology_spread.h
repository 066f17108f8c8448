// PodTopologySpread: Filter enforces DoNotSchedule constraints (maxSkew
// against the global minimum of eligible domains, minDomains,
// nodeAffinityPolicy / nodeTaintsPolicy); Score prefers domains with fewer
// matching pods for ScheduleAnyway constraints, including upstream's system
// default constraints for pods of Services and controllers.
// Args: PodTopologySpreadArgs. Default weight 2.
#pragma once

#include "framework/framework.h"

namespace schedule {

class PodTopologySpread : public PreFilterPlugin, public FilterPlugin, public PreScorePlugin, public ScorePlugin {
 public:
  static constexpr char kName[] = "PodTopologySpread";
  static constexpr char kErrReasonConstraintsNotMatch[] = "node(s) didn't match pod topology spread constraints";
  static constexpr char kErrReasonNodeLabelNotMatch[] =
      "node(s) didn't match pod topology spread constraints (missing required label)";

  static common::Result<std::unique_ptr<Plugin>> New(const common::Json& args, const std::string& field,
                                                     Framework* fw);
  explicit PodTopologySpread(Framework* fw) : fw_(fw) {}

  std::string_view Name() const override { return kName; }
  Status PreFilter(CycleState& state, const Pod& pod, PreFilterResult* result) override;
  bool HasExtensions() const override { return true; }
  Status AddPod(CycleState& state, const Pod& to_schedule, const PodPtr& to_add,
                const NodeInfo& node) const override;
  Status RemovePod(CycleState& state, const Pod& to_schedule, const Pod& to_remove,
                   const NodeInfo& node) const override;
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::string Explain(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  Status PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  bool HasNormalize() const override { return true; }
  void NormalizeScore(const CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes,
                      std::vector<int64_t>& scores) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;

 private:
  // The pod's constraints for one whenUnsatisfiable action, or the default
  // constraints with the pod's derived selector.
  std::vector<SpreadConstraint> Constraints(const Pod& pod, bool do_not_schedule) const;

  Framework* fw_;
  std::vector<SpreadConstraint> default_constraints_;
  bool system_defaulted_ = true;
};

}  // namespace schedule
