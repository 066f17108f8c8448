#include "service.h"

#include "chain_names.h"

namespace proxyrules {
namespace {

using common::Get;
using common::GetPath;
using common::GetString;
using common::Json;

ParsedService Ignored(std::string reason) {
  ParsedService p;
  p.kind = ParsedService::kIgnored;
  p.reason = std::move(reason);
  return p;
}

ParsedService Invalid(std::string reason) {
  ParsedService p;
  p.kind = ParsedService::kInvalid;
  p.reason = std::move(reason);
  return p;
}

// An integer field that must be a JSON number in [lo, hi]; absent is `dflt`.
bool ReadInt(const Json& obj, const char* key, int lo, int hi, int dflt, int* out) {
  const Json& v = Get(obj, key);
  if (v.is_null()) {
    *out = dflt;
    return true;
  }
  if (!v.is_number_integer()) return false;
  int64_t n = v.get<int64_t>();
  if (n < lo || n > hi) return false;
  *out = static_cast<int>(n);
  return true;
}

// proxyutil.GetClusterIPByFamily: clusterIPs when set, else clusterIP.
// Returns "" when the Service has no address of `family`.
std::string ClusterIPText(const Json& spec, IPFamily family, std::string* bad) {
  const Json& ips = Get(spec, "clusterIPs");
  std::vector<std::string> candidates;
  if (ips.is_array() && !ips.empty()) {
    for (const auto& v : ips)
      if (v.is_string()) candidates.push_back(v.get<std::string>());
  } else {
    candidates.push_back(GetString(spec, "clusterIP"));
  }
  for (const auto& text : candidates) {
    if (text.empty() || text == "None") continue;
    auto ip = ParseIP(text);
    if (!ip) {
      *bad = text;
      return "";
    }
    if (ip->family == family) return text;
  }
  return "";
}

}  // namespace

ParsedService ParseService(const Json& obj, IPFamily family) {
  const Json& meta = Get(obj, "metadata");
  const Json& spec = Get(obj, "spec");
  NamespacedName nn{GetString(meta, "namespace"), GetString(meta, "name")};
  if (nn.name.empty()) return Invalid("metadata.name is empty");
  if (nn.ns.empty()) nn.ns = "default";

  // kube-proxy's informers select `!service.kubernetes.io/service-proxy-name`
  // and `!service.kubernetes.io/headless`.
  const Json& labels = Get(meta, "labels");
  if (!Get(labels, "service.kubernetes.io/service-proxy-name").is_null())
    return Ignored("served by another proxy (service.kubernetes.io/service-proxy-name)");
  if (!Get(labels, "service.kubernetes.io/headless").is_null())
    return Ignored("headless (service.kubernetes.io/headless)");

  std::string type = GetString(spec, "type", "ClusterIP");
  if (type == "ExternalName") return Ignored("type ExternalName");
  if (type != "ClusterIP" && type != "NodePort" && type != "LoadBalancer")
    return Invalid("unknown spec.type \"" + type + "\"");

  std::string bad;
  std::string cip_text = ClusterIPText(spec, family, &bad);
  if (!bad.empty()) return Invalid("bad cluster IP \"" + bad + "\"");
  std::string raw_cip = GetString(spec, "clusterIP");
  if (raw_cip == "None") return Ignored("headless (clusterIP None)");
  if (cip_text.empty()) {
    if (raw_cip.empty() && !Get(spec, "clusterIPs").is_array())
      return Ignored("no cluster IP assigned");
    return Ignored(std::string("no ") + (family == IPFamily::kIPv4 ? "IPv4" : "IPv6") +
                   " cluster IP");
  }
  IP cluster_ip = *ParseIP(cip_text);

  // Addresses of this family; the other family's belong to the other proxier.
  std::vector<IP> external_ips;
  for (const auto& v : Get(spec, "externalIPs")) {
    std::string text = v.is_string() ? v.get<std::string>() : "";
    auto ip = ParseIP(text);
    if (!ip) return Invalid("bad spec.externalIPs entry \"" + text + "\"");
    if (ip->family == family) external_ips.push_back(*ip);
  }
  std::vector<CIDR> ranges;
  for (const auto& v : Get(spec, "loadBalancerSourceRanges")) {
    std::string text = v.is_string() ? v.get<std::string>() : "";
    auto c = ParseCIDR(text);
    if (!c) return Invalid("bad spec.loadBalancerSourceRanges entry \"" + text + "\"");
    if (c->ip.family == family) ranges.push_back(*c);
  }
  std::vector<IP> vips;
  for (const auto& ing : GetPath(obj, {"status", "loadBalancer", "ingress"})) {
    std::string text = GetString(ing, "ip");
    if (text.empty()) continue;
    // Proxy-mode load balancers deliver to the node themselves (KEP-1860).
    if (GetString(ing, "ipMode", "VIP") == "Proxy") continue;
    auto ip = ParseIP(text);
    if (!ip) return Invalid("bad status.loadBalancer.ingress ip \"" + text + "\"");
    if (ip->family == family) vips.push_back(*ip);
  }

  bool externally_accessible_type =
      type == "LoadBalancer" || type == "NodePort" || (type == "ClusterIP" && !Get(spec, "externalIPs").empty());
  bool external_local = externally_accessible_type &&
                        GetString(spec, "externalTrafficPolicy") == "Local";
  bool internal_local = GetString(spec, "internalTrafficPolicy") == "Local";

  bool affinity = GetString(spec, "sessionAffinity") == "ClientIP";
  int sticky = 0;
  if (affinity) {
    const Json& cfg = GetPath(spec, {"sessionAffinityConfig", "clientIP"});
    if (!ReadInt(cfg, "timeoutSeconds", 1, 86400, 10800, &sticky))
      return Invalid("bad spec.sessionAffinityConfig.clientIP.timeoutSeconds");
  }
  int hc_port = 0;
  if (type == "LoadBalancer" && external_local) {
    if (!ReadInt(spec, "healthCheckNodePort", 0, 65535, 0, &hc_port))
      return Invalid("bad spec.healthCheckNodePort");
  }

  ParsedService out;
  out.service.name = nn;
  const Json& ports = Get(spec, "ports");
  if (!ports.is_array() || ports.empty()) return Ignored("no ports");
  for (size_t i = 0; i < ports.size(); ++i) {
    const Json& p = ports[i];
    std::string where = "spec.ports[" + std::to_string(i) + "]";
    std::string proto_text = GetString(p, "protocol", "TCP");
    auto proto = ParseProtocol(proto_text);
    if (!proto) return Invalid(where + ": unknown protocol \"" + proto_text + "\"");
    ServicePort sp;
    if (!ReadInt(p, "port", 1, 65535, 0, &sp.port) || sp.port == 0)
      return Invalid(where + ": port must be in 1-65535");
    if (!ReadInt(p, "nodePort", 0, 65535, 0, &sp.node_port))
      return Invalid(where + ": nodePort must be in 0-65535");
    sp.name = ServicePortName{nn, GetString(p, "name"), *proto};
    sp.name_string = sp.name.String();
    sp.protocol = std::string(LowerProtocol(*proto));
    sp.cluster_ip = cluster_ip;
    sp.health_check_node_port = hc_port;
    sp.external_ips = external_ips;
    sp.load_balancer_vips = vips;
    sp.load_balancer_source_ranges = ranges;
    sp.session_affinity_client_ip = affinity;
    sp.sticky_max_age_seconds = sticky;
    sp.external_policy_local = external_local;
    sp.internal_policy_local = internal_local;
    std::string hash = PortProtoHash(sp.name_string, sp.protocol);
    sp.cluster_chain = std::string(kServiceChainPrefix) + hash;
    sp.local_chain = std::string(kLocalChainPrefix) + hash;
    sp.firewall_chain = std::string(kFirewallChainPrefix) + hash;
    sp.external_chain = std::string(kExternalChainPrefix) + hash;
    out.service.ports.push_back(std::move(sp));
  }
  return out;
}

}  // namespace proxyrules
