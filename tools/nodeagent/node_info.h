// What the node is: its name, addresses, machine capacity and system
// information, as the kubelet reports them in the Node object.
#pragma once

#include <cstdint>
#include <string>

#include "common/json.h"
#include "resources.h"

namespace nodeagent {

struct MachineInfo {
  std::string hostname;       // lower-cased host name
  int64_t cpu_milli = 0;      // online CPUs usable by this process, in millicores
  int64_t memory_bytes = 0;   // MemTotal
  int64_t ephemeral_bytes = 0;  // size of the file system holding --root-dir
  std::string kernel_version, os_image, architecture, boot_id, machine_id;
};

// Reads /proc, uname and statvfs(root_dir).
MachineInfo DetectMachine(const std::string& root_dir);

// The first global IPv4 address of an up, non-loopback interface; "" if none.
std::string DetectNodeIp();

// Kubernetes' GOARCH name for the machine ("amd64", "arm64").
std::string GoArch(const std::string& uname_machine);

// Capacity from the machine with --capacity entries taking precedence;
// "pods" from --max-pods unless given in --capacity.
ResourceList NodeCapacity(const MachineInfo& m, const ResourceList& overrides, int max_pods);

}  // namespace nodeagent
