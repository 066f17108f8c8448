// The binary image of one legacy iptables table (what IPT_SO_GET_ENTRIES
// returns and IPT_SO_SET_REPLACE takes), kept per chain so that a change
// re-encodes only the chains it touches and re-links the jumps between them.
// The layout is libiptc's: built-in chains at their hook_entry/underflow
// offsets with the policy as the last entry, user chains sorted by name, each
// headed by an ERROR entry carrying its name and ended by a RETURN, jumps as
// byte offsets to the target chain's first rule, a final "ERROR" entry — so
// iptables-save reads back the same as after iptables-restore.
#pragma once

#include <linux/netfilter_ipv4/ip_tables.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace proxyrules {

// One rule ready to go into a chain: the whole ipt_entry, and what its
// standard target means (the verdict bytes are filled in at layout time).
struct XtRule {
  enum class Kind { kModule, kVerdict, kJump, kFallthrough };
  std::vector<unsigned char> bytes;
  Kind kind = Kind::kModule;
  std::string jump;  // kJump: the target chain
  // For EnsureRule/DeleteRule comparisons: 0xff where bytes must match.
  std::vector<unsigned char> mask;
};

// What GET_INFO reports about a table; also what a commit installed.
struct XtInfo {
  unsigned int valid_hooks = 0;
  unsigned int hook_entry[NF_INET_NUMHOOKS] = {};
  unsigned int underflow[NF_INET_NUMHOOKS] = {};
  unsigned int num_entries = 0;
  unsigned int size = 0;
  // Compares what the kernel keeps for the valid hooks only (it reports
  // 0xffffffff for the others).
  bool operator==(const XtInfo& o) const;
};

// A table image. Not thread-safe.
class XtTable {
 public:
  // Parses the entries the kernel returned for a table described by `info`
  // (counters included: they are kept for rules that do not change).
  // Fails (Invalid) on a blob it cannot split into chains.
  static common::Result<std::unique_ptr<XtTable>> FromKernel(std::string_view name, const XtInfo& info,
                                                              const unsigned char* entries);

  const std::string& name() const { return name_; }
  // Every chain: built-in ones in table order, then user chains by name.
  std::vector<std::string> ChainNames() const;
  bool HasChain(std::string_view chain) const;
  bool IsBuiltin(std::string_view chain) const;

  // Creates an empty user chain (AlreadyExists if there is one).
  common::Status CreateChain(const std::string& chain);
  // Removes every rule of `chain` (their counters go with them).
  common::Status Flush(std::string_view chain);
  // "ACCEPT" or "DROP" for a built-in chain.
  common::Status SetPolicy(std::string_view chain, std::string_view policy);
  // Deletes a user chain; the layout fails if rules still jump to it.
  common::Status DeleteChain(std::string_view chain);
  // Appends `rule` (REQUIRES: its jump target, if any, exists).
  common::Status Append(std::string_view chain, XtRule rule);
  // Inserts `rule` as the first rule of `chain`.
  common::Status InsertFirst(std::string_view chain, XtRule rule);
  // The index of the first rule of `chain` equal to `rule` (as libiptc's
  // check compares: masked matches, same verdict or jump), or -1.
  int Find(std::string_view chain, const XtRule& rule) const;
  // Deletes the rule at `index` of `chain`.
  common::Status DeleteAt(std::string_view chain, int index);

  // Writes the SET_REPLACE argument for this image into `*out`: an
  // ipt_replace followed by the entries; `info` gets what it describes.
  // num_counters/counters are left for the caller. `*out` is reused (a
  // partial sync then writes into pages already mapped: at 540k entries,
  // 105 MB, fresh pages cost more than the copy). Fails (Invalid) when a
  // rule jumps to a deleted chain.
  common::Status Layout(std::vector<unsigned char>* out, XtInfo* info);

  // After a successful commit of the last Layout(): `old` are the counters
  // the kernel handed back (one per entry of the replaced table). Returns
  // the counters to add to the new table (one per entry; empty when all are
  // zero), and makes the laid-out positions the reference for the next one.
  std::vector<xt_counters> Committed(const std::vector<xt_counters>& old);

  // How many rules the image holds (heads and policies not counted).
  size_t NumRules() const;

 private:
  struct Fixup {
    uint32_t verdict_at;  // offset of the verdict in the chain's bytes
    uint32_t next;        // offset of the next entry (for fallthrough)
    int32_t chain;        // target chain id, or -1 for fallthrough
  };
  struct Chain {
    std::string name;
    int hook = -1;  // NF_INET_* for a built-in chain
    int verdict = 0;  // built-in: the policy
    std::vector<unsigned char> bytes;  // the rules, back to back
    std::vector<uint32_t> starts;      // offset of each rule in `bytes`
    std::vector<Fixup> fixups;         // sorted by verdict_at
    // Counters to carry over: rules [keep_from, keep_from+keep_count) were
    // the rules at entry index keep_index.. of the installed table.
    uint32_t keep_from = 0, keep_count = 0;
    int64_t keep_index = -1;
    int64_t foot_index = -1;  // entry index of the policy/RETURN entry
    // Filled by Layout().
    uint32_t offset = 0;       // first entry (ERROR head of a user chain)
    uint32_t first_rule = 0;   // where jumps land
    uint32_t entry_index = 0;  // index of the first rule
    uint32_t foot_entry = 0;   // index of the policy/RETURN entry
  };

  explicit XtTable(std::string name) : name_(std::move(name)) {}
  Chain* Get(std::string_view chain);
  const Chain* Get(std::string_view chain) const;
  int NewChain(const std::string& chain, int hook);
  // Adds `rule` to `c`, first or last.
  common::Status Put(Chain* c, XtRule rule, bool first);
  std::vector<const Chain*> Order() const;

  std::string name_;
  unsigned int valid_hooks_ = 0;
  std::vector<std::unique_ptr<Chain>> chains_;  // by id; null when deleted
  std::unordered_map<std::string, int> by_name_;
  std::vector<int> builtins_;              // ids, table order
  std::map<std::string, int> user_;        // sorted as libiptc sorts (strcmp)
  std::vector<const Chain*> laid_out_;     // order of the last Layout()
  std::vector<int64_t> last_map_;          // new entry index -> old one, or -1
};

// Turns an encoded rule (iptables::Rule through EncodeRule) into an XtRule:
// a standard target named ACCEPT/DROP/RETURN/QUEUE becomes a verdict, an
// empty one a fallthrough, any other standard name a jump to that chain.
// `module_target` says whether the rule's target is a target extension.
XtRule MakeXtRule(const void* entry, const std::vector<unsigned char>& mask, bool module_target,
                  const std::string& target);

}  // namespace proxyrules
