// One iptables rule in structured form: parsed from iptables command-line
// syntax (what iptables-restore reads and iptables-save prints) and printed
// back the way iptables-save prints it, so rendered rules and installed
// rules compare equal when the kernel would hold the same entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace proxyrules::iptables {

// Splits a rule line into arguments: whitespace separates, double quotes
// group (and are removed), backslash escapes the next character inside quotes.
common::Result<std::vector<std::string>> SplitArgs(std::string_view line);

// "--name v1 v2" with an optional "!" before it.
struct Option {
  bool invert = false;
  std::string name;
  std::vector<std::string> values;
  bool operator==(const Option&) const = default;
};

struct Match {
  std::string module;  // "comment", "tcp", "statistic", ...
  std::vector<Option> options;
  bool operator==(const Match&) const = default;
  // The first option called `name`, or nullptr.
  const Option* Find(std::string_view name) const;
};

struct Rule {
  std::string chain;
  bool src_invert = false, dst_invert = false, in_invert = false, out_invert = false,
       proto_invert = false;
  std::string src, dst;  // "a.b.c.d/len"; "" when unset
  std::string in_iface, out_iface;
  std::string proto;     // "tcp", "udp", "sctp", "" (all)
  std::vector<Match> matches;
  std::string target;    // "" when the rule has no -j
  std::vector<Option> target_options;

  bool operator==(const Rule&) const = default;
};

// Parses the arguments after "-A <chain>" (`chain` given separately).
// Understands the vocabulary kube-proxy uses; unknown options are kept as
// written. Errors name the argument that could not be read.
common::Result<Rule> ParseRule(std::string chain, const std::vector<std::string>& args);

// Parses a whole "-A CHAIN ..." line.
common::Result<Rule> ParseRuleLine(std::string_view line);

// Rewrites `rule` into the form iptables-save prints: addresses with a
// prefix length, MARK --or-mark/--xor-mark as --set-xmark, probabilities with
// 11 decimals, recent's implied --mask/--rsource, REJECT's implied
// --reject-with, options in each module's print order.
void Canonicalize(Rule* rule);

// "-A CHAIN ..." as iptables-save prints `rule` (call Canonicalize first for
// a rule that came from restore input).
std::string SaveLine(const Rule& rule);

// Quotes a value the way xtables_save_string does: bare when it is only
// [A-Za-z0-9_-], else in double quotes with " \ ' escaped.
std::string SaveString(std::string_view value);

}  // namespace proxyrules::iptables
