// A pod's v1.PodStatus computed from what the node knows about it, as the
// kubelet's generateAPIPodStatus does: phase (getPhase), conditions,
// container statuses with state/lastState, IPs, QoS class.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/timeutil.h"
#include "podspec.h"
#include "runtime.h"

namespace nodeagent {

// The node's view of one container.
struct ContainerView {
  const ContainerSpec* spec = nullptr;
  std::optional<ContainerStatus> current;  // latest instance
  std::optional<ContainerStatus> last;     // the one before it
  // Set when the container is not running and will be (re)started: the
  // Waiting reason (ContainerCreating, PodInitializing, CrashLoopBackOff,
  // CreateContainerConfigError, ErrImagePull, RunContainerError...).
  std::string waiting_reason, waiting_message;
  bool restart_pending = false;
  bool ready = false;
  bool started = false;
  int restart_count = 0;
};

struct PodView {
  const PodSpec* pod = nullptr;
  std::vector<ContainerView> init, regular;
  bool sandbox_ready = false;
  // Phase decided outside the containers (admission rejection, eviction,
  // activeDeadlineSeconds): Failed with reason and message.
  std::string forced_phase, reason, message;
  std::string pod_ip, host_ip;
  std::optional<common::TimePoint> start_time;
  // The worker finished terminating the pod: no container runs any more.
  bool terminal = false;
  std::string runtime_name = "kubix";
};

// upstream's getPhase over the container views.
std::string PodPhase(const PodView& v);

// The whole status. `previous` (the last status built or read from the API)
// provides lastTransitionTime of conditions whose status did not change,
// and conditions the node does not own (PodScheduled, DisruptionTarget...).
common::Json BuildPodStatus(const PodView& v, const common::Json& previous, common::TimePoint now);

// One containerStatuses entry.
common::Json BuildContainerStatus(const ContainerView& c, const std::string& runtime_name);

}  // namespace nodeagent
