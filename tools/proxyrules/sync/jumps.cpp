#include "jumps.h"

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
  for (const char* table : kCanaryTables) RETURN_IF_ERROR(backend.EnsureChain(table, kCanaryChain));
  std::vector<const JumpRule*> rules;
  for (const auto& j : JumpRules()) rules.push_back(&j);
  if (kubelet_firewall)
    for (const auto& j : KubeletJumpRules()) rules.push_back(&j);
  for (const JumpRule* j : rules) {
    RETURN_IF_ERROR(backend.EnsureChain(j->table, j->dst_chain));
    RETURN_IF_ERROR(backend.EnsureRule(j->table, j->src_chain, j->Args()));
  }
  return Status::Ok();
}

bool CanariesPresent(Backend& backend) {
  for (const char* table : kCanaryTables)
    if (!backend.ChainExists(table, kCanaryChain)) return false;
  return true;
}

}  // namespace proxyrules
