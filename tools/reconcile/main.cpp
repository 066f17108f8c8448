// reconcile: the controllers that keep declared state true
// (kube-controller-manager's job, plus LoadBalancer addresses).
#include "common/cli.h"
#include "common/signals.h"
#include "options.h"
#include "run.h"

int main(int argc, char** argv) {
  common::BlockShutdownSignals();
  common::cli::SetToolName("reconcile");
  CLI::App app{"reconcile - the controller manager of kubix", "reconcile"};
  reconcile::Options options;
  reconcile::AddFlags(app, &options);
  common::cli::AddVerbosityFlag(app);
  if (auto rc = common::cli::Parse(app, argc, argv)) return *rc;
  if (auto st = options.Validate(); !st.ok()) {
    common::cli::PrintError(st.message());
    return common::cli::kExitUsage;
  }
  return reconcile::Run(options);
}
