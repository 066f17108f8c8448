// EndpointSlices (discovery.k8s.io/v1) and, as a fallback, core/v1 Endpoints,
// read into one form, and kube-proxy's per-service endpoint lists.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "ip.h"
#include "types.h"

namespace proxyrules {

// One EndpointSlice (or one subset of a core/v1 Endpoints), validated.
struct Slice {
  struct Port {
    std::string name;
    Protocol protocol = Protocol::kTCP;
    int port = 0;
  };
  struct Endpoint {
    IP ip;
    std::string node_name;  // "" when unset
    bool ready = true;
    bool serving = true;
    bool terminating = false;
    std::vector<std::string> zone_hints;
  };
  NamespacedName service;  // from the kubernetes.io/service-name label
  std::string name;        // the slice's own name (unique within its namespace)
  std::vector<Port> ports;
  std::vector<Endpoint> endpoints;

  bool operator==(const Slice& o) const;
};

struct ParsedSlices {
  enum Kind { kOk, kIgnored, kInvalid };
  Kind kind = kOk;
  std::string reason;
  std::vector<Slice> slices;  // one for an EndpointSlice; one per subset for Endpoints
};

// Reads a discovery.k8s.io/v1 EndpointSlice for the proxier of `family`.
// Slices of the other family, FQDN slices and slices of other proxies are
// kIgnored; a bad address, a port that is missing or 0, or an unknown
// protocol make the slice kInvalid. Never throws.
ParsedSlices ParseEndpointSlice(const common::Json& obj, IPFamily family);

// Reads a core/v1 Endpoints as the slices the mirroring controller would make:
// `addresses` are ready, `notReadyAddresses` are neither ready nor serving.
ParsedSlices ParseEndpoints(const common::Json& obj, IPFamily family);

// kube-proxy's endpoint info for one service port.
struct Endpoint {
  IP ip;
  int port = 0;
  std::string str;    // "IP:port" ("[IPv6]:port")
  std::string chain;  // KUBE-SEP-...
  bool is_local = false;
  bool ready = true;
  bool serving = true;
  bool terminating = false;
  std::vector<std::string> zone_hints;

  bool operator==(const Endpoint&) const = default;
};

// The endpoints of each port of one service, merged over its slices as
// kube-proxy's EndpointSliceCache does: one entry per "IP:port" (a
// non-terminating copy wins over a terminating one), sorted by that string.
// `node_name` decides is_local.
std::map<ServicePortName, std::vector<Endpoint>> MergeSlices(const std::vector<const Slice*>& slices,
                                                             const std::string& node_name);

}  // namespace proxyrules
