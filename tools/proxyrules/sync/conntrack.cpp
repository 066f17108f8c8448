#include "conntrack.h"

#include "../backend/exec.h"
#include "../model/categorize.h"
#include "common/log.h"
#include "common/strings.h"

namespace proxyrules {

std::map<ServicePortName, UdpPortState> UdpState(const Model& model, const std::string& zone,
                                                 const std::set<NamespacedName>* services) {
  std::map<ServicePortName, UdpPortState> out;
  for (const auto& [name, svc] : model.service_ports()) {
    if (name.protocol != Protocol::kUDP) continue;
    if (services && !services->count(name.service)) continue;
    UdpPortState st;
    st.vips.push_back(svc.cluster_ip.String());
    for (const auto& ip : svc.external_ips) st.vips.push_back(ip.String());
    for (const auto& ip : svc.load_balancer_vips) st.vips.push_back(ip.String());
    st.port = svc.port;
    st.node_port = svc.node_port;
    CategorizedEndpoints cat = CategorizeEndpoints(model.EndpointsOf(name), svc, zone);
    for (const Endpoint* ep : cat.all_reachable) st.endpoints.insert(ep->ip.String());
    out.emplace(name, std::move(st));
  }
  return out;
}

std::vector<std::vector<std::string>> StaleUdpDeletions(
    const std::map<ServicePortName, UdpPortState>& before,
    const std::map<ServicePortName, UdpPortState>& after, const std::set<NamespacedName>* scope) {
  std::vector<std::vector<std::string>> out;
  static const UdpPortState kGone;
  for (const auto& [name, old] : before) {
    if (scope && !scope->count(name.service)) continue;
    auto it = after.find(name);
    const UdpPortState& now = it == after.end() ? kGone : it->second;
    for (const auto& ep : old.endpoints) {
      if (now.endpoints.count(ep)) continue;
      for (const auto& vip : old.vips)
        out.push_back({"-D", "-p", "udp", "--orig-dst", vip, "--orig-port-dst",
                       std::to_string(old.port), "--reply-src", ep});
      if (old.node_port)
        out.push_back({"-D", "-p", "udp", "--orig-port-dst", std::to_string(old.node_port),
                       "--reply-src", ep});
    }
  }
  for (const auto& [name, now] : after) {
    if (scope && !scope->count(name.service)) continue;
    auto it = before.find(name);
    bool had_none = it == before.end() || it->second.endpoints.empty();
    if (!had_none || now.endpoints.empty()) continue;
    // Entries made while the port had no endpoint were never DNATed: their
    // reply comes "from" the VIP itself.
    for (const auto& vip : now.vips)
      out.push_back({"-D", "-p", "udp", "--orig-dst", vip, "--orig-port-dst",
                     std::to_string(now.port), "--reply-src", vip});
  }
  return out;
}

void RunConntrackDeletions(const std::vector<std::vector<std::string>>& deletions) {
  for (const auto& args : deletions) {
    std::vector<std::string> argv = {"conntrack"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = Exec(argv);
    if (!r.ok()) {
      LOG_WARNING("Cannot clear stale UDP conntrack entries", {"err", r.status().message()});
      return;
    }
    // conntrack exits 1 when nothing matched; that is the common case.
    VLOG(4, "conntrack", {"args", common::Join(args, " ")}, {"exit", r->exit_code},
         {"out", r->err});
  }
}

}  // namespace proxyrules
