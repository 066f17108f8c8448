#include "options.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/strings.h"
#include "system.h"

namespace proxyrules {

using common::Result;
using common::Status;

void AddInputFlags(CLI::App* app, Options* o) {
  app->add_option("-f,--filename", o->files,
                  "file of Services, EndpointSlices and Endpoints (JSON or YAML, a List or "
                  "kubectl -o json output); - reads stdin; repeatable")
      ->type_name("FILE");
  app->add_option("--services", o->services_files, "file of Services (same formats as -f)")
      ->type_name("FILE");
  app->add_option("--endpoints", o->endpoints_files,
                  "file of EndpointSlices or Endpoints (same formats as -f)")
      ->type_name("FILE");
}

void AddProxierFlags(CLI::App* app, Options* o) {
  app->add_option("--hostname-override,--hostname", o->hostname_override,
                  "the node's name, which decides which endpoints are local (default: the host name)")
      ->type_name("NAME");
  app->add_option("--node-ip", o->node_ip,
                  "the node's IP: lets the node through loadBalancerSourceRanges that contain it, "
                  "and is the node address --nodeport-addresses matches when rendering offline")
      ->type_name("IP");
  app->add_option("--ip-family", o->ip_family, "render for iptables (IPv4) or ip6tables (IPv6)")
      ->type_name("IPv4|IPv6");
  app->add_option("--cluster-cidr", o->cluster_cidr,
                  "the pods' CIDR; traffic from outside it to a cluster IP is masqueraded")
      ->type_name("CIDR");
  app->add_option("--detect-local-mode", o->detect_local_mode,
                  "how pod traffic is told apart: ClusterCIDR, BridgeInterface or "
                  "InterfaceNamePrefix (default ClusterCIDR when --cluster-cidr is set)")
      ->type_name("MODE");
  app->add_option("--pod-bridge-interface", o->pod_bridge_interface,
                  "the pods' bridge, for --detect-local-mode=BridgeInterface")
      ->type_name("IFACE");
  app->add_option("--pod-interface-name-prefix", o->pod_interface_name_prefix,
                  "the pods' interface name prefix, for --detect-local-mode=InterfaceNamePrefix")
      ->type_name("PREFIX");
  app->add_flag("--masquerade-all", o->masquerade_all,
                "SNAT all traffic sent to cluster IPs");
  app->add_option("--iptables-masquerade-bit", o->masquerade_bit,
                  "the fwmark bit marking packets to SNAT (0-31, default 14)")
      ->type_name("BIT");
  app->add_option("--nodeport-addresses", o->nodeport_addresses,
                  "CIDRs (comma-separated or repeated) of the node addresses that accept "
                  "NodePort traffic, or \"primary\" for --node-ip; default all")
      ->delimiter(',')
      ->type_name("CIDRS");
  app->add_option("--iptables-localhost-nodeports", o->localhost_nodeports,
                  "accept NodePort traffic to 127.0.0.1 (IPv4; default true)")
      ->type_name("BOOL");
  app->add_flag("--nfacct", o->nfacct,
                "add the nfacct counting matches kube-proxy adds when it can create "
                "its counters (the counters must exist)");
}

void AddBackendFlag(CLI::App* app, Options* o) {
  app->add_option("--backend", o->backend,
                  "how rules are installed: auto (the default: blob where the system's "
                  "iptables is legacy, iptables-nft-restore where it is nft), iptables-restore, "
                  "iptables-legacy-restore, iptables-nft-restore, libiptc or blob")
      ->type_name("NAME");
}

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return std::chrono::milliseconds(0);
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return std::nullopt;
    double v = std::strtod(std::string(text.substr(start, i - start)).c_str(), nullptr);
    size_t u = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(u, i - u);
    if (unit == "h") total_ms += v * 3600000;
    else if (unit == "m") total_ms += v * 60000;
    else if (unit == "s") total_ms += v * 1000;
    else if (unit == "ms") total_ms += v;
    else if (unit == "us" || unit == "µs") total_ms += v / 1000;
    else if (unit == "ns") total_ms += v / 1e6;
    else return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

Status Options::Validate() {
  if (ip_family == "ipv4" || ip_family == "4") ip_family = "IPv4";
  if (ip_family == "ipv6" || ip_family == "6") ip_family = "IPv6";
  if (ip_family != "IPv4" && ip_family != "IPv6")
    return Status::BadRequest("--ip-family must be IPv4 or IPv6, not \"" + ip_family + "\"");
  if (masquerade_bit < 0 || masquerade_bit > 31)
    return Status::BadRequest("--iptables-masquerade-bit must be in 0-31");
  if (!node_ip.empty() && !ParseIP(node_ip))
    return Status::BadRequest("--node-ip: bad IP \"" + node_ip + "\"");
  if (!cluster_cidr.empty()) {
    for (const auto& c : common::SplitNonEmpty(cluster_cidr, ','))
      if (!ParseCIDR(c)) return Status::BadRequest("--cluster-cidr: bad CIDR \"" + c + "\"");
  }
  if (detect_local_mode.empty() && !cluster_cidr.empty()) detect_local_mode = "ClusterCIDR";
  if (!detect_local_mode.empty() && detect_local_mode != "ClusterCIDR" &&
      detect_local_mode != "BridgeInterface" && detect_local_mode != "InterfaceNamePrefix")
    return Status::BadRequest("--detect-local-mode must be ClusterCIDR, BridgeInterface or InterfaceNamePrefix");
  if (detect_local_mode == "BridgeInterface" && pod_bridge_interface.empty())
    return Status::BadRequest("--detect-local-mode=BridgeInterface needs --pod-bridge-interface");
  if (detect_local_mode == "InterfaceNamePrefix" && pod_interface_name_prefix.empty())
    return Status::BadRequest("--detect-local-mode=InterfaceNamePrefix needs --pod-interface-name-prefix");
  for (auto [flag, value] : {std::pair{"--iptables-sync-period", &sync_period},
                             std::pair{"--iptables-min-sync-period", &min_sync_period}}) {
    auto d = ParseDuration(*value);
    if (!d || d->count() < 0)
      return Status::BadRequest(std::string(flag) + ": bad duration \"" + *value + "\" (like 30s, 1m)");
  }
  if (ParseDuration(sync_period)->count() == 0)
    return Status::BadRequest("--iptables-sync-period must be more than 0");
  for (const auto& a : nodeport_addresses) {
    if (a == "primary") {
      if (node_ip.empty()) return Status::BadRequest("--nodeport-addresses=primary needs --node-ip");
      continue;
    }
    if (!ParseCIDR(a)) return Status::BadRequest("--nodeport-addresses: bad CIDR \"" + a + "\"");
  }
  return Status::Ok();
}

std::string Options::NodeName() const {
  std::string name = hostname_override;
  if (name.empty()) {
    char buf[256] = {0};
    if (gethostname(buf, sizeof(buf) - 1) == 0) name = buf;
  }
  return common::ToLower(common::TrimSpace(name));
}

Result<RenderConfig> BuildRenderConfig(const Options& o, bool probe_system) {
  RenderConfig cfg;
  cfg.family = o.Family();
  bool v4 = cfg.family == IPFamily::kIPv4;
  if (!o.node_ip.empty()) {
    auto ip = ParseIP(o.node_ip);
    if (ip && ip->family == cfg.family) cfg.node_ip = *ip;
  }
  cfg.masquerade_all = o.masquerade_all;
  // Go's %#08x: the digits are zero-padded to 8, then "0x" is prepended.
  char mark[16];
  std::snprintf(mark, sizeof(mark), "0x%08x", 1u << o.masquerade_bit);
  cfg.masquerade_mark = mark;

  if (o.detect_local_mode == "ClusterCIDR") {
    for (const auto& c : common::SplitNonEmpty(o.cluster_cidr, ',')) {
      auto cidr = ParseCIDR(c);
      if (cidr && cidr->ip.family == cfg.family) cfg.local_detector = LocalDetector::ByCIDR(*cidr);
    }
  } else if (o.detect_local_mode == "BridgeInterface") {
    cfg.local_detector = LocalDetector::ByBridge(o.pod_bridge_interface);
  } else if (o.detect_local_mode == "InterfaceNamePrefix") {
    cfg.local_detector = LocalDetector::ByInterfacePrefix(o.pod_interface_name_prefix);
  }

  // proxyutil.NewNodePortAddresses: CIDRs of this family; none (or a zero
  // CIDR) means every local address.
  std::vector<CIDR> cidrs;
  bool match_all = true, contains_loopback = false;
  std::vector<std::string> addrs = o.nodeport_addresses;
  for (auto& a : addrs)
    if (a == "primary") a = o.node_ip + (o.node_ip.find(':') == std::string::npos ? "/32" : "/128");
  for (const auto& a : addrs) {
    auto c = ParseCIDR(a);
    if (!c || c->ip.family != cfg.family) continue;
    match_all = false;
    cidrs.push_back(*c);
  }
  if (!match_all) {
    for (const auto& c : cidrs) {
      if (c.prefix == 0) match_all = true;
      IP lo = *ParseIP("127.0.0.1");
      if (c.ip.is_v4() && (c.ip.IsLoopback() || c.Contains(lo))) contains_loopback = true;
    }
  }
  cfg.node_port_match_all = match_all;
  cfg.localhost_node_ports = v4 && o.localhost_nodeports && (match_all || contains_loopback);
  if (!match_all) {
    std::vector<IP> candidates;
    if (probe_system) {
      ASSIGN_OR_RETURN(candidates, LocalAddresses());
    } else if (cfg.node_ip) {
      candidates.push_back(*cfg.node_ip);
    }
    for (const IP& ip : candidates) {
      bool in = std::any_of(cidrs.begin(), cidrs.end(), [&](const CIDR& c) { return c.Contains(ip); });
      if (in && std::find(cfg.node_port_ips.begin(), cfg.node_port_ips.end(), ip) == cfg.node_port_ips.end())
        cfg.node_port_ips.push_back(ip);
    }
    std::sort(cfg.node_port_ips.begin(), cfg.node_port_ips.end());
  }
  cfg.nfacct = o.nfacct;
  if (probe_system) {
    cfg.conntrack_tcp_liberal = ReadSysctl("net/netfilter/nf_conntrack_tcp_be_liberal").value_or(0) != 0;
  }
  return cfg;
}

}  // namespace proxyrules
