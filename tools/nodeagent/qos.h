// Pod QoS classes and the OOM score adjustments the kubelet gives containers
// (pkg/apis/core/v1/helper/qos, pkg/kubelet/qos/policy.go).
#pragma once

#include <cstdint>
#include <string>

#include "podspec.h"

namespace nodeagent {

enum class QosClass { kGuaranteed, kBurstable, kBestEffort };

// "Guaranteed", "Burstable", "BestEffort" as status.qosClass spells them.
const char* QosName(QosClass q);

// Guaranteed: every container (init ones included) has cpu and memory limits
// and its requests equal them; BestEffort: no cpu or memory request or limit
// anywhere; Burstable: everything else.
QosClass PodQos(const PodSpec& pod);

inline constexpr int kGuaranteedOomScoreAdj = -997;
inline constexpr int kBestEffortOomScoreAdj = 1000;
inline constexpr int kKubeletOomScoreAdj = -999;

// True for pods upstream treats as node-critical (priorityClassName
// system-node-critical): they get the Guaranteed score whatever their QoS.
bool IsNodeCritical(const PodSpec& pod);

// oom_score_adj for `container` of `pod` on a node with `memory_capacity`
// bytes: -997 Guaranteed, 1000 BestEffort, and for Burstable
// 1000 - 1000*request/capacity clamped to [3, 999].
int ContainerOomScoreAdj(const PodSpec& pod, const ContainerSpec& container,
                         int64_t memory_capacity);

}  // namespace nodeagent
