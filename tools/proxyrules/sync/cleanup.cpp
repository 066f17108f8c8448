#include "cleanup.h"

#include "../model/chain_names.h"
#include "common/log.h"
#include "jumps.h"

namespace proxyrules {

using common::Status;

Status CleanupLeftovers(Backend& backend) {
  Status first;
  auto note = [&](const Status& st) {
    if (st.ok()) return;
    LOG_ERROR("Cleanup step failed", {"err", st.message()});
    if (first.ok()) first = st;
  };
  // Unlink first, so nothing jumps into a chain being deleted.
  for (const auto& j : JumpRules()) note(backend.DeleteRule(j.table, j.src_chain, j.Args()));

  // Pass 1: what kube-proxy's CleanupLeftovers deletes. Pass 2: the chains
  // it leaves behind although it created them (KUBE-MARK-MASQ,
  // KUBE-PROXY-FIREWALL, the canaries); another component may still use
  // KUBE-MARK-MASQ, so that pass may fail on its own without undoing pass 1.
  std::string pass1, pass2;
  auto add = [](std::string* data, const char* table, const std::vector<std::string>& chains) {
    if (chains.empty()) return;
    *data += std::string("*") + table + "\n";
    for (const auto& c : chains) *data += ":" + c + " - [0:0]\n";
    for (const auto& c : chains) *data += "-X " + c + "\n";
    *data += "COMMIT\n";
  };
  for (const char* table : {"nat", "filter", "mangle"}) {
    auto have = backend.ListChains(table);
    if (!have.ok()) {
      note(have.status());
      continue;
    }
    std::vector<std::string> first_pass, second_pass;
    std::string_view t = table;
    for (const auto& c : *have) {
      if (t == "nat" && (c == "KUBE-SERVICES" || c == "KUBE-NODEPORTS" || c == "KUBE-POSTROUTING" ||
                         IsServiceChainName(c)))
        first_pass.push_back(c);
      else if (t == "nat" && c == "KUBE-MARK-MASQ")
        second_pass.push_back(c);
      else if (t == "filter" && (c == "KUBE-SERVICES" || c == "KUBE-EXTERNAL-SERVICES" ||
                                 c == "KUBE-FORWARD" || c == "KUBE-NODEPORTS"))
        first_pass.push_back(c);
      else if (t == "filter" && c == "KUBE-PROXY-FIREWALL")
        second_pass.push_back(c);
      if (c == kCanaryChain) second_pass.push_back(c);
    }
    add(&pass1, table, first_pass);
    add(&pass2, table, second_pass);
  }
  if (!pass1.empty()) note(backend.Restore(pass1));
  if (!pass2.empty()) {
    Status st = backend.Restore(pass2);
    if (!st.ok()) LOG_WARNING("Some kube-proxy chains are still in use; left in place", {"err", st.message()});
  }
  return first;
}

}  // namespace proxyrules
