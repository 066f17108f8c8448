#include <algorithm>

#include "../iptables/dump.h"
#include "backend.h"
#include "factories.h"

namespace proxyrules {

using common::Result;
using common::Status;

namespace {

struct Entry {
  const char* name;
  Result<std::unique_ptr<Backend>> (*make)();
};

// The default: the flavour the node's iptables command uses (mixing legacy
// and nft rules on one node breaks things, kubernetes#71305), through the
// fastest implementation of it: blob for legacy (libiptc where blob cannot
// start), iptables-nft-restore for nft (bench/RESULTS.md has the figures).
Result<std::unique_ptr<Backend>> Auto() {
  ASSIGN_OR_RETURN(auto system, NewRestoreBackend(""));
  if (system->mode() == "legacy") {
    auto blob = NewBlobBackend();
    if (blob.ok()) return blob;
    auto lib = NewLibiptcBackend();
    if (lib.ok()) return lib;
    return system;
  }
  return NewRestoreBackend("nft");
}

const Entry kBackends[] = {
    {"auto", [] { return Auto(); }},
    {"iptables-restore", [] { return NewRestoreBackend(""); }},
    {"iptables-legacy-restore", [] { return NewRestoreBackend("legacy"); }},
    {"iptables-nft-restore", [] { return NewRestoreBackend("nft"); }},
    {"libiptc", [] { return NewLibiptcBackend(); }},
    {"blob", [] { return NewBlobBackend(); }},
};

}  // namespace

Result<std::vector<std::string>> Backend::ListChains(std::string_view table) {
  ASSIGN_OR_RETURN(std::string text, Save(table));
  return iptables::ChainNames(text, table);
}

Status Backend::EnsureAll(std::string_view table, const std::vector<std::string>& chains,
                          const std::vector<RuleSpec>& rules) {
  for (const auto& c : chains) RETURN_IF_ERROR(EnsureChain(table, c));
  for (const auto& r : rules) RETURN_IF_ERROR(EnsureRule(table, r.chain, r.args));
  return Status::Ok();
}

bool Backend::ChainExists(std::string_view table, std::string_view chain) {
  auto chains = ListChains(table);
  return chains.ok() && std::find(chains->begin(), chains->end(), chain) != chains->end();
}

std::vector<std::string> BackendNames() {
  std::vector<std::string> out;
  for (const auto& e : kBackends) out.push_back(e.name);
  return out;
}

Result<std::unique_ptr<Backend>> MakeBackend(std::string_view name) {
  for (const auto& e : kBackends)
    if (name == e.name) return e.make();
  std::string known;
  for (const auto& e : kBackends) known += (known.empty() ? "" : ", ") + std::string(e.name);
  return Status::Invalid("unknown backend \"" + std::string(name) + "\" (known: " + known + ")");
}

}  // namespace proxyrules
