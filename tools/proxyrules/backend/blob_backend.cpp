// The blob backend: keeps each legacy table's binary image in the process
// (XtTable) and installs it with one IPT_SO_SET_REPLACE. A partial sync
// re-encodes only the chains its restore input declares and re-links the
// jumps; libiptc instead reads the whole table from the kernel, parses it
// into chains and re-serialises it on every commit, which at 320k rules costs
// seconds (bench/RESULTS.md).
//
// The image is read from the kernel (IPT_SO_GET_ENTRIES) on the first use of a
// table, on every full sync (EnsureAll, which the proxier calls first in a full
// sync) and whenever IPT_SO_GET_INFO shows the table is not the one last
// installed; chains and rules of others (DOCKER, user rules) are kept as the
// kernel returned them. A table it cannot split into chains goes to
// iptables-legacy-restore instead.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <unordered_set>

#include "../iptables/dump.h"
#include "../iptables/rule.h"
#include "common/log.h"
#include "exec.h"
#include "factories.h"
#include "libiptc_encode.h"
#include "xt_table.h"
#include "xtables_lock.h"

namespace proxyrules {
namespace {

using common::Result;
using common::Status;

// Targets EncodeRule writes as extensions; every other name is a verdict or
// a chain.
bool IsTargetExtension(const std::string& t) {
  return t == "DNAT" || t == "MASQUERADE" || t == "MARK" || t == "REJECT";
}

Result<XtRule> EncodeXt(const iptables::Rule& rule) {
  ASSIGN_OR_RETURN(EncodedRule e, EncodeRule(rule));
  return MakeXtRule(e.entry(), e.matchmask, IsTargetExtension(rule.target), rule.target);
}

Result<XtRule> EncodeArgs(std::string_view chain, const std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(iptables::Rule rule, iptables::ParseRule(std::string(chain), args));
  return EncodeXt(rule);
}

std::string ErrnoText(int err) {
  // libiptc's wording for what the kernel says about a whole table.
  switch (err) {
    case ENOENT: return "No chain/target/match by that name";
    case ELOOP: return "Loop found in table";
    case EAGAIN: return "Resource temporarily unavailable (the table changed meanwhile)";
    default: return std::strerror(err);
  }
}

class BlobBackend : public Backend {
 public:
  explicit BlobBackend(int fd) : fd_(fd) {}
  ~BlobBackend() override { close(fd_); }

  std::string_view name() const override { return "blob"; }
  std::string_view mode() const override { return "legacy"; }

  Status Restore(const std::string& data) override {
    ASSIGN_OR_RETURN(iptables::Dump dump, iptables::ParseDump(data));
    for (const auto& table : dump.tables) RETURN_IF_ERROR(RestoreTable(table));
    return Status::Ok();
  }

  Result<std::string> Save(std::string_view table) override {
    ASSIGN_OR_RETURN(ExecResult r, Exec({"iptables-legacy-save", "-t", std::string(table)}));
    if (r.exit_code != 0) return Status::Internal("iptables-legacy-save failed: " + r.err);
    return r.out;
  }

  Result<std::vector<std::string>> ListChains(std::string_view table) override {
    XtablesLock lock;
    RETURN_IF_ERROR(lock.status());
    ASSIGN_OR_RETURN(XtTable * t, Load(table, false));
    return t->ChainNames();
  }

  bool ChainExists(std::string_view table, std::string_view chain) override {
    auto chains = ListChains(table);
    if (!chains.ok()) return false;
    for (const auto& c : *chains)
      if (c == chain) return true;
    return false;
  }

  Status EnsureChain(std::string_view table, std::string_view chain) override {
    return EnsureAll(table, {std::string(chain)}, {});
  }

  Status EnsureRule(std::string_view table, std::string_view chain,
                    const std::vector<std::string>& args) override {
    return EnsureAll(table, {}, {RuleSpec{std::string(chain), args}});
  }

  // The proxier calls this first in every full sync: the image is read
  // afresh from the kernel here, so whatever others changed meanwhile (even
  // without changing the table's size) is kept from then on.
  Status EnsureAll(std::string_view table, const std::vector<std::string>& chains,
                   const std::vector<RuleSpec>& rules) override {
    std::vector<XtRule> encoded;
    for (const auto& r : rules) {
      ASSIGN_OR_RETURN(XtRule e, EncodeArgs(r.chain, r.args));
      encoded.push_back(std::move(e));
    }
    XtablesLock lock;
    RETURN_IF_ERROR(lock.status());
    ASSIGN_OR_RETURN(XtTable * t, Load(table, true));
    bool changed = false;
    Status st;
    for (const auto& c : chains) {
      if (t->HasChain(c)) continue;
      if (!(st = t->CreateChain(c)).ok()) return Drop(table, st);
      changed = true;
    }
    for (size_t i = 0; i < rules.size(); ++i) {
      if (!t->HasChain(rules[i].chain)) return Drop(table, Status::NotFound("no chain " + rules[i].chain));
      if (t->Find(rules[i].chain, encoded[i]) >= 0) continue;
      if (!(st = t->InsertFirst(rules[i].chain, std::move(encoded[i]))).ok()) return Drop(table, st);
      changed = true;
    }
    return changed ? Commit(table, t) : Status::Ok();
  }

