#include "categorize.h"

#include <algorithm>

namespace proxyrules {
namespace {

bool HasZone(const Endpoint& ep, const std::string& zone) {
  return std::find(ep.zone_hints.begin(), ep.zone_hints.end(), zone) != ep.zone_hints.end();
}

// Zone hints are honoured only when every ready endpoint has some and at
// least one names this node's zone (topologyModeFromHints, PreferSameZone).
bool UseZoneHints(const std::vector<Endpoint>& eps, const std::string& zone) {
  bool for_zone = false;
  for (const auto& ep : eps) {
    if (!ep.ready) continue;
    if (ep.zone_hints.empty()) return false;
    if (!zone.empty() && HasZone(ep, zone)) for_zone = true;
  }
  return for_zone;
}

template <typename Pred>
std::vector<const Endpoint*> Filter(const std::vector<Endpoint>& eps, Pred pred) {
  std::vector<const Endpoint*> out;
  for (const auto& ep : eps)
    if (pred(ep)) out.push_back(&ep);
  return out;
}

}  // namespace

CategorizedEndpoints CategorizeEndpoints(const std::vector<Endpoint>* endpoints,
                                         const ServicePort& port, const std::string& zone) {
  static const std::vector<Endpoint> kNone;
  const std::vector<Endpoint>& eps = endpoints ? *endpoints : kNone;
  CategorizedEndpoints out;
  bool topology = false;

  if (port.UsesClusterEndpoints()) {
    topology = UseZoneHints(eps, zone);
    out.cluster = Filter(eps, [&](const Endpoint& ep) {
      return ep.ready && (!topology || HasZone(ep, zone));
    });
    // No ready endpoint anywhere: fall back to serving-terminating ones.
    if (out.cluster.empty())
      out.cluster = Filter(eps, [](const Endpoint& ep) { return ep.serving && ep.terminating; });
    if (!out.cluster.empty()) out.has_any = true;
  }
  if (!port.UsesLocalEndpoints()) {
    out.all_reachable = out.cluster;
    return out;
  }

  bool local_ready = false, local_serving_terminating = false;
  for (const auto& ep : eps) {
    if (ep.ready) {
      out.has_any = true;
      if (ep.is_local) local_ready = true;
    } else if (ep.serving && ep.terminating) {
      out.has_any = true;
      if (ep.is_local) local_serving_terminating = true;
    }
  }
  bool use_terminating = false;
  if (local_ready) {
    out.local = Filter(eps, [](const Endpoint& ep) { return ep.is_local && ep.ready; });
  } else if (local_serving_terminating) {
    use_terminating = true;
    out.local = Filter(eps, [](const Endpoint& ep) {
      return ep.is_local && ep.serving && ep.terminating;
    });
  }
  if (!port.UsesClusterEndpoints()) {
    out.all_reachable = out.local;
    return out;
  }
  if (!topology && !use_terminating) {
    // Every ready endpoint is in `cluster`, so it already holds `local`.
    out.all_reachable = out.cluster;
    return out;
  }
  // Both lists point into `eps`, which is sorted: merge by position.
  std::vector<const Endpoint*> merged = out.cluster;
  merged.insert(merged.end(), out.local.begin(), out.local.end());
  std::sort(merged.begin(), merged.end());
  merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
  out.all_reachable = std::move(merged);
  return out;
}

}  // namespace proxyrules
