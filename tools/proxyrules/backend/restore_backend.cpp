// The iptables-restore backend: what kube-proxy does, one iptables-restore
// process per sync (works for iptables-legacy and iptables-nft alike).
#include <algorithm>

#include "../iptables/dump.h"
#include "common/log.h"
#include "common/strings.h"
#include "exec.h"
#include "factories.h"

namespace proxyrules {
namespace {

using common::Result;
using common::Status;

// The input lines around `line` (1-based), as kube-proxy logs them on a
// restore parse error.
std::string LinesAround(const std::string& data, int line, int context) {
  std::vector<std::string> lines = common::Split(data, '\n');
  std::string out;
  for (int i = std::max(1, line - context); i <= std::min<int>(lines.size(), line + context); ++i)
    out += (i == line ? "> " : "  ") + std::to_string(i) + ": " + lines[i - 1] + "\n";
  return out;
}

// iptables-restore reports "Error occurred at line: N" or "line N failed".
int FailedLine(const std::string& err) {
  for (std::string_view marker : {"line: ", "line "}) {
    size_t at = err.find(marker);
    if (at == std::string::npos) continue;
    auto n = common::ParseInt64(err.substr(at + marker.size(), err.find_first_not_of("0123456789", at + marker.size()) - at - marker.size()));
    if (n && *n > 0) return static_cast<int>(*n);
  }
  return 0;
}

class RestoreBackend : public Backend {
 public:
  RestoreBackend(std::string name, std::string suffix, std::string mode)
      : name_(std::move(name)), suffix_(std::move(suffix)), mode_(std::move(mode)) {}

  std::string_view name() const override { return name_; }
  std::string_view mode() const override { return mode_; }

  Status Restore(const std::string& data) override {
    // kube-proxy's flags: wait up to 5 s for the xtables lock; keep chains
    // not mentioned; keep counters. (kube-proxy adds "-W 100000", the poll
    // interval, which iptables 1.8.8+ ignores with a warning.)
    ASSIGN_OR_RETURN(ExecResult r, Exec({"iptables" + suffix_ + "-restore", "-w", "5", "--noflush",
                                         "--counters"},
                                        data));
    if (r.exit_code == 0) return Status::Ok();
    std::string msg = "iptables" + suffix_ + "-restore failed (exit " + std::to_string(r.exit_code) +
                      "): " + std::string(common::TrimSpace(r.err));
    if (int line = FailedLine(r.err)) msg += "\n" + LinesAround(data, line, 3);
    return Status::Internal(msg);
  }

  Result<std::string> Save(std::string_view table) override {
    ASSIGN_OR_RETURN(ExecResult r, Exec({"iptables" + suffix_ + "-save", "-t", std::string(table)}));
    if (r.exit_code != 0)
      return Status::Internal("iptables" + suffix_ + "-save -t " + std::string(table) +
                              " failed: " + std::string(common::TrimSpace(r.err)));
    return r.out;
  }

  bool ChainExists(std::string_view table, std::string_view chain) override {
    // Listing one (small) chain avoids printing the whole table.
    auto r = Run({"-t", std::string(table), "-n", "-L", std::string(chain)});
    return r.ok() && r->exit_code == 0;
  }

  Status EnsureChain(std::string_view table, std::string_view chain) override {
    // As kube-proxy: create, and take "already exists" for success.
    ASSIGN_OR_RETURN(ExecResult r, Run({"-t", std::string(table), "-N", std::string(chain)}));
    if (r.exit_code == 0 || r.err.find("exists") != std::string::npos) return Status::Ok();
    return Failed("-N " + std::string(chain), r);
  }

  Status EnsureRule(std::string_view table, std::string_view chain,
                    const std::vector<std::string>& args) override {
    std::vector<std::string> check = {"-t", std::string(table), "-C", std::string(chain)};
    check.insert(check.end(), args.begin(), args.end());
    ASSIGN_OR_RETURN(ExecResult r, Run(check));
    if (r.exit_code == 0) return Status::Ok();
    check[2] = "-I";
    ASSIGN_OR_RETURN(r, Run(check));
    if (r.exit_code == 0) return Status::Ok();
    return Failed("-I " + std::string(chain), r);
  }

  Status DeleteRule(std::string_view table, std::string_view chain,
                    const std::vector<std::string>& args) override {
    std::vector<std::string> check = {"-t", std::string(table), "-C", std::string(chain)};
    check.insert(check.end(), args.begin(), args.end());
    ASSIGN_OR_RETURN(ExecResult r, Run(check));
    if (r.exit_code != 0) return Status::Ok();  // not there (or no such chain)
    check[2] = "-D";
    ASSIGN_OR_RETURN(r, Run(check));
    if (r.exit_code == 0) return Status::Ok();
    return Failed("-D " + std::string(chain), r);
  }

 private:
  Result<ExecResult> Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"iptables" + suffix_, "-w", "5"});
    return Exec(args);
  }
  Status Failed(const std::string& what, const ExecResult& r) {
    return Status::Internal("iptables" + suffix_ + " " + what + " failed: " +
                            std::string(common::TrimSpace(r.err)));
  }

  std::string name_, suffix_, mode_;
};

}  // namespace

Result<std::unique_ptr<Backend>> NewRestoreBackend(const std::string& flavor) {
  std::string suffix = flavor.empty() ? "" : "-" + flavor;
  // "iptables v1.8.9 (nf_tables)" / "(legacy)": which kernel interface the
  // unsuffixed tools drive.
  auto v = Exec({"iptables" + suffix, "--version"});
  if (!v.ok() || v->exit_code != 0)
    return Status::Unavailable("iptables" + suffix + " is not installed or does not run");
  std::string mode = flavor;
  if (mode.empty()) mode = v->out.find("nf_tables") != std::string::npos ? "nft" : "legacy";
  std::string name = flavor.empty() ? "iptables-restore" : "iptables-" + flavor + "-restore";
  return std::unique_ptr<Backend>(new RestoreBackend(name, suffix, mode));
}

}  // namespace proxyrules
