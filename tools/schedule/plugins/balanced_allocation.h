// NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory (or
// the configured resources) would be used in similar fractions:
// score = (1 - std of the fractions) * 100. Skipped for pods that request
// nothing. Args: NodeResourcesBalancedAllocationArgs. Default weight 1.
#pragma once

#include "framework/framework.h"
#include "plugins/resource_allocation.h"

namespace schedule {

class BalancedAllocation : public PreScorePlugin, public ScorePlugin {
 public:
  static constexpr char kName[] = "NodeResourcesBalancedAllocation";

  static common::Result<std::unique_ptr<Plugin>> New(const common::Json& args, const std::string& field,
                                                     Framework* fw);

  std::string_view Name() const override { return kName; }
  Status PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;

 private:
  std::vector<ResourceSpec> resources_ = DefaultResourceSpecs();
};

}  // namespace schedule
