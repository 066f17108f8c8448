// NodeResourcesFit: Filter rejects nodes without room for the pod's
// effective request (cpu, memory, ephemeral-storage, pod count, extended
// resources); Score ranks nodes by LeastAllocated (default), MostAllocated
// or RequestedToCapacityRatio. Args: NodeResourcesFitArgs. Default weight 1.
#pragma once

#include <set>

#include "framework/framework.h"
#include "plugins/resource_allocation.h"

namespace schedule {

// One resource a node lacks for a pod (upstream's InsufficientResource).
struct InsufficientResource {
  std::string resource;
  std::string reason;
  int64_t requested = 0;
  int64_t used = 0;
  int64_t capacity = 0;
  // The pod asks for more than the whole node offers: preemption cannot help.
  bool unresolvable = false;
};

// Upstream's Fits without ignored resources: what `pod` lacks on `node`.
std::vector<InsufficientResource> InsufficientResources(const Pod& pod, const NodeInfo& node,
                                                        const std::set<std::string>& ignored = {},
                                                        const std::set<std::string>& ignored_groups = {});

class NodeResourcesFit : public PreFilterPlugin, public FilterPlugin, public PreScorePlugin, public ScorePlugin {
 public:
  static constexpr char kName[] = "NodeResourcesFit";
  enum class Strategy { kLeastAllocated, kMostAllocated, kRequestedToCapacityRatio };

  static common::Result<std::unique_ptr<Plugin>> New(const common::Json& args, const std::string& field,
                                                     Framework* fw);
  NodeResourcesFit();

  std::string_view Name() const override { return kName; }
  Status PreFilter(CycleState& state, const Pod& pod, PreFilterResult* result) override;
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::string Explain(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  Status PreScore(CycleState& state, const Pod& pod, const std::vector<NodeInfo*>& nodes) override;
  int64_t Score(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;

  Strategy strategy() const { return strategy_; }

 private:
  Strategy strategy_ = Strategy::kLeastAllocated;
  std::vector<ResourceSpec> resources_ = DefaultResourceSpecs();
  // RequestedToCapacityRatio shape: (utilization 0-100, score 0-100).
  std::vector<std::pair<int64_t, int64_t>> shape_;
  std::set<std::string> ignored_;
  std::set<std::string> ignored_groups_;
  // Rejections for each combination of pods/cpu/memory/ephemeral-storage
  // (bit mask), Unschedulable then UnschedulableAndUnresolvable (+16).
  Status prebuilt_[32];
};

}  // namespace schedule
