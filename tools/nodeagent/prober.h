// Runs probe and lifecycle handlers against a container: exec (inside the
// container, pass on exit 0), httpGet (pass on 200-399, as kube-probe),
// tcpSocket (pass when the connection opens), sleep (hooks only).
#pragma once

#include <chrono>
#include <string>

#include "podspec.h"
#include "probe.h"
#include "runtime.h"

namespace nodeagent {

struct HandlerOutcome {
  ProbeResult result = ProbeResult::kUnknown;
  std::string output;  // the probe's output or why it failed, for events and logs
};

// Runs `h` for container `c` (instance `cs`) of pod `pod` whose IP is
// `pod_ip`, giving up after `timeout`. Blocks; call from a worker thread.
HandlerOutcome RunHandler(Runtime& runtime, const PodSpec& pod, const ContainerSpec& c,
                          const ContainerStatus& cs, const Handler& h, const std::string& pod_ip,
                          std::chrono::milliseconds timeout);

// Resolves a port reference (a number, or the name of one of `c`'s ports);
// 0 when a name does not resolve.
int ResolvePort(const ContainerSpec& c, const PortRef& port);

}  // namespace nodeagent
