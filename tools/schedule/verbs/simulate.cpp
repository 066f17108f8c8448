// `schedule simulate`: offline placement and --explain.
#include <iostream>

#include "common/cli.h"
#include "simulate/report.h"
#include "simulate/simulator.h"
#include "verbs/verbs.h"

namespace schedule {

namespace {

struct SimulateFlags {
  std::vector<std::string> nodes, pods, existing;
  std::string config;
  std::string output;
  std::string explain;
  int parallelism = 0;
  uint64_t seed = 1;
};

int RunSimulate(const SimulateFlags& f) {
  SimulatorInputs in;
  in.node_files = f.nodes;
  in.pod_files = f.pods;
  in.existing_files = f.existing;
  in.seed = f.seed;
  in.explain = f.explain;
  if (!f.config.empty()) {
    auto c = LoadConfiguration(f.config);
    if (!c.ok()) {
      common::cli::PrintError(c.status().message());
      return common::cli::kExitUsage;
    }
    in.config = std::move(*c);
  }
  if (f.parallelism > 0) in.config.parallelism = f.parallelism;
  Simulator sim;
  if (auto st = sim.Load(in); !st.ok()) {
    std::string msg = st.message();
    // Plugin/profile errors come from the configuration.
    if (msg.starts_with("profiles[") && !f.config.empty()) msg = f.config + ": " + msg;
    common::cli::PrintError(msg);
    return common::cli::kExitUsage;
  }
  auto r = sim.Run();
  if (!r.ok()) return common::cli::Fail(r.status());
  if (!f.explain.empty()) {
    if (!r->detail) {
      common::cli::PrintError("--explain: pod \"" + f.explain + "\" was never attempted (gated, or no profile for its schedulerName)");
      return common::cli::kExitFailed;
    }
    if (f.output == "json") std::cout << common::DumpJsonPretty(ExplainToJson(*r->detail)) << "\n";
    else PrintExplain(*r->detail, std::cout);
    return common::cli::kExitOk;
  }
  if (f.output == "json") {
    std::cout << common::DumpJsonPretty(ResultToJson(*r)) << "\n";
  } else {
    PrintTable(*r, f.output == "wide", std::cout);
    if (f.output.empty()) PrintPendingMessages(*r, std::cerr);
  }
  return common::cli::kExitOk;
}

}  // namespace

std::function<int()> SetupSimulate(CLI::App* app) {
  auto f = std::make_shared<SimulateFlags>();
  app->add_option("--nodes", f->nodes,
                  "Nodes (JSON or YAML: a List, single objects, one per line, or kubectl get -o json output; - is stdin). "
                  "Pods bound to nodes and other objects in it count as the cluster's state")
      ->required()
      ->type_name("FILE");
  app->add_option("--pods", f->pods,
                  "Pods to place, in order (default: the pending pods found in --nodes and --existing)")
      ->type_name("FILE");
  app->add_option("--existing", f->existing, "More cluster state: running pods, PVs, PVCs, PriorityClasses, PDBs, ...")
      ->type_name("FILE");
  app->add_option("--config", f->config, "A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) file")
      ->type_name("FILE");
  app->add_option("-o,--output", f->output, "Output format: wide or json")->check(CLI::IsMember({"wide", "json"}));
  app->add_option("--explain", f->explain,
                  "Explain one pod's placement: every node's filter verdict and the feasible nodes' scores")
      ->type_name("POD");
  app->add_option("--parallelism", f->parallelism,
                  "Threads for filtering and scoring (overrides the configuration's parallelism, default 16)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  app->add_option("--seed", f->seed, "Seed for breaking ties between equally scored nodes (default 1)")->type_name("N");
  return [f] { return RunSimulate(*f); };
}

}  // namespace schedule
