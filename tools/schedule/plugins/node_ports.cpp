#include "plugins/node_ports.h"

namespace schedule {

Status NodePorts::PreFilter(CycleState&, const Pod& pod, PreFilterResult*) {
  if (pod.host_ports.empty()) return Status::Skip();
  return Status();
}

Status NodePorts::Filter(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  for (const auto& p : pod.host_ports)
    if (node.used_ports().CheckConflict(p)) return SCHEDULE_REJECT(Code::kUnschedulable, kErrReason);
  return Status();
}

std::string NodePorts::Explain(const CycleState&, const Pod& pod, const NodeInfo& node) const {
  for (const auto& p : pod.host_ports)
    if (node.used_ports().CheckConflict(p))
      return "hostPort " + p.host_ip + ":" + std::to_string(p.port) + "/" + p.protocol + " is in use";
  return "";
}

std::vector<ClusterEvent> NodePorts::EventsToRegister() const {
  return {{EventResource::kAssignedPod, kDelete}, {EventResource::kNode, kAdd}};
}

}  // namespace schedule
