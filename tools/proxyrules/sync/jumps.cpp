#include "jumps.h"

#include <algorithm>

namespace proxyrules {

using common::Status;

std::vector<std::string> JumpRule::Args() const {
  std::vector<std::string> args = extra;
  if (comment[0] != '\0') args.insert(args.end(), {"-m", "comment", "--comment", comment});
  args.insert(args.end(), {"-j", dst_chain});
  return args;
}

const std::vector<JumpRule>& JumpRules() {
  static const std::vector<std::string> kNew = {"-m", "conntrack", "--ctstate", "NEW"};
  static const std::vector<JumpRule> kRules = {
      {"filter", "KUBE-EXTERNAL-SERVICES", "INPUT", "kubernetes externally-visible service portals", kNew},
      {"filter", "KUBE-EXTERNAL-SERVICES", "FORWARD", "kubernetes externally-visible service portals", kNew},
      {"filter", "KUBE-NODEPORTS", "INPUT", "kubernetes health check service ports", {}},
      {"filter", "KUBE-SERVICES", "FORWARD", "kubernetes service portals", kNew},
      {"filter", "KUBE-SERVICES", "OUTPUT", "kubernetes service portals", kNew},
      {"filter", "KUBE-FORWARD", "FORWARD", "kubernetes forwarding rules", {}},
      {"filter", "KUBE-PROXY-FIREWALL", "INPUT", "kubernetes load balancer firewall", kNew},
      {"filter", "KUBE-PROXY-FIREWALL", "OUTPUT", "kubernetes load balancer firewall", kNew},
      {"filter", "KUBE-PROXY-FIREWALL", "FORWARD", "kubernetes load balancer firewall", kNew},
      {"nat", "KUBE-SERVICES", "OUTPUT", "kubernetes service portals", {}},
      {"nat", "KUBE-SERVICES", "PREROUTING", "kubernetes service portals", {}},
      {"nat", "KUBE-POSTROUTING", "POSTROUTING", "kubernetes postrouting rules", {}},
  };
  return kRules;
}

const std::vector<JumpRule>& KubeletJumpRules() {
  static const std::vector<JumpRule> kRules = {
      {"filter", "KUBE-FIREWALL", "INPUT", "", {}},
      {"filter", "KUBE-FIREWALL", "OUTPUT", "", {}},
  };
  return kRules;
}

Status EnsureJumps(Backend& backend, bool kubelet_firewall) {
  std::vector<const JumpRule*> rules;
  for (const auto& j : JumpRules()) rules.push_back(&j);
  if (kubelet_firewall)
    for (const auto& j : KubeletJumpRules()) rules.push_back(&j);
  // Per table, as one batch: the chains (canary included), then the jumps in
  // kube-proxy's order (each is inserted at the top, as its -I does).
  for (const char* table : kCanaryTables) {
    std::vector<std::string> chains = {kCanaryChain};
    std::vector<Backend::RuleSpec> specs;
    for (const JumpRule* j : rules) {
      if (std::string_view(j->table) != table) continue;
      if (std::find(chains.begin(), chains.end(), j->dst_chain) == chains.end())
        chains.push_back(j->dst_chain);
      specs.push_back({j->src_chain, j->Args()});
    }
    RETURN_IF_ERROR(backend.EnsureAll(table, chains, specs));
  }
  return Status::Ok();
}

bool CanariesPresent(Backend& backend) {
  for (const char* table : kCanaryTables)
    if (!backend.ChainExists(table, kCanaryChain)) return false;
  return true;
}

}  // namespace proxyrules