  Status DeleteRule(std::string_view table, std::string_view chain,
                    const std::vector<std::string>& args) override {
    ASSIGN_OR_RETURN(XtRule e, EncodeArgs(chain, args));
    XtablesLock lock;
    RETURN_IF_ERROR(lock.status());
    ASSIGN_OR_RETURN(XtTable * t, Load(table, false));
    int at = t->Find(chain, e);
    if (at < 0) return Status::Ok();
    if (Status st = t->DeleteAt(chain, at); !st.ok()) return Drop(table, st);
    return Commit(table, t);
  }

 private:
  // What iptables-restore --noflush does with one table, in one commit.
  Status RestoreTable(const iptables::Table& table) {
    // Encode first: a bad rule must fail before anything is touched.
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::pair<const std::string*, XtRule>> entries;
    std::unordered_set<std::string> declared;
    for (const auto& c : table.chains) {
      declared.insert(c.name);
      for (const auto& line : c.rules) {
        auto rule = iptables::ParseRuleLine(line);
        if (!rule.ok()) return Status::Invalid("blob: " + rule.status().message());
        auto e = EncodeXt(*rule);
        if (!e.ok()) return Status::Invalid(e.status().message() + " in: " + line);
        entries.emplace_back(&c.name, std::move(*e));
      }
    }
    auto lap = [&t0, &table](const char* what) {
      auto now = std::chrono::steady_clock::now();
      VLOG(3, "blob restore phase", {"table", table.name}, {"phase", what},
           {"ms", std::chrono::duration<double, std::milli>(now - t0).count()});
      t0 = now;
    };
    lap("encode");
    XtablesLock lock;
    RETURN_IF_ERROR(lock.status());
    auto loaded = Load(table.name, false);
    lap("load");
    if (!loaded.ok() && loaded.status().code() == common::Code::kInvalid) {
      LOG_WARNING("Table not understood; restoring it with iptables-legacy-restore",
                  {"table", table.name}, {"err", loaded.status().message()});
      return Fallback(table);
    }
    if (!loaded.ok()) return loaded.status();
    XtTable* t = *loaded;
    for (const auto& [chain, e] : entries) {
      if (e.kind != XtRule::Kind::kJump) continue;
      if (!declared.count(e.jump) && !t->HasChain(e.jump))
        return Status::Invalid("blob: no chain/target/match by the name " + e.jump + " (in " + *chain + ")");
      if (t->IsBuiltin(e.jump)) return Status::Invalid("blob: cannot jump to built-in chain " + e.jump);
    }
    // From here on the image changes: any failure drops it (the kernel's
    // table is untouched until Commit, and is read again next time).
    Status st;
    for (const auto& c : table.chains) {
      if (!t->HasChain(c.name)) st = t->CreateChain(c.name);
      else if (t->IsBuiltin(c.name)) st = c.policy != "-" ? t->SetPolicy(c.name, c.policy) : Status::Ok();
      else st = t->Flush(c.name);
      if (!st.ok()) return Drop(table.name, st);
    }
    for (auto& [chain, e] : entries)
      if (!(st = t->Append(*chain, std::move(e))).ok()) return Drop(table.name, st);
    for (const auto& c : table.chains)
      if (c.deleted && !(st = t->DeleteChain(c.name)).ok()) return Drop(table.name, st);
    lap("edit");
    st = Commit(table.name, t);
    lap("commit");
    return st;
  }

  Status Fallback(const iptables::Table& table) {
    if (!fallback_) {
      ASSIGN_OR_RETURN(fallback_, NewRestoreBackend("legacy"));
    }
    iptables::Dump one;
    one.tables.push_back(table);
    cache_.erase(table.name);
    return fallback_->Restore(iptables::FormatDump(one));
  }

  Status Drop(std::string_view table, Status st) {
    cache_.erase(std::string(table));
    return Status::Invalid("blob: " + st.message() + " in table " + std::string(table));
  }

  Result<XtInfo> GetInfo(std::string_view table) {
    ipt_getinfo gi{};
    std::strncpy(gi.name, std::string(table).c_str(), sizeof(gi.name) - 1);
    socklen_t len = sizeof(gi);
    if (getsockopt(fd_, IPPROTO_IP, IPT_SO_GET_INFO, &gi, &len) != 0)
      return Status::Unavailable("blob: cannot read table " + std::string(table) + ": " +
                                 std::strerror(errno) + " (is the legacy iptables module loaded?)");
    XtInfo info;
    info.valid_hooks = gi.valid_hooks;
    std::memcpy(info.hook_entry, gi.hook_entry, sizeof(info.hook_entry));
    std::memcpy(info.underflow, gi.underflow, sizeof(info.underflow));
    info.num_entries = gi.num_entries;
    info.size = gi.size;
    return info;
  }

