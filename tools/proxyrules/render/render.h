// Renders the Model into iptables-restore input laid out exactly as
// kube-proxy's iptables proxier (v1.32 syncProxyRules) writes it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "../model/ip.h"
#include "../model/model.h"

namespace proxyrules {

// How kube-proxy tells pod traffic from other traffic (--detect-local-mode).
// Both strings are iptables match fragments; empty means no detector (all
// traffic is treated as pod traffic, as proxyutil's no-op detector does).
struct LocalDetector {
  std::string if_local;      // e.g. "-s 10.0.0.0/8", "-i cbr0", "-i veth+"
  std::string if_not_local;  // e.g. "! -s 10.0.0.0/8"

  bool implemented() const { return !if_local.empty(); }
  static LocalDetector ByCIDR(const CIDR& cidr);
  static LocalDetector ByBridge(const std::string& iface);
  static LocalDetector ByInterfacePrefix(const std::string& prefix);
};

// Node-wide settings every rule depends on. Changing any of them requires a
// full sync.
struct RenderConfig {
  IPFamily family = IPFamily::kIPv4;
  // The node's topology.kubernetes.io/zone label, for topology hints.
  std::string zone;
  // Used to let the node through loadBalancerSourceRanges that contain it.
  std::optional<IP> node_ip;
  bool masquerade_all = false;
  // 1 << --iptables-masquerade-bit printed with Go's %#08x ("0x00004000");
  // upstream's unit tests use the literal "0x4000".
  std::string masquerade_mark = "0x00004000";
  LocalDetector local_detector;
  // --iptables-localhost-nodeports (IPv4 only; forced off when
  // --nodeport-addresses excludes 127.0.0.1).
  bool localhost_node_ports = true;
  // --nodeport-addresses: empty means every local address (addrtype LOCAL);
  // otherwise the node's addresses that fall in those CIDRs.
  bool node_port_match_all = true;
  std::vector<IP> node_port_ips;
  // iptables supports MASQUERADE --random-fully.
  bool random_fully = true;
  // net.netfilter.nf_conntrack_tcp_be_liberal != 0: no INVALID drop rule.
  bool conntrack_tcp_liberal = false;
  // nfacct counters exist (kube-proxy adds the matches when it could create them).
  bool nfacct = false;
};

// What to render.
struct RenderScope {
  // Services whose per-service chains (SVC/SVL/EXT/FW/SEP) are written;
  // nullptr means all of them (a full sync). KUBE-SERVICES,
  // KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS and the fixed chains are always
  // written whole.
  const std::set<NamespacedName>* changed = nullptr;
  // Chains currently in the nat table; service chains among them that are
  // no longer used get flushed and deleted ("-X"). nullptr: delete nothing.
  const std::vector<std::string>* existing_nat_chains = nullptr;
  // Optional memory of each service port's per-service nat rule count, kept
  // by the caller across syncs: a partial sync then counts an unchanged
  // service's rules from here instead of formatting them to count them. A
  // full sync refills it. (Counts depend only on the service, its endpoints
  // and the config, and a config change forces a full sync.)
  std::map<ServicePortName, size_t>* nat_rule_counts = nullptr;
};

struct RenderResult {
  std::string data;  // "*filter ... COMMIT\n*nat ... COMMIT\n"
  size_t filter_rules = 0;      // rules written to filter
  size_t nat_rules = 0;         // rules written to nat (kubeproxy_sync_proxy_rules_iptables_last)
  size_t nat_rules_total = 0;   // nat rules including unchanged services' (..._iptables_total)
  size_t deleted_chains = 0;
  size_t total_endpoints = 0;
  bool large_cluster_mode = false;
  int no_local_endpoints_internal = 0;
  int no_local_endpoints_external = 0;
  // Every nat chain the rules use (filled only when existing_nat_chains is set).
  std::unordered_set<std::string> active_nat_chains;
};

// Above this many endpoints kube-proxy drops the comments of SEP and SVC->SEP
// rules ("large cluster mode") to shrink the restore input by 40%+.
inline constexpr size_t kLargeClusterEndpointsThreshold = 1000;

// Renders `model` under `config`. Pure: touches no system state.
RenderResult Render(const Model& model, const RenderConfig& config, const RenderScope& scope);

// kube-proxy's probability for rule i of n: 1/(n-i) printed with "%0.10f".
std::string Probability(int n);

}  // namespace proxyrules
