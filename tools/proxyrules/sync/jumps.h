// The rules kube-proxy inserts into the built-in chains (not part of the
// restore input, which must not flush PREROUTING and friends), and its
// canary chains.
#pragma once

#include <string>
#include <vector>

#include "../backend/backend.h"

namespace proxyrules {

struct JumpRule {
  const char* table;
  const char* dst_chain;  // ours, e.g. KUBE-SERVICES
  const char* src_chain;  // built-in, e.g. PREROUTING
  const char* comment;    // "" for kubelet's duplicates
  std::vector<std::string> extra;  // matches before the comment

  // The rule's arguments: extra matches, the comment, the jump.
  std::vector<std::string> Args() const;
};

// kube-proxy's iptablesJumpChains, in its order.
const std::vector<JumpRule>& JumpRules();
// The duplicates of kubelet's KUBE-FIREWALL jumps kube-proxy also ensures
// (and, like kube-proxy, never removes).
const std::vector<JumpRule>& KubeletJumpRules();

// The empty chain whose disappearance shows the tables were flushed.
inline constexpr const char* kCanaryChain = "KUBE-PROXY-CANARY";
inline constexpr const char* kCanaryTables[] = {"mangle", "nat", "filter"};

// Creates every jump target chain and inserts every jump rule that is
// missing, plus the canary chains. With `kubelet_firewall` the
// KUBE-FIREWALL jumps too (kube-proxy does when it writes that chain).
common::Status EnsureJumps(Backend& backend, bool kubelet_firewall);

// True if every canary chain is still there.
bool CanariesPresent(Backend& backend);

}  // namespace proxyrules
