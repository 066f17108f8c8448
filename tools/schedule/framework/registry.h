// How plugins are made: a factory per plugin name taking the plugin's args
// (pluginConfig) and the framework that hosts it. The table of kubix's
// plugins and their default weights is plugins/registry.cpp.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "common/json.h"
#include "common/status.h"

namespace schedule {

class Framework;
class Plugin;

// `args` is the plugin's pluginConfig args (null when none); `field` names
// them in errors ("profiles[0].pluginConfig[1].args"). Returns Invalid for bad args.
using PluginFactory = std::function<common::Result<std::unique_ptr<Plugin>>(
    const common::Json& args, const std::string& field, Framework* fw)>;

struct PluginSpec {
  std::string name;
  PluginFactory factory;
  // Weight in the default MultiPoint set (0: not a default score plugin).
  int32_t default_weight = 0;
  // Extension points, for `schedule plugins` ("PreFilter,Filter,Score").
  std::string points;
  // Args kind accepted in pluginConfig ("NodeResourcesFitArgs"), "" when none.
  std::string args_kind;
};

using PluginRegistry = std::map<std::string, PluginSpec>;

}  // namespace schedule
