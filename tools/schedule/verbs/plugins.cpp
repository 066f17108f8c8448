// `schedule plugins`: the registry table.
#include <iostream>

#include "common/cli.h"
#include "common/json.h"
#include "config/config.h"
#include "plugins/registry.h"
#include "verbs/verbs.h"

namespace schedule {

std::function<int()> SetupPlugins(CLI::App* app) {
  auto output = std::make_shared<std::string>();
  app->add_option("-o,--output", *output, "Output format: json")->check(CLI::IsMember({"json"}));
  return [output] {
    const auto& reg = DefaultRegistry();
    const auto& defaults = DefaultMultiPointPlugins();
    // Default profile order first, as kube-scheduler lists them.
    std::vector<const PluginSpec*> specs;
    for (const auto& d : defaults)
      if (auto it = reg.find(d.name); it != reg.end()) specs.push_back(&it->second);
    for (const auto& [name, spec] : reg)
      if (std::find(specs.begin(), specs.end(), &spec) == specs.end()) specs.push_back(&spec);
    if (*output == "json") {
      common::Json out = common::Json::array();
      for (const auto* s : specs)
        out.push_back({{"name", s->name},
                       {"extensionPoints", s->points},
                       {"defaultWeight", s->default_weight},
                       {"args", s->args_kind}});
      std::cout << common::DumpJsonPretty(out) << "\n";
      return common::cli::kExitOk;
    }
    size_t w1 = 4, w2 = 16;
    for (const auto* s : specs) {
      w1 = std::max(w1, s->name.size());
      w2 = std::max(w2, s->points.size());
    }
    auto pad = [](const std::string& s, size_t w) { return s + std::string(w + 3 - s.size(), ' '); };
    std::cout << pad("NAME", w1) << pad("EXTENSION POINTS", w2) << "WEIGHT   ARGS\n";
    for (const auto* s : specs) {
      std::string weight = s->default_weight ? std::to_string(s->default_weight) : "-";
      std::cout << pad(s->name, w1) << pad(s->points, w2) << pad(weight, 6) << (s->args_kind.empty() ? "-" : s->args_kind)
                << "\n";
    }
    return common::cli::kExitOk;
  };
}

}  // namespace schedule
