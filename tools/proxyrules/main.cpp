// proxyrules: kube-proxy's iptables rules, rendered offline or applied.
#include <map>

#include "common/cli.h"
#include "common/signals.h"
#include "verbs/verbs.h"

int main(int argc, char** argv) {
  common::BlockShutdownSignals();
  common::cli::SetToolName("proxyrules");
  CLI::App app{"proxyrules: kube-proxy's iptables rules for Services and EndpointSlices"};
  app.fallthrough();
  common::cli::AddVerbosityFlag(app);
  proxyrules::Options options;
  bool cleanup = false;
  app.add_flag("--cleanup", cleanup, "same as the cleanup verb (kube-proxy's flag)");
  std::map<CLI::App*, const proxyrules::Verb*> verbs;
  for (const auto& v : proxyrules::Verbs()) {
    CLI::App* sub = app.add_subcommand(v.name, v.help);
    v.add_flags(sub, &options);
    verbs[sub] = &v;
  }
  app.require_subcommand(0, 1);
  if (auto rc = common::cli::Parse(app, argc, argv)) return *rc;

  const proxyrules::Verb* verb = nullptr;
  for (auto& [sub, v] : verbs)
    if (sub->parsed()) verb = v;
  if (cleanup && !verb) verb = proxyrules::FindVerb("cleanup");
  if (!verb) {
    common::cli::PrintError("no verb given; run 'proxyrules --help' for usage");
    return common::cli::kExitUsage;
  }
  if (auto st = options.Validate(); !st.ok()) {
    common::cli::PrintError(st.message());
    return common::cli::kExitUsage;
  }
  return verb->run(options);
}
