// The table of controllers reconcile can run, and --controllers parsing
// with kube-controller-manager's syntax ('*', 'foo', '-foo').
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "controller.h"

namespace reconcile {

struct ControllerInfo {
  // kube-controller-manager's name ("deployment-controller").
  std::string_view name;
  // The short name upstream also accepts ("deployment").
  std::string_view alias;
  bool enabled_by_default;
  std::function<std::unique_ptr<Controller>(const Options&)> make;
};

// Every controller, in the order they are initialised. The garbage collector
// comes last: it watches whatever the others have not asked for, and only
// metadata of those.
const std::vector<ControllerInfo>& AllControllers();

// Names for --help: "deployment, replicaset, ...".
std::string KnownControllerNames();

// Resolves a --controllers list to the canonical names to run, in table
// order, as upstream's IsControllerEnabled does: the first entry naming a
// controller ('foo' or '-foo', by name or alias) decides; otherwise '*'
// enables it if it is on by default. Errors name an unknown controller:
// "\"foo\" is not in the list of known controllers".
common::Result<std::vector<std::string>> ResolveControllers(
    const std::vector<std::string>& flags);

}  // namespace reconcile
