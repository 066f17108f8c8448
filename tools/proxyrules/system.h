// The bits of the running system kube-proxy consults: local addresses and
// sysctls (of the current network namespace).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/ip.h"

namespace proxyrules {

// Every address configured on a local interface (getifaddrs).
common::Result<std::vector<IP>> LocalAddresses();

// The integer in /proc/sys/<path> ("net/ipv4/conf/all/route_localnet"), or
// nullopt when it cannot be read.
std::optional<int> ReadSysctl(const std::string& path);

// Writes `value` to /proc/sys/<path> unless it already holds it.
common::Status EnsureSysctl(const std::string& path, int value);

}  // namespace proxyrules
