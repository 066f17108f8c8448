// TaintToleration: Filter rejects nodes with a NoSchedule/NoExecute taint the
// pod does not tolerate; Score prefers nodes with fewer untolerated
// PreferNoSchedule taints. Default weight 3.
#pragma once

#include "framework/framework.h"

namespace schedule {

class TaintToleration : public FilterPlugin, public PreScorePlugin, public ScorePlugin {
 public:
  static constexpr char kName[] = "TaintToleration";
  // Since upstream PR #134740 the taint itself is only logged; --explain shows it.
  static constexpr char kErrReason[] = "node(s) had untolerated taint(s)";

  std::string_view Name() const override { return kName; }
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::string Explain(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  Status PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  bool HasNormalize() const override { return true; }
  void NormalizeScore(const CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes,
                      std::vector<int64_t>& scores) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;
};

}  // namespace schedule
