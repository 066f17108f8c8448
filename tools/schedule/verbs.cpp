#include "verbs.h"

#include <functional>
#include <memory>
#include <vector>

#include "common/cli.h"
#include "common/signals.h"
#include "verbs/verbs.h"

namespace schedule {

namespace {

struct VerbEntry {
  const char* name;
  const char* help;
  // Adds the verb's flags to `app`; returns the function that runs it.
  std::function<std::function<int()>(CLI::App*)> setup;
};

// Every verb, in the order --help lists them.
const std::vector<VerbEntry>& Verbs() {
  static const std::vector<VerbEntry> kVerbs = {
      {"run", "Run as the cluster's scheduler against an API server (kube-scheduler)", &SetupRun},
      {"simulate", "Place pods on nodes offline, from files, and explain the decisions", &SetupSimulate},
      {"plugins", "List the scheduling plugins, their extension points and default weights", &SetupPlugins},
      {"config", "Validate a KubeSchedulerConfiguration and print it with defaults applied", &SetupConfig},
  };
  return kVerbs;
}

}  // namespace

int Main(int argc, char** argv) {
  common::BlockShutdownSignals();
  common::cli::SetToolName("schedule");
  CLI::App app{"schedule: a Kubernetes scheduler (kube-scheduler) that also runs offline and explains itself"};
  app.name("schedule");
  app.require_subcommand(1);
  app.set_version_flag("--version", "schedule (kubix) 0.1");
  common::cli::AddVerbosityFlag(app);
  std::function<int()> run;
  for (const auto& v : Verbs()) {
    CLI::App* sub = app.add_subcommand(v.name, v.help);
    auto fn = v.setup(sub);
    sub->callback([&run, fn] { run = fn; });
  }
  if (auto code = common::cli::Parse(app, argc, argv)) return *code;
  return run ? run() : common::cli::kExitUsage;
}

}  // namespace schedule
