// apiserve: the Kubernetes REST API (kube-apiserver's job) over the embedded
// MVCC store, kvstore or a real etcd.
#include "common/cli.h"
#include "common/signals.h"
#include "options.h"
#include "run.h"

int main(int argc, char** argv) {
  common::BlockShutdownSignals();
  common::cli::SetToolName("apiserve");
  CLI::App app{"apiserve - the Kubernetes API server of kubix", "apiserve"};
  apiserve::Options options;
  apiserve::AddFlags(app, &options);
  if (auto rc = common::cli::Parse(app, argc, argv)) return *rc;
  if (auto st = options.Validate(); !st.ok()) {
    common::cli::PrintError(st.message());
    return common::cli::kExitUsage;
  }
  return apiserve::Run(options);
}
