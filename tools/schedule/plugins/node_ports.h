// NodePorts: rejects nodes where a hostPort the pod asks for (regular
// containers and sidecars) is already taken on a conflicting IP.
#pragma once

#include "framework/framework.h"

namespace schedule {

class NodePorts : public PreFilterPlugin, public FilterPlugin {
 public:
  static constexpr char kName[] = "NodePorts";
  static constexpr char kErrReason[] = "node(s) didn't have free ports for the requested pod ports";

  std::string_view Name() const override { return kName; }
  Status PreFilter(CycleState& state, const Pod& pod, PreFilterResult* result) override;
  Status Filter(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::string Explain(const CycleState& state, const Pod& pod, const NodeInfo& node) const override;
  std::vector<ClusterEvent> EventsToRegister() const override;
};

}  // namespace schedule