  // The image of `table`: the cached one if the kernel still holds what was
  // installed last (and `fresh` is false), else read from the kernel.
  // REQUIRES: the xtables lock is held.
  Result<XtTable*> Load(std::string_view table, bool fresh) {
    std::string name(table);
    ASSIGN_OR_RETURN(XtInfo info, GetInfo(table));
    current_[name] = info;
    auto it = cache_.find(name);
    if (!fresh && it != cache_.end() && installed_[name] == info) return it->second.get();
    std::vector<unsigned char> buf(sizeof(ipt_get_entries) + info.size);
    auto* ge = reinterpret_cast<ipt_get_entries*>(buf.data());
    std::strncpy(ge->name, name.c_str(), sizeof(ge->name) - 1);
    ge->size = info.size;
    socklen_t len = static_cast<socklen_t>(buf.size());
    if (getsockopt(fd_, IPPROTO_IP, IPT_SO_GET_ENTRIES, buf.data(), &len) != 0)
      return Status::Unavailable("blob: cannot read the entries of table " + name + ": " + std::strerror(errno));
    ASSIGN_OR_RETURN(auto t, XtTable::FromKernel(name, info, buf.data() + sizeof(ipt_get_entries)));
    installed_[name] = info;
    XtTable* out = t.get();
    cache_[name] = std::move(t);
    return out;
  }

  // Installs `t` over the table last seen by Load, carrying over counters.
  Status Commit(std::string_view table, XtTable* t) {
    std::string name(table);
    XtInfo info;
    auto t0 = std::chrono::steady_clock::now();
    std::vector<unsigned char>& blob = buffer_;
    if (Status st = t->Layout(&blob, &info); !st.ok()) return Drop(table, st);
    auto t1 = std::chrono::steady_clock::now();
    const XtInfo& now = current_[name];
    std::vector<xt_counters> old(now.num_entries);
    auto* r = reinterpret_cast<ipt_replace*>(blob.data());
    r->num_counters = now.num_entries;
    r->counters = old.data();
    if (setsockopt(fd_, IPPROTO_IP, IPT_SO_SET_REPLACE, blob.data(), blob.size()) != 0) {
      int err = errno;
      cache_.erase(name);
      return Status::Invalid("blob: cannot replace table " + name + ": " + ErrnoText(err));
    }
    VLOG(3, "blob commit", {"table", name}, {"entries", info.num_entries}, {"bytes", info.size},
         {"layoutMs", std::chrono::duration<double, std::milli>(t1 - t0).count()},
         {"replaceMs", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count()});
    installed_[name] = info;
    current_[name] = info;
    std::vector<xt_counters> add = t->Committed(old);
    if (!add.empty()) {
      std::vector<unsigned char> ci(sizeof(xt_counters_info) + add.size() * sizeof(xt_counters));
      auto* h = reinterpret_cast<xt_counters_info*>(ci.data());
      std::strncpy(h->name, name.c_str(), sizeof(h->name) - 1);
      h->num_counters = static_cast<unsigned int>(add.size());
      std::memcpy(ci.data() + sizeof(xt_counters_info), add.data(), add.size() * sizeof(xt_counters));
      if (setsockopt(fd_, IPPROTO_IP, IPT_SO_SET_ADD_COUNTERS, ci.data(), ci.size()) != 0)
        LOG_WARNING("Counters of unchanged rules were not carried over", {"table", name},
                    {"err", std::strerror(errno)});
    }
    return Status::Ok();
  }

  int fd_;
  std::map<std::string, std::unique_ptr<XtTable>> cache_;
  std::map<std::string, XtInfo> installed_;  // what our last commit/read left
  std::map<std::string, XtInfo> current_;    // what the last GET_INFO said
  std::unique_ptr<Backend> fallback_;
  std::vector<unsigned char> buffer_;  // the last SET_REPLACE argument, reused
};

}  // namespace

Result<std::unique_ptr<Backend>> NewBlobBackend() {
  int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
  if (fd < 0) return Status::FromErrno(errno, "socket", "AF_INET raw (needs CAP_NET_RAW)");
  ipt_getinfo gi{};
  std::strcpy(gi.name, "filter");
  socklen_t len = sizeof(gi);
  if (getsockopt(fd, IPPROTO_IP, IPT_SO_GET_INFO, &gi, &len) != 0) {
    int err = errno;
    close(fd);
    return Status::Unavailable(std::string("blob: cannot read table filter: ") + std::strerror(err) +
                               " (is the legacy iptables module loaded?)");
  }
  return std::unique_ptr<Backend>(new BlobBackend(fd));
}

}  // namespace proxyrules
