// The kubelet's pod admission (pkg/kubelet/lifecycle/predicate.go): before
// running a pod the node re-checks what the scheduler checked against the
// pods it already runs — the optimistic-concurrency story of the seed — and
// fails a pod that no longer fits with upstream's reason.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "podspec.h"
#include "resources.h"

namespace nodeagent {

struct Taint {
  std::string key, value, effect;
};

struct NodeState {
  std::string name;
  std::map<std::string, std::string> labels;
  std::vector<Taint> taints;
  ResourceList allocatable;  // "cpu", "memory", "pods", extended resources
  bool memory_pressure = false;
};

struct Admission {
  bool admitted = true;
  std::string reason;   // OutOfcpu, OutOfmemory, OutOfpods, NodeAffinity, NodePorts, ...
  std::string message;
};

// Checks `pod` against `node` with `admitted` (the pods already accepted
// and not yet terminated) using upstream's order: the eviction manager's
// memory-pressure check, OS, node name, resources, node affinity, host
// ports, then NoExecute taints (skipped for static pods).
Admission AdmitPod(const PodSpec& pod, const std::vector<const PodSpec*>& admitted,
                   const NodeState& node, bool is_static);

// Whether `pod`'s nodeSelector and required node affinity match `node`.
bool MatchesNodeAffinity(const PodSpec& pod, const NodeState& node);
// Whether `tolerations` tolerate `taint`.
bool Tolerates(const std::vector<Toleration>& tolerations, const Taint& taint);
// Parses --register-with-taints ("key=value:Effect,key:Effect").
common::Result<std::vector<Taint>> ParseTaints(const std::string& text);

}  // namespace nodeagent
