// InterPodAffinity: Filter enforces the pod's required affinity and
// anti-affinity by topologyKey, and existing pods' required anti-affinity
// against the pod; Score sums preferred (anti-)affinity weights per topology
// domain, both directions, plus existing pods' required affinity at
// hardPodAffinityWeight. Args: InterPodAffinityArgs. Default weight 2.
#pragma once

#include "framework/framework.h"
#include "plugins/topology_counts.h"

namespace schedule {

class InterPodAffinity : public PreFilterPlugin, public FilterPlugin, public PreScorePlugin, public ScorePlugin {
 public:
  static constexpr char kName[] = "InterPodAffinity";
  static constexpr char kErrReasonExistingAntiAffinity[] =
      "node(s) didn't satisfy existing pods anti-affinity rules";
  static constexpr char kErrReasonAffinity[] = "node(s) didn't match pod affinity rules";
  static constexpr char kErrReasonAntiAffinity[] = "node(s) didn't match pod anti-affinity rules";

  static common::Result<std::unique_ptr<Plugin>> New(const common::Json& args, const std::string& field,
                                                     Framework* fw);
  explicit InterPodAffinity(Framework* fw) : fw_(fw) {}

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
  // The pod's terms with non-empty namespace selectors resolved to names.
  AffinityTerm Resolve(const AffinityTerm& t) const;

  Framework* fw_;
  int32_t hard_pod_affinity_weight_ = 1;
  bool ignore_preferred_of_existing_ = false;
};

}  // namespace schedule
