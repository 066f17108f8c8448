#include "verbs.h"

namespace proxyrules {

const std::vector<Verb>& Verbs() {
  static const std::vector<Verb> kVerbs = {
      {"render", "write kube-proxy's iptables-restore input for the given objects to stdout",
       AddRenderFlags, RunRender},
      {"diff", "show what applying the given objects would change in the installed rules",
       AddDiffFlags, RunDiff},
      {"apply", "install the rules for the given objects atomically (one full sync)",
       AddApplyFlags, RunApply},
      {"cleanup", "remove every rule and chain kube-proxy's iptables mode creates",
       AddCleanupFlags, RunCleanup},
      {"run", "run as kube-proxy: watch Services, EndpointSlices and the Node, and keep the "
              "rules in sync",
       AddRunFlags, RunRun},
      {"hash", "print the chain names of a service port (and endpoint)", AddHashFlags, RunHash},
  };
  return kVerbs;
}

const Verb* FindVerb(std::string_view name) {
  for (const auto& v : Verbs())
    if (name == v.name) return &v;
  return nullptr;
}

}  // namespace proxyrules
