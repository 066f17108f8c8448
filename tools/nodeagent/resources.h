// Pod-level resource totals and the node's capacity, as the scheduler and
// the kubelet's admission compute them (k8s.io/component-helpers resource).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/quantity.h"
#include "common/status.h"
#include "podspec.h"

namespace nodeagent {

using ResourceList = std::map<std::string, common::Quantity>;

// The pod's effective requests: the sum over containers (plus sidecars),
// or the largest init container's (plus the sidecars started before it),
// whichever is larger, per resource. The same rule gives PodLimits.
ResourceList PodRequests(const PodSpec& pod);
ResourceList PodLimits(const PodSpec& pod);

// Shorthands: millicores and bytes of a list; 0 when absent.
int64_t MilliCpu(const ResourceList& r);
int64_t MemoryBytes(const ResourceList& r);

// Parses "cpu=4,memory=8Gi,pods=110" (the --capacity flag). Unknown
// resource names are allowed (extended resources).
common::Result<ResourceList> ParseResourceList(const std::string& text);

// "cpu=2,memory=4Gi" in key order, for logs and messages.
std::string FormatResourceList(const ResourceList& r);

}  // namespace nodeagent
