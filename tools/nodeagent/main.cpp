// nodeagent: the kubelet and container runtime of kubix. See man/nodeagent.1.
#include <cstring>

#include "common/cli.h"
#include "common/signals.h"
#include "enter.h"
#include "options.h"
#include "reset.h"
#include "run.h"
#include "shim.h"

int main(int argc, char** argv) {
  // Internal re-executions of this binary (per-container shim, exec helper).
  if (argc >= 2 && std::strcmp(argv[1], nodeagent::kShimVerb) == 0) return nodeagent::RunShim(argc, argv);
  if (argc >= 2 && std::strcmp(argv[1], nodeagent::kEnterVerb) == 0) return nodeagent::RunEnter(argc, argv);
  common::BlockShutdownSignals();
  common::cli::SetToolName("nodeagent");
  CLI::App app{"nodeagent runs the pods of one node as processes in cgroups and network namespaces"};
  nodeagent::Options options;
  nodeagent::AddFlags(app, options);
  common::cli::AddVerbosityFlag(app);
  nodeagent::ResetOptions reset;
  CLI::App* reset_cmd = app.add_subcommand("reset", "kill every pod of a node and remove its state");
  nodeagent::AddResetFlags(*reset_cmd, reset);
  if (auto rc = common::cli::Parse(app, argc, argv)) return *rc;
  if (*reset_cmd) return nodeagent::RunReset(reset);
  if (auto st = options.Validate(); !st.ok()) {
    common::cli::PrintError(st.message());
    return common::cli::kExitUsage;
  }
  return nodeagent::Run(options);
}
