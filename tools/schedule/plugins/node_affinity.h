// NodeAffinity: Filter enforces spec.nodeSelector and required node affinity
// (every operator, matchFields on metadata.name), PreFilter narrows to the
// nodes named by matchFields; Score sums the weights of matching preferred
// terms. Args: NodeAffinityArgs.addedAffinity. Default weight 2.
#pragma once

#include <optional>

#include "framework/framework.h"

namespace schedule {

class NodeAffinity : public PreFilterPlugin, public FilterPlugin, public PreScorePlugin, public ScorePlugin {
 public:
  static constexpr char kName[] = "NodeAffinity";
  static constexpr char kErrReasonPod[] = "node(s) didn't match Pod's node affinity/selector";
  static constexpr char kErrReasonEnforced[] = "node(s) didn't match scheduler-enforced node affinity";
  static constexpr char kErrReasonConflict[] = "pod affinity terms conflict";

  static common::Result<std::unique_ptr<Plugin>> New(const common::Json& args, const std::string& field,
                                                     Framework* fw);

  std::string_view Name() const override { return kName; }
  Status PreFilter(CycleState& state, const Pod& pod, PreFilterResult* result) override;
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::string Explain(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  Status PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  bool HasNormalize() const override { return true; }
  void NormalizeScore(const CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes,
                      std::vector<int64_t>& scores) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;

 private:
  std::optional<NodeSelector> added_required_;
  std::vector<PreferredSchedulingTerm> added_preferred_;
};

}  // namespace schedule
