#include "render.h"

#include <cstdio>

#include "../model/categorize.h"
#include "../model/chain_names.h"

namespace proxyrules {
namespace {

constexpr std::string_view kServicesChain = "KUBE-SERVICES";
constexpr std::string_view kExternalServicesChain = "KUBE-EXTERNAL-SERVICES";
constexpr std::string_view kNodePortsChain = "KUBE-NODEPORTS";
constexpr std::string_view kPostroutingChain = "KUBE-POSTROUTING";
constexpr std::string_view kMarkMasqChain = "KUBE-MARK-MASQ";
constexpr std::string_view kForwardChain = "KUBE-FORWARD";
constexpr std::string_view kProxyFirewallChain = "KUBE-PROXY-FIREWALL";
constexpr std::string_view kKubeletFirewallChain = "KUBE-FIREWALL";

// A sequence of restore lines, each the space-joined parts given to Write
// (empty parts are skipped, as an empty []string adds nothing upstream).
// In discard mode lines are only counted: a partial sync still needs the
// rule counts of the services it does not rewrite.
class Lines {
 public:
  explicit Lines(std::string* buf) : buf_(buf) {}
  void set_discard(bool d) { discard_ = d; }
  bool discard() const { return discard_; }
  size_t count() const { return count_; }
  std::string* buf() { return buf_; }

  template <typename... Parts>
  void Write(const Parts&... parts) {
    ++count_;
    if (discard_) return;
    size_t start = buf_->size();
    (Append(start, std::string_view(parts)), ...);
    buf_->push_back('\n');
  }
  // A whole preformatted line (without its newline).
  void WriteRaw(std::string_view line) {
    ++count_;
    if (discard_) return;
    buf_->append(line);
    buf_->push_back('\n');
  }

 private:
  void Append(size_t start, std::string_view part) {
    if (part.empty()) return;
    if (buf_->size() != start) buf_->push_back(' ');
    buf_->append(part);
  }

  std::string* buf_;
  size_t count_ = 0;
  bool discard_ = false;
};

void ChainLine(std::string* buf, std::string_view chain) {
  buf->push_back(':');
  buf->append(chain);
  buf->append(" - [0:0]\n");
}

std::string Quote(std::string_view comment) {
  std::string q;
  q.reserve(comment.size() + 2);
  q.push_back('"');
  q.append(comment);
  q.push_back('"');
  return q;
}

// Probabilities are 1/n for small n over and over; format each once.
class ProbabilityCache {
 public:
  const std::string& Get(int n) {
    if (n >= static_cast<int>(cache_.size())) {
      size_t old = cache_.size();
      cache_.resize(n + 1);
      for (size_t i = old; i < cache_.size(); ++i)
        if (i > 0) cache_[i] = Probability(static_cast<int>(i));
    }
    return cache_[n];
  }

 private:
  std::vector<std::string> cache_;
};

struct Renderer {
  const Model& model;
  const RenderConfig& cfg;
  const RenderScope& scope;
  RenderResult& res;

  std::string filter_chains_buf, filter_rules_buf, nat_chains_buf, nat_rules_buf;
  std::string skipped_buf;
  Lines filter_rules{&filter_rules_buf};
  Lines nat_rules{&nat_rules_buf};
  // Chain lines are counted apart from rules; these two only collect text.
  std::string* nat_chains = &nat_chains_buf;
  Lines skipped_rules{&skipped_buf};
  ProbabilityCache probabilities;
  bool track_active = false;
  size_t remembered_rules = 0;  // unchanged services' rules, from nat_rule_counts

  void Activate(const std::string& chain) {
    if (track_active) res.active_nat_chains.insert(chain);
  }

