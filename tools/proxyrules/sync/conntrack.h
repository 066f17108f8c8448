// Clearing stale UDP conntrack entries after endpoints change. A UDP "flow"
// lives on in conntrack after its endpoint is gone, and keeps DNATing to it
// (kubernetes#19029, #125467); one created while a service had no endpoints
// keeps being rejected after endpoints appear (#48370).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "../model/model.h"

namespace proxyrules {

// What a UDP service port's conntrack entries can point at.
struct UdpPortState {
  std::vector<std::string> vips;  // cluster IP, external IPs, load balancer IPs
  int port = 0;
  int node_port = 0;
  std::set<std::string> endpoints;  // IPs of the endpoints the rules send to
};

// The UDP ports of `services` (nullptr: all) as the model has them now.
std::map<ServicePortName, UdpPortState> UdpState(const Model& model, const std::string& zone,
                                                 const std::set<NamespacedName>* services);

// The conntrack(8) deletions that clear what changed from `before` to `after`
// for the ports in `scope` (nullptr: all): entries DNATed to a removed
// endpoint, and un-NATed entries of a port that had no endpoint before.
// Each is an argument list for "conntrack".
std::vector<std::vector<std::string>> StaleUdpDeletions(
    const std::map<ServicePortName, UdpPortState>& before,
    const std::map<ServicePortName, UdpPortState>& after, const std::set<NamespacedName>* scope);

// Runs the deletions (conntrack -D ...); failures are logged, not returned:
// a missing conntrack tool must not fail a sync.
void RunConntrackDeletions(const std::vector<std::vector<std::string>>& deletions);

}  // namespace proxyrules
