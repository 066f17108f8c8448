// iptables-save / iptables-restore text: tables, chain declarations, rules
// and chain deletions, parsed and printed.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace proxyrules::iptables {

struct Chain {
  std::string name;
  std::string policy = "-";          // "ACCEPT"/"DROP" for built-in chains
  std::string counters = "[0:0]";
  std::vector<std::string> rules;    // whole "-A NAME ..." lines, in order
  bool deleted = false;              // a "-X NAME" line follows
};

struct Table {
  std::string name;
  std::vector<Chain> chains;  // in declaration order (rules may add more)

  Chain* Find(std::string_view chain);
  const Chain* Find(std::string_view chain) const;
  // Returns the chain called `name`, appending it if missing.
  Chain& Add(std::string_view name);
  // Rebuilds the name index after `chains` was reordered by hand.
  void Reindex();

 private:
  std::unordered_map<std::string, size_t> index_;
};

struct Dump {
  std::vector<Table> tables;

  Table* Find(std::string_view table);
  const Table* Find(std::string_view table) const;
};

// Parses restore/save text. "-A" lines for an undeclared chain add it
// (as iptables-save never does but hand-written input may); "#" lines are
// skipped. Errors carry the 1-based line number.
common::Result<Dump> ParseDump(std::string_view text);

// Prints `dump` as upstream's iptablestest does: per table the chain lines,
// then every chain's rules in chain order, then "-X" lines, then COMMIT.
std::string FormatDump(const Dump& dump);

// The names declared in the text of one table of iptables-save output
// (the ":NAME ..." lines), cheaply, without parsing rules.
std::vector<std::string> ChainNames(std::string_view save_output, std::string_view table);

// Sorts `dump` like upstream's sortIPTablesRules (proxier_test.go), so output
// that depends on service order compares equal: tables by name; chains with
// KUBE-NODEPORTS first, KUBE-SERVICES second, other KUBE-* then the rest
// alphabetically; the rules of KUBE-NODEPORTS and KUBE-SERVICES stably by the
// service name in their comment (KUBE-SERVICES' "must be the last rule" last).
void SortLikeUpstream(Dump* dump);

}  // namespace proxyrules::iptables