  // The per-service nat chain lines and rules go to `rules` (which may be
  // the discarding sink of a partial sync).
  void ServiceToEndpointRules(Lines& rules, const ServicePort& svc, const std::string& chain,
                              const std::vector<const Endpoint*>& eps);
  void RenderServicePort(const ServicePort& svc);
  void ActivateAll(const ServicePort& svc, const CategorizedEndpoints& cat);
  void Run();
};

void Renderer::ServiceToEndpointRules(Lines& rules, const ServicePort& svc,
                                      const std::string& chain,
                                      const std::vector<const Endpoint*>& eps) {
  bool comments = !res.large_cluster_mode;
  std::string comment;
  if (svc.session_affinity_client_ip) {
    std::string seconds = std::to_string(svc.sticky_max_age_seconds);
    for (const Endpoint* ep : eps) {
      if (comments) comment = "-m comment --comment " + Quote(svc.name_string + " -> " + ep->str);
      rules.Write("-A", chain, comment, "-m recent --name", ep->chain, "--rcheck --seconds", seconds,
                  "--reap -j", ep->chain);
    }
  }
  int n = static_cast<int>(eps.size());
  for (int i = 0; i < n; ++i) {
    const Endpoint* ep = eps[i];
    if (comments) comment = "-m comment --comment " + Quote(svc.name_string + " -> " + ep->str);
    if (i < n - 1) {
      rules.Write("-A", chain, comment, "-m statistic --mode random --probability",
                  probabilities.Get(n - i), "-j", ep->chain);
    } else {
      rules.Write("-A", chain, comment, "-j", ep->chain);
    }
  }
}

void Renderer::RenderServicePort(const ServicePort& svc) {
  const std::string& proto = svc.protocol;
  const std::string& name = svc.name_string;
  const std::string cip = svc.cluster_ip.String();
  const std::string port = std::to_string(svc.port);
  // "-m tcp -p tcp" as every match on the service's protocol starts.
  const std::string proto_match = "-m " + proto + " -p " + proto;

  CategorizedEndpoints cat = CategorizeEndpoints(model.EndpointsOf(svc.name), svc, cfg.zone);

  const std::string& cluster_chain = svc.cluster_chain;
  bool uses_cluster_chain = !cat.cluster.empty() && svc.UsesClusterEndpoints();
  const std::string& local_chain = svc.local_chain;
  bool uses_local_chain = !cat.local.empty() && svc.UsesLocalEndpoints();

  const std::string* internal_chain = &cluster_chain;
  bool has_internal = cat.has_any;
  if (svc.internal_policy_local) {
    internal_chain = &local_chain;
    if (cat.local.empty()) has_internal = false;
  }
  const std::string* external_policy_chain = &cluster_chain;
  bool has_external = cat.has_any;
  if (svc.external_policy_local) {
    external_policy_chain = &local_chain;
    if (cat.local.empty()) has_external = false;
  }
  const std::string& external_chain = svc.external_chain;
  bool uses_external_chain = cat.has_any && svc.ExternallyAccessible();

  const std::string* lb_chain = &external_chain;
  bool uses_fw_chain = cat.has_any && !svc.load_balancer_vips.empty() &&
                       !svc.load_balancer_source_ranges.empty();
  if (uses_fw_chain) lb_chain = &svc.firewall_chain;

  std::string internal_target, internal_comment, external_target, external_comment;
  if (!cat.has_any) {
    internal_target = "REJECT";
    internal_comment = Quote(name + " has no endpoints");
    external_target = internal_target;
    external_comment = internal_comment;
  } else {
    if (!has_internal) {
      internal_target = "DROP";
      internal_comment = Quote(name + " has no local endpoints");
      ++res.no_local_endpoints_internal;
    }
    if (!has_external) {
      external_target = "DROP";
      external_comment = Quote(name + " has no local endpoints");
      ++res.no_local_endpoints_external;
    }
  }

  // Capture the cluster IP.
  const std::string cluster_comment = Quote(name + " cluster IP");
  if (has_internal) {
    nat_rules.Write("-A", kServicesChain, "-m comment --comment", cluster_comment, proto_match, "-d",
                    cip, "--dport", port, "-j", *internal_chain);
  } else {
    filter_rules.Write("-A", kServicesChain, "-m comment --comment", internal_comment, proto_match,
                       "-d", cip, "--dport", port, "-j", internal_target);
  }

  // Capture external IPs.
  for (const IP& eip : svc.external_ips) {
    std::string ip = eip.String();
    if (cat.has_any) {
      nat_rules.Write("-A", kServicesChain, "-m comment --comment", Quote(name + " external IP"),
                      proto_match, "-d", ip, "--dport", port, "-j", external_chain);
    }
    if (!has_external) {
      filter_rules.Write("-A", kExternalServicesChain, "-m comment --comment", external_comment,
                         proto_match, "-d", ip, "--dport", port, "-j", external_target);
    }
  }

  // Capture load-balancer ingress.
  for (const IP& vip : svc.load_balancer_vips) {
    std::string ip = vip.String();
    if (cat.has_any) {
      nat_rules.Write("-A", kServicesChain, "-m comment --comment", Quote(name + " loadbalancer IP"),
                      proto_match, "-d", ip, "--dport", port, "-j", *lb_chain);
    }
    if (uses_fw_chain) {
      filter_rules.Write("-A", kProxyFirewallChain, "-m comment --comment",
                         Quote(name + " traffic not accepted by " + svc.firewall_chain), proto_match,
                         "-d", ip, "--dport", port, "-j DROP");
    }
  }
  if (!has_external) {
    for (const IP& vip : svc.load_balancer_vips) {
      filter_rules.Write("-A", kExternalServicesChain, "-m comment --comment", external_comment,
                         proto_match, "-d", vip.String(), "--dport", port, "-j", external_target);
    }
  }

  // Capture node ports.
  if (svc.node_port != 0) {
    std::string node_port = std::to_string(svc.node_port);
    if (cat.has_any) {
      // Node ports are not subject to loadBalancerSourceRanges.
      if (cfg.localhost_node_ports && cfg.family == IPFamily::kIPv4 && cfg.nfacct) {
        nat_rules.Write("-A", kNodePortsChain, "-m comment --comment", name, proto_match,
                        "-d 127.0.0.0/8 --dport", node_port,
                        "-m nfacct --nfacct-name localhost_nps_accepted_pkts -j", external_chain);
      }
      nat_rules.Write("-A", kNodePortsChain, "-m comment --comment", name, proto_match, "--dport",
                      node_port, "-j", external_chain);
    }
    if (!has_external) {
      filter_rules.Write("-A", kExternalServicesChain, "-m comment --comment", external_comment,
                         "-m addrtype --dst-type LOCAL", proto_match, "--dport", node_port, "-j",
                         external_target);
    }
  }

  // Health check node ports are accepted whether or not there are local endpoints.
  if (svc.health_check_node_port != 0) {
    filter_rules.Write("-A", kNodePortsChain, "-m comment --comment",
                       Quote(name + " health check node port"), "-m tcp -p tcp --dport",
                       std::to_string(svc.health_check_node_port), "-j ACCEPT");
  }

  // Unchanged services keep their chains in a partial sync; their lines are
  // produced only to be counted, unless the count is remembered.
  bool rewrite = scope.changed == nullptr || scope.changed->count(svc.name.service) > 0;
  if (!rewrite && scope.nat_rule_counts) {
    auto it = scope.nat_rule_counts->find(svc.name);
    if (it != scope.nat_rule_counts->end()) {
      remembered_rules += it->second;
      if (track_active) ActivateAll(svc, cat);
      return;
    }
  }
  Lines& rules = rewrite ? nat_rules : skipped_rules;
  size_t before = rules.count();
  std::string discard_chains;
  std::string* chains = rewrite ? nat_chains : &discard_chains;

  // Internal traffic.
  if (has_internal) {
    if (cfg.masquerade_all) {
      rules.Write("-A", *internal_chain, "-m comment --comment", cluster_comment, proto_match, "-d",
                  cip, "--dport", port, "-j", kMarkMasqChain);
    } else if (cfg.local_detector.implemented()) {
      // Masquerade off-cluster traffic to a service VIP: it may have come in
      // through a static route to any node and leave towards another.
      rules.Write("-A", *internal_chain, "-m comment --comment", cluster_comment, proto_match, "-d",
                  cip, "--dport", port, cfg.local_detector.if_not_local, "-j", kMarkMasqChain);
    }
  }

  // External traffic: every external destination jumps to the EXT chain.
  if (uses_external_chain) {
    ChainLine(chains, external_chain);
    Activate(external_chain);
    if (!svc.external_policy_local) {
      rules.Write("-A", external_chain, "-m comment --comment",
                  Quote("masquerade traffic for " + name + " external destinations"), "-j",
                  kMarkMasqChain);
    } else {
      if (cfg.local_detector.implemented()) {
        // Pod traffic to an external destination skips both traffic policies,
        // as if it went out to the load balancer and came back.
        rules.Write("-A", external_chain, "-m comment --comment",
                    Quote("pod traffic for " + name + " external destinations"),
                    cfg.local_detector.if_local, "-j", cluster_chain);
      }
      // Traffic from the node itself gets the LB IP as source: masquerade it.
      rules.Write("-A", external_chain, "-m comment --comment",
                  Quote("masquerade LOCAL traffic for " + name + " external destinations"),
                  "-m addrtype --src-type LOCAL -j", kMarkMasqChain);
      rules.Write("-A", external_chain, "-m comment --comment",
                  Quote("route LOCAL traffic for " + name + " external destinations"),
                  "-m addrtype --src-type LOCAL -j", cluster_chain);
    }
    if (has_external) rules.Write("-A", external_chain, "-j", *external_policy_chain);
  }

  // Firewall chain for loadBalancerSourceRanges.
  if (uses_fw_chain) {
    const std::string& fw = svc.firewall_chain;
    ChainLine(chains, fw);
    Activate(fw);
    std::string lb_comment = Quote(name + " loadbalancer IP");
    bool allow_from_node = false;
    for (const CIDR& c : svc.load_balancer_source_ranges) {
      rules.Write("-A", fw, "-m comment --comment", lb_comment, "-s", c.String(), "-j",
                  external_chain);
      if (cfg.node_ip && c.Contains(*cfg.node_ip)) allow_from_node = true;
    }
    // A VIP-like LB often has its VIP as a local address: a request from
    // the node then loops back with the VIP as its source.
    if (allow_from_node) {
      for (const IP& vip : svc.load_balancer_vips)
        rules.Write("-A", fw, "-m comment --comment", lb_comment, "-s", vip.String(), "-j",
                    external_chain);
    }
    // Anything left was not DNATed and meets KUBE-PROXY-FIREWALL's DROP.
    rules.Write("-A", fw, "-m comment --comment",
                Quote("other traffic to " + name + " will be dropped by KUBE-PROXY-FIREWALL"));
  }

  if (uses_cluster_chain) {
    ChainLine(chains, cluster_chain);
    Activate(cluster_chain);
    ServiceToEndpointRules(rules, svc, cluster_chain, cat.cluster);
  }
  if (uses_local_chain) {
    ChainLine(chains, local_chain);
    Activate(local_chain);
    ServiceToEndpointRules(rules, svc, local_chain, cat.local);
  }

  // One chain per endpoint. The hot loop of a big sync: appended directly.
  bool comments = !res.large_cluster_mode;
  for (const Endpoint* ep : cat.all_reachable) {
    ChainLine(chains, ep->chain);
    Activate(ep->chain);
    rules.Write("-A", ep->chain, comments ? "-m comment --comment" : "", comments ? name : "", "-s",
                ep->ip.String(), "-j", kMarkMasqChain);
    if (svc.session_affinity_client_ip) {
      rules.Write("-A", ep->chain, comments ? "-m comment --comment" : "", comments ? name : "",
                  "-m recent --name", ep->chain, "--set", proto_match, "-j DNAT --to-destination",
                  ep->str);
    } else {
      rules.Write("-A", ep->chain, comments ? "-m comment --comment" : "", comments ? name : "",
                  proto_match, "-j DNAT --to-destination", ep->str);
    }
  }
  if (scope.nat_rule_counts) (*scope.nat_rule_counts)[svc.name] = rules.count() - before;
}

void Renderer::ActivateAll(const ServicePort& svc, const CategorizedEndpoints& cat) {
  // The chains RenderServicePort would have declared for this service.
  if (cat.has_any && svc.ExternallyAccessible()) Activate(svc.external_chain);
  if (cat.has_any && !svc.load_balancer_vips.empty() && !svc.load_balancer_source_ranges.empty())
    Activate(svc.firewall_chain);
  if (!cat.cluster.empty() && svc.UsesClusterEndpoints()) Activate(svc.cluster_chain);
  if (!cat.local.empty() && svc.UsesLocalEndpoints()) Activate(svc.local_chain);
  for (const Endpoint* ep : cat.all_reachable) Activate(ep->chain);
}

void Renderer::Run() {
  track_active = scope.existing_nat_chains != nullptr;
  for (std::string_view c : {kServicesChain, kExternalServicesChain, kForwardChain, kNodePortsChain,
                             kProxyFirewallChain})
    ChainLine(&filter_chains_buf, c);
  for (std::string_view c : {kServicesChain, kNodePortsChain, kPostroutingChain, kMarkMasqChain})
    ChainLine(nat_chains, c);

  const std::string& mark = cfg.masquerade_mark;
  // SNAT what KUBE-MARK-MASQ marked, clearing the mark so a packet that
  // traverses the stack again is not masqueraded twice.
  nat_rules.Write("-A", kPostroutingChain, "-m mark ! --mark", mark + "/" + mark, "-j RETURN");
  nat_rules.Write("-A", kPostroutingChain, "-j MARK --xor-mark", mark);
  nat_rules.Write("-A", kPostroutingChain,
                  "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE",
                  cfg.random_fully ? "--random-fully" : "");
  nat_rules.Write("-A", kMarkMasqChain, "-j MARK --or-mark", mark);

  if (cfg.family == IPFamily::kIPv4 && cfg.localhost_node_ports) {
    // route_localnet, needed for localhost node ports, opens a hole
    // (kubernetes#90259) that this kubelet-identical rule closes.
    ChainLine(&filter_chains_buf, kKubeletFirewallChain);
    filter_rules.Write("-A", kKubeletFirewallChain,
                       "-m comment --comment \"block incoming localnet connections\" -d "
                       "127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate "
                       "RELATED,ESTABLISHED,DNAT -j DROP");
  }

  res.total_endpoints = model.TotalEndpoints();
  res.large_cluster_mode = res.total_endpoints > kLargeClusterEndpointsThreshold;
  if (track_active) res.active_nat_chains.reserve(res.total_endpoints + 4 * model.service_ports().size());

  size_t estimate = 200 * model.service_ports().size() + 200 * res.total_endpoints;
  if (scope.changed == nullptr) {
    nat_rules_buf.reserve(estimate + 4096);
    nat_chains_buf.reserve(res.total_endpoints * 40 + model.service_ports().size() * 80 + 4096);
  }
  if (scope.changed == nullptr && scope.nat_rule_counts) scope.nat_rule_counts->clear();
  for (const auto& [_, svc] : model.service_ports()) RenderServicePort(svc);

  // Delete service chains nothing uses any more.
  if (scope.existing_nat_chains) {
    for (const std::string& chain : *scope.existing_nat_chains) {
      if (!IsServiceChainName(chain) || res.active_nat_chains.count(chain)) continue;
      // Declaring the chain flushes it; then it can go.
      ChainLine(nat_chains, chain);
      nat_rules.Write("-X", chain);
      ++res.deleted_chains;
    }
  }

  // The jump to KUBE-NODEPORTS must be the last rule of KUBE-SERVICES.
  const char* last = "-m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";
  bool v6 = cfg.family == IPFamily::kIPv6;
  if (cfg.node_port_match_all) {
    std::string_view block_localhost;
    if (v6)
      block_localhost = "! -d ::1/128";
    else if (!cfg.localhost_node_ports)
      block_localhost = "! -d 127.0.0.0/8";
    nat_rules.Write("-A", kServicesChain, last, "-m addrtype --dst-type LOCAL", block_localhost, "-j",
                    kNodePortsChain);
  } else {
    for (const IP& ip : cfg.node_port_ips) {
      if (ip.IsLoopback() && (v6 || !cfg.localhost_node_ports)) continue;
      nat_rules.Write("-A", kServicesChain, last, "-d", ip.String(), "-j", kNodePortsChain);
    }
  }

  // Drop INVALID packets, which otherwise cause spurious resets
  // (kubernetes#74839, #117924), unless conntrack is liberal.
  if (!cfg.conntrack_tcp_liberal) {
    filter_rules.Write("-A", kForwardChain, "-m conntrack --ctstate INVALID",
                       cfg.nfacct ? "-m nfacct --nfacct-name ct_state_invalid_dropped_pkts" : "",
                       "-j DROP");
  }
  // Forward what was marked for masquerade even under a DROP FORWARD policy,
  // and the rest of those connections.
  filter_rules.Write("-A", kForwardChain,
                     "-m comment --comment \"kubernetes forwarding rules\" -m mark --mark",
                     mark + "/" + mark, "-j ACCEPT");
  filter_rules.Write("-A", kForwardChain,
                     "-m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack "
                     "--ctstate RELATED,ESTABLISHED -j ACCEPT");

  res.filter_rules = filter_rules.count();
  res.nat_rules = nat_rules.count() - res.deleted_chains;
  res.nat_rules_total = res.nat_rules + skipped_rules.count() + remembered_rules;

  std::string& out = res.data;
  out.reserve(filter_chains_buf.size() + filter_rules_buf.size() + nat_chains_buf.size() +
              nat_rules_buf.size() + 32);
  out.append("*filter\n");
  out.append(filter_chains_buf);
  out.append(filter_rules_buf);
  out.append("COMMIT\n*nat\n");
  out.append(nat_chains_buf);
  out.append(nat_rules_buf);
  out.append("COMMIT\n");
}

}  // namespace

LocalDetector LocalDetector::ByCIDR(const CIDR& cidr) {
  return LocalDetector{"-s " + cidr.String(), "! -s " + cidr.String()};
}

LocalDetector LocalDetector::ByBridge(const std::string& iface) {
  return LocalDetector{"-i " + iface, "! -i " + iface};
}

LocalDetector LocalDetector::ByInterfacePrefix(const std::string& prefix) {
  return LocalDetector{"-i " + prefix + "+", "! -i " + prefix + "+"};
}

std::string Probability(int n) {
  char buf[32];
  int len = std::snprintf(buf, sizeof(buf), "%0.10f", 1.0 / n);
  return std::string(buf, len);
}

RenderResult Render(const Model& model, const RenderConfig& config, const RenderScope& scope) {
  RenderResult res;
  Renderer r{model, config, scope, res};
  r.Run();
  return res;
}

}  // namespace proxyrules
