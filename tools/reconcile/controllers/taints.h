// Taints and tolerations as the node lifecycle controller and the NoExecute
// taint manager use them.
#pragma once

#include <optional>

#include "../kube.h"

namespace reconcile {

inline constexpr char kTaintNotReady[] = "node.kubernetes.io/not-ready";
inline constexpr char kTaintUnreachable[] = "node.kubernetes.io/unreachable";

// Toleration.ToleratesTaint: effect empty or equal; key empty with Exists
// matches every key, else keys equal and (Exists, or Equal with equal values).
bool Tolerates(const Json& toleration, const Json& taint);

// When the pod must leave a node with these taints (the NoExecute taint
// manager's rule): nullopt if it tolerates every NoExecute taint forever;
// the epoch (time 0) if some NoExecute taint is not tolerated at all; else
// the latest time a taint was added plus the shortest tolerationSeconds of
// the tolerations used.
std::optional<common::TimePoint> EvictionTime(const Json& pod, const Json& taints,
                                              common::TimePoint now);

// The node's taints (spec.taints) as an array (empty when none).
Json TaintsOf(const Json& node);
bool HasTaint(const Json& taints, std::string_view key, std::string_view effect);

}  // namespace reconcile
