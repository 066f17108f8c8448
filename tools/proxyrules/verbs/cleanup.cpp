// proxyrules cleanup (or --cleanup): remove kube-proxy's rules and chains.
#include "../backend/backend.h"
#include "../sync/cleanup.h"
#include "common/cli.h"
#include "verbs.h"

namespace proxyrules {

void AddCleanupFlags(CLI::App* app, Options* o) { AddBackendFlag(app, o); }

int RunCleanup(Options& o) {
  auto backend = MakeBackend(o.backend);
  if (!backend.ok()) return common::cli::Fail(backend.status());
  if (auto st = CleanupLeftovers(**backend); !st.ok()) return common::cli::Fail(st);
  return common::cli::kExitOk;
}

}  // namespace proxyrules
