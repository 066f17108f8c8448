// Volumes on the node: each of a pod's volumes becomes a host directory or
// file under the pod's state directory (emptyDir, downwardAPI, configMap,
// secret), or a checked host path (hostPath), that containers bind-mount at
// their mountPaths. The layout follows the kubelet's
// pods/<uid>/volumes/kubernetes.io~<plugin>/<name>.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "common/json.h"
#include "common/status.h"
#include "podspec.h"

namespace nodeagent {

struct PreparedVolume {
  std::string name;
  std::string host_path;
  bool read_only = false;  // configMap, secret, downwardAPI and projected are always read-only
};

// Looks up API objects a volume refers to (ConfigMaps and Secrets); nullopt
// when the object does not exist. Without an API server none do.
using ObjectLookup =
    std::function<common::Result<std::optional<common::Json>>(const std::string& kind,
                                                              const std::string& ns,
                                                              const std::string& name)>;

// What volumes may read about the pod beyond its spec (downward API).
struct DownwardContext {
  std::string pod_ip, host_ip, node_name;
  int64_t node_allocatable_cpu_milli = 0;
  int64_t node_allocatable_memory = 0;
};

// Sets up every volume of `pod` under `pod_dir`. Idempotent (files are
// rewritten, directories kept). Errors read like the kubelet's events:
// `MountVolume.SetUp failed for volume "data" : hostPath type check failed:
// /srv is not a directory`.
common::Result<std::map<std::string, PreparedVolume>> PrepareVolumes(
    const PodSpec& pod, const std::string& pod_dir, const DownwardContext& ctx,
    const ObjectLookup& lookup);

// Undoes what PrepareVolumes mounted on the host (memory-backed emptyDirs).
void UnmountVolumes(const std::string& pod_dir);

// The value of a downward API fieldRef path ("metadata.name",
// "metadata.labels['app']", "status.podIP", ...). InvalidArgument-style
// BadRequest for an unsupported path.
common::Result<std::string> FieldRefValue(const PodSpec& pod, const DownwardContext& ctx,
                                          const std::string& path);

// The value of a resourceFieldRef ("limits.cpu", "requests.memory", ...)
// for `container`, divided by `divisor` and rounded up as upstream; an unset
// limit reads as the node's allocatable.
common::Result<std::string> ResourceFieldValue(const PodSpec& pod, const DownwardContext& ctx,
                                               const std::string& container,
                                               const std::string& resource,
                                               const common::Json& divisor);

}  // namespace nodeagent
