// The libiptc backend: parses the restore input itself and commits each
// table from inside the process, skipping iptables-restore's fork, exec and
// text parsing. libiptc speaks the legacy (x_tables) interface only.
#include <libiptc/libiptc.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "../iptables/dump.h"
#include "../iptables/rule.h"
#include "common/log.h"
#include "exec.h"
#include "factories.h"
#include "libiptc_encode.h"
#include "xtables_lock.h"

namespace proxyrules {
namespace {

using common::Result;
using common::Status;

// One table snapshot; freed on destruction.
class Handle {
 public:
  explicit Handle(std::string_view table) : table_(table), h_(iptc_init(table_.c_str())) {
    if (!h_) err_ = errno;
  }
  ~Handle() {
    if (h_) iptc_free(h_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  xtc_handle* get() const { return h_; }
  Status InitStatus() const {
    if (h_) return Status::Ok();
    return Status::Unavailable("libiptc: cannot read table " + table_ + ": " + iptc_strerror(err_) +
                               " (is the legacy iptables module loaded?)");
  }
  Status Error(const std::string& what) const {
    return Status::Internal("libiptc: " + what + " in table " + table_ + ": " + iptc_strerror(errno));
  }
  Status Commit() {
    if (!iptc_commit(h_)) return Error("commit");
    return Status::Ok();
  }

 private:
  std::string table_;
  xtc_handle* h_;
  int err_ = 0;
};

Result<EncodedRule> Encode(std::string_view chain, const std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(iptables::Rule rule, iptables::ParseRule(std::string(chain), args));
  return EncodeRule(rule);
}

class LibiptcBackend : public Backend {
 public:
  std::string_view name() const override { return "libiptc"; }
  std::string_view mode() const override { return "legacy"; }

  Status Restore(const std::string& data) override {
    ASSIGN_OR_RETURN(iptables::Dump dump, iptables::ParseDump(data));
    for (const auto& table : dump.tables) RETURN_IF_ERROR(RestoreTable(table));
    return Status::Ok();
  }

  Result<std::string> Save(std::string_view table) override {
    // iptables-legacy-save prints exactly what libiptc reads.
    ASSIGN_OR_RETURN(ExecResult r, Exec({"iptables-legacy-save", "-t", std::string(table)}));
    if (r.exit_code != 0) return Status::Internal("iptables-legacy-save failed: " + r.err);
    return r.out;
  }

  Result<std::vector<std::string>> ListChains(std::string_view table) override {
    Handle h(table);
    RETURN_IF_ERROR(h.InitStatus());
    std::vector<std::string> out;
    for (const char* c = iptc_first_chain(h.get()); c; c = iptc_next_chain(h.get())) out.emplace_back(c);
    return out;
  }

  bool ChainExists(std::string_view table, std::string_view chain) override {
    Handle h(table);
    return h.get() && iptc_is_chain(std::string(chain).c_str(), h.get());
  }

  Status EnsureChain(std::string_view table, std::string_view chain) override {
    XtablesLock lock;
    RETURN_IF_ERROR(lock.status());
    Handle h(table);
    RETURN_IF_ERROR(h.InitStatus());
    std::string c(chain);
    if (iptc_is_chain(c.c_str(), h.get())) return Status::Ok();
    if (!iptc_create_chain(c.c_str(), h.get())) return h.Error("create chain " + c);
    return h.Commit();
  }

  Status EnsureRule(std::string_view table, std::string_view chain,
                    const std::vector<std::string>& args) override {
    ASSIGN_OR_RETURN(EncodedRule e, Encode(chain, args));
    XtablesLock lock;
    RETURN_IF_ERROR(lock.status());
    Handle h(table);
    RETURN_IF_ERROR(h.InitStatus());
    std::string c(chain);
    auto* entry = static_cast<const ipt_entry*>(e.entry());
    if (iptc_check_entry(c.c_str(), entry, e.matchmask.data(), h.get())) return Status::Ok();
    if (!iptc_insert_entry(c.c_str(), entry, 0, h.get())) return h.Error("insert into " + c);
    return h.Commit();
  }

  // Every chain and rule in one commit: each legacy commit replaces the whole
  // table and waits for an RCU grace period, which dominates a first sync's
  // ~20 jump rules otherwise.
  Status EnsureAll(std::string_view table, const std::vector<std::string>& chains,
                   const std::vector<RuleSpec>& rules) override {
    std::vector<EncodedRule> encoded;
    for (const auto& r : rules) {
      ASSIGN_OR_RETURN(EncodedRule e, Encode(r.chain, r.args));
      encoded.push_back(std::move(e));
    }
    XtablesLock lock;
    RETURN_IF_ERROR(lock.status());
    Handle h(table);
    RETURN_IF_ERROR(h.InitStatus());
    bool changed = false;
    for (const auto& c : chains) {
      if (iptc_is_chain(c.c_str(), h.get())) continue;
      if (!iptc_create_chain(c.c_str(), h.get())) return h.Error("create chain " + c);
      changed = true;
    }
    for (size_t i = 0; i < rules.size(); ++i) {
      const char* chain = rules[i].chain.c_str();
      auto* entry = static_cast<const ipt_entry*>(encoded[i].entry());
      if (iptc_check_entry(chain, entry, encoded[i].matchmask.data(), h.get())) continue;
      if (!iptc_insert_entry(chain, entry, 0, h.get())) return h.Error("insert into " + rules[i].chain);
      changed = true;
    }
    return changed ? h.Commit() : Status::Ok();
  }

  Status DeleteRule(std::string_view table, std::string_view chain,
                    const std::vector<std::string>& args) override {
    ASSIGN_OR_RETURN(EncodedRule e, Encode(chain, args));
    XtablesLock lock;
    RETURN_IF_ERROR(lock.status());
    Handle h(table);
    RETURN_IF_ERROR(h.InitStatus());
    std::string c(chain);
    if (!iptc_is_chain(c.c_str(), h.get())) return Status::Ok();
    if (!iptc_delete_entry(c.c_str(), static_cast<const ipt_entry*>(e.entry()),
                           e.matchmask.data(), h.get()))
      return Status::Ok();  // no such rule
    return h.Commit();
  }

 private:
  // What iptables-restore --noflush does with one table, in one commit.
  Status RestoreTable(const iptables::Table& table) {
    // Encode first: a bad rule must fail before anything is touched.
    std::vector<std::pair<const std::string*, EncodedRule>> entries;
    size_t n = 0;
    for (const auto& c : table.chains) n += c.rules.size();
    entries.reserve(n);
    for (const auto& c : table.chains) {
      for (const auto& line : c.rules) {
        auto rule = iptables::ParseRuleLine(line);
        if (!rule.ok()) return Status::Invalid("libiptc: " + rule.status().message());
        auto e = EncodeRule(*rule);
        if (!e.ok()) return Status::Invalid(e.status().message() + " in: " + line);
        entries.emplace_back(&c.name, std::move(*e));
      }
    }
    auto t0 = std::chrono::steady_clock::now();
    auto lap = [&](const char* what) {
      auto now = std::chrono::steady_clock::now();
      VLOG(3, "libiptc restore phase", {"table", table.name}, {"phase", what},
           {"ms", std::chrono::duration<double, std::milli>(now - t0).count()});
      t0 = now;
    };
    lap("encode");
    XtablesLock lock;
    RETURN_IF_ERROR(lock.status());
    Handle h(table.name);
    RETURN_IF_ERROR(h.InitStatus());
    xtc_handle* hh = h.get();
    lap("init");
    // Declared chains: a built-in one keeps its rules (and gets its policy);
    // a user chain is created or flushed. libiptc keeps chains in a sorted
    // list and inserts each new one by walking forward from the nearest
    // entry of its (stale) chain index; creating in descending name order
    // makes every walk stop at once instead of crossing the chains created
    // before it.
    std::vector<const iptables::Chain*> order;
    order.reserve(table.chains.size());
    for (const auto& c : table.chains) order.push_back(&c);
    std::sort(order.begin(), order.end(),
              [](const iptables::Chain* a, const iptables::Chain* b) { return a->name > b->name; });
    for (const iptables::Chain* c : order) {
      const char* name = c->name.c_str();
      if (iptc_create_chain(name, hh)) continue;
      if (errno != EEXIST) return h.Error("create chain " + c->name);
      if (iptc_builtin(name, hh)) {
        if (c->policy != "-" && !iptc_set_policy(name, c->policy.c_str(), nullptr, hh))
          return h.Error("set policy of " + c->name);
      } else if (!iptc_flush_entries(name, hh)) {
        return h.Error("flush " + c->name);
      }
    }
    lap("chains");
    for (const auto& [chain, e] : entries) {
      if (!iptc_append_entry(chain->c_str(), static_cast<const ipt_entry*>(e.entry()), hh))
        return h.Error("append to " + *chain);
    }
    for (const auto& c : table.chains) {
      if (c.deleted && !iptc_delete_chain(c.name.c_str(), hh)) return h.Error("delete chain " + c.name);
    }
    lap("append+delete");
    Status st = h.Commit();
    lap("commit");
    return st;
  }
};

}  // namespace

Result<std::unique_ptr<Backend>> NewLibiptcBackend() {
  // Fail early where the legacy tables cannot be used at all.
  Handle probe("filter");
  RETURN_IF_ERROR(probe.InitStatus());
  return std::unique_ptr<Backend>(new LibiptcBackend());
}

}  // namespace proxyrules
