// `schedule config`: validates a KubeSchedulerConfiguration the way the
// scheduler would load it (plugins instantiated, args checked) and prints
// the merged result, like kube-scheduler's --write-config-to.
#include <iostream>

#include "common/cli.h"
#include "common/yaml.h"
#include "engine/clock.h"
#include "engine/scheduler.h"
#include "model/object_store.h"
#include "verbs/verbs.h"

namespace schedule {

std::function<int()> SetupConfig(CLI::App* app) {
  struct Opts {
    std::string config;
    std::string output = "yaml";
  };
  auto o = std::make_shared<Opts>();
  app->add_option("--config", o->config, "The KubeSchedulerConfiguration file to check (default: the built-in defaults)");
  app->add_option("-o,--output", o->output, "Output format: yaml or json")->check(CLI::IsMember({"yaml", "json"}));
  return [o] {
    Configuration cfg = DefaultConfiguration();
    if (!o->config.empty()) {
      auto c = LoadConfiguration(o->config);
      if (!c.ok()) {
        common::cli::PrintError(c.status().message());
        return int{common::cli::kExitUsage};
      }
      cfg = std::move(*c);
    }
    // Building the scheduler instantiates every plugin with its args.
    RealClock clock;
    ObjectStore store;
    SchedulerOptions so;
    so.config = cfg;
    so.clock = &clock;
    so.objects = &store;
    auto s = Scheduler::Create(so);
    if (!s.ok()) {
      common::cli::PrintError((o->config.empty() ? "" : o->config + ": ") + s.status().message());
      return int{common::cli::kExitUsage};
    }
    common::Json j = ConfigurationToJson(cfg);
    if (o->output == "json") std::cout << common::DumpJsonPretty(j) << "\n";
    else std::cout << common::ToYaml(j);
    return int{common::cli::kExitOk};
  };
}

}  // namespace schedule
