// The Node object the kubelet registers and the status it reports:
// capacity, allocatable, conditions (Ready, MemoryPressure, DiskPressure,
// PIDPressure) with upstream's reasons and messages, addresses, daemon
// endpoints, nodeInfo and images. Pure: the heartbeat code decides when to
// send it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "admission.h"
#include "common/json.h"
#include "common/timeutil.h"
#include "node_info.h"
#include "resources.h"

namespace nodeagent {

inline constexpr const char* kKubeletVersion = "v1.32.0-kubix";

struct NodeReport {
  std::string name;
  std::map<std::string, std::string> labels;
  std::vector<Taint> taints;
  ResourceList capacity, allocatable;
  std::string internal_ip;
  int port = 10250;
  MachineInfo machine;
  std::string runtime_version = "kubix://0.1.0";
  common::Json images = common::Json::array();
  bool memory_pressure = false, disk_pressure = false, pid_pressure = false;
  // Ready=False with this message when set (e.g. the pod network has no CIDR yet).
  std::string not_ready_message;
  // --pod-cidr, asked for in spec.podCIDR(s) when the node registers (empty: none).
  std::string pod_cidr;
};

// The object POSTed when the node registers (metadata, spec.taints,
// spec.podCIDR(s) from r.pod_cidr, status).
common::Json NodeObject(const NodeReport& r, common::TimePoint now);

// The status, keeping lastTransitionTime of conditions whose status did not
// change since `previous` (a status this function built, or the server's).
// lastHeartbeatTime is `now` for every condition.
common::Json NodeStatus(const NodeReport& r, const common::Json& previous, common::TimePoint now);

// Whether two statuses differ in anything but heartbeat times (the kubelet
// posts at once on a change, otherwise only every report period).
bool NodeStatusChanged(const common::Json& a, const common::Json& b);

// A quantity list as the API writes it ({"cpu":"2","memory":"8Gi",...}).
common::Json ResourceListJson(const ResourceList& r);

}  // namespace nodeagent
