// Decoding of Kubernetes JSON objects into the scheduler's typed model. Every
// error names the object and the field: `Pod "default/web":
// spec.containers[0].resources.requests.cpu: Invalid value: "x": ...`.
// The decoders apply the defaults kube-apiserver would have applied to an
// object it stored (requests from limits, allocatable from capacity, the
// default scheduler name), so manifests read the same as live objects.
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "model/types.h"

namespace schedule {

// Upstream's normalizedImageName: appends ":latest" when the name has no tag.
std::string NormalizedImageName(std::string_view image);

// "Pod \"ns/name\"" (or "Node \"name\"") for messages about `obj`.
std::string DescribeObject(const common::Json& obj);

// Decodes a v1 Pod. `priority` is spec.priority when set; resolving
// spec.priorityClassName is the caller's job (see ObjectStore::ResolvePriority).
// Returns Invalid naming the field on malformed input.
common::Result<Pod> ParsePod(const common::Json& obj);
// True when the pod JSON carries spec.priority.
bool PodHasSpecPriority(const common::Json& obj);

common::Result<Node> ParseNode(const common::Json& obj);
common::Result<PersistentVolumeClaim> ParsePersistentVolumeClaim(const common::Json& obj);
common::Result<PersistentVolume> ParsePersistentVolume(const common::Json& obj);
common::Result<StorageClass> ParseStorageClass(const common::Json& obj);
common::Result<PriorityClass> ParsePriorityClass(const common::Json& obj);
common::Result<PodDisruptionBudget> ParsePodDisruptionBudget(const common::Json& obj);
common::Result<Namespace> ParseNamespace(const common::Json& obj);
// Service, ReplicationController, ReplicaSet or StatefulSet.
common::Result<WorkloadSelector> ParseWorkloadSelector(const common::Json& obj);

// A v1 NodeSelector ({"nodeSelectorTerms": [...]}), validated as upstream
// validates pods' node affinity. `field` prefixes errors.
common::Result<NodeSelector> ParseNodeSelector(const common::Json& obj, const std::string& field);
common::Result<NodeSelectorTerm> ParseNodeSelectorTerm(const common::Json& obj,
                                                       const std::string& field);
// A metav1.LabelSelector; nil gives Nothing() (upstream's LabelSelectorAsSelector(nil)).
common::Result<common::LabelSelector> ParseLabelSelectorOrNothing(const common::Json& obj,
                                                                  const std::string& field);

}  // namespace schedule
