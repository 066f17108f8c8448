// Where rules get installed. Backends live in one registry: iptables-restore
// (the system's, legacy or nft, or one explicitly) run as a process, and
// libiptc, which commits whole tables from inside this process (legacy only).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace proxyrules {

// Not thread-safe; one sync at a time.
class Backend {
 public:
  virtual ~Backend() = default;

  // The registry name ("iptables-restore", "libiptc", ...).
  virtual std::string_view name() const = 0;
  // "legacy" or "nft": the kernel interface the rules end up in.
  virtual std::string_view mode() const = 0;

  // Installs iptables-restore input with --noflush semantics: a declared
  // chain is created or flushed and refilled, "-X" deletes a chain, chains not
  // mentioned stay as they are. Each table is committed atomically; on error
  // that table is unchanged. The message names the failing line when known.
  virtual common::Status Restore(const std::string& data) = 0;

  // `table` in iptables-save format (rules as iptables-save prints them).
  virtual common::Result<std::string> Save(std::string_view table) = 0;

  // The chains of `table` (cheaper than Save where the backend can).
  virtual common::Result<std::vector<std::string>> ListChains(std::string_view table);

  // True if `chain` exists in `table` (false too when it cannot be read).
  virtual bool ChainExists(std::string_view table, std::string_view chain);

  // Creates `chain` in `table` unless it exists.
  virtual common::Status EnsureChain(std::string_view table, std::string_view chain) = 0;

  // Inserts the rule "-A chain args..." at the top of `chain` unless an
  // identical rule is there already. `args` use iptables syntax.
  virtual common::Status EnsureRule(std::string_view table, std::string_view chain,
                                    const std::vector<std::string>& args) = 0;

  // One rule to ensure at the top of a chain.
  struct RuleSpec {
    std::string chain;
    std::vector<std::string> args;
  };
  // EnsureChain for each of `chains` and EnsureRule for each of `rules`, all
  // in `table`; a backend may do it in one commit (the default does them one
  // by one).
  virtual common::Status EnsureAll(std::string_view table, const std::vector<std::string>& chains,
                                   const std::vector<RuleSpec>& rules);

  // Deletes the rule if present; a missing rule or chain is not an error.
  virtual common::Status DeleteRule(std::string_view table, std::string_view chain,
                                    const std::vector<std::string>& args) = 0;
};

// Every registered name, in the order --help lists them.
std::vector<std::string> BackendNames();

// Makes the backend called `name`. Fails (Invalid) for an unknown name, or
// when it cannot work here (its binary is missing, libiptc cannot open the
// legacy tables).
common::Result<std::unique_ptr<Backend>> MakeBackend(std::string_view name);

}  // namespace proxyrules
