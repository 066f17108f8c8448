// The kubelet's pod admission (pkg/kubelet/lifecycle/predicate.go): before
// running a pod the node re-checks what the scheduler checked against the
// pods it already runs — the optimistic-concurrency story of the seed — and
// fails a pod that no longer fits with upstream's reason.
#pragma once

#include <map>
#include <tuple>
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

// What admission reads of a pod already admitted: its requests and the host
// ports it holds. The agent keeps one per admitted pod (tens of bytes where
// a PodSpec copy is ≈ 2.6 KB: 130 MB with 50,000 fake pods).
struct AdmittedPod {
  ResourceList requests;
  // (protocol, host IP with "0.0.0.0" for any, port) of every hostPort.
  std::vector<std::tuple<std::string, std::string, int>> host_ports;
};
AdmittedPod SummarizeForAdmission(const PodSpec& pod);
// AdmitPod against summaries of the admitted pods.
Admission AdmitPodAgainst(const PodSpec& pod, const std::vector<const AdmittedPod*>& admitted,
                          const NodeState& node, bool is_static);

// Whether `pod`'s nodeSelector and required node affinity match `node`.
bool MatchesNodeAffinity(const PodSpec& pod, const NodeState& node);
// Whether `tolerations` tolerate `taint`.
bool Tolerates(const std::vector<Toleration>& tolerations, const Taint& taint);
// Parses --register-with-taints ("key=value:Effect,key:Effect").
common::Result<std::vector<Taint>> ParseTaints(const std::string& text);

}  // namespace nodeagent
