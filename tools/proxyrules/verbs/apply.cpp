// proxyrules apply: one full sync of the given objects into the node's tables.
#include <cstdio>

#include "../backend/backend.h"
#include "../inputs.h"
#include "../sync/proxier.h"
#include "common/cli.h"
#include "common/log.h"
#include "input_paths.h"
#include "verbs.h"

namespace proxyrules {

void AddApplyFlags(CLI::App* app, Options* o) {
  AddInputFlags(app, o);
  AddProxierFlags(app, o);
  AddBackendFlag(app, o);
}

int RunApply(Options& o) {
  if (o.Family() != IPFamily::kIPv4) {
    common::cli::PrintError("apply: only IPv4 (iptables) is supported; render --ip-family IPv6 for ip6tables-restore");
    return common::cli::kExitUsage;
  }
  auto paths = InputPaths(o);
  if (!paths.ok()) return common::cli::Fail(paths.status());
  if (paths->empty()) {
    common::cli::PrintError("no input: give -f FILE (or --services/--endpoints); -f - reads stdin");
    return common::cli::kExitUsage;
  }
  Model model(o.NodeName());
  LoadStats stats;
  if (auto st = LoadFiles(*paths, o.Family(), &model, &stats); !st.ok()) return common::cli::Fail(st);
  auto backend = MakeBackend(o.backend);
  if (!backend.ok()) return common::cli::Fail(backend.status());
  auto cfg = BuildRenderConfig(o, /*probe_system=*/true);
  if (!cfg.ok()) return common::cli::Fail(cfg.status());

  ProxierOptions popts;
  popts.render = std::move(*cfg);
  Proxier proxier(&model, backend->get(), popts);
  // One sync has no earlier state to find stale UDP flows against.
  proxier.set_clear_conntrack(false);
  SyncOutcome out = proxier.Sync(/*force_full=*/true);
  if (!out.status.ok()) return common::cli::Fail(out.status);
  VLOG(1, "Applied rules", {"backend", std::string((*backend)->name())},
       {"services", stats.services}, {"skipped", stats.invalid},
       {"natRules", out.render.nat_rules}, {"filterRules", out.render.filter_rules},
       {"deletedChains", out.render.deleted_chains}, {"renderSeconds", out.render_seconds},
       {"restoreSeconds", out.restore_seconds});
  return common::cli::kExitOk;
}

}  // namespace proxyrules
