// One function per verb: adds the verb's flags to its CLI11 subcommand and
// returns the function that runs it (after parsing) and yields the exit code.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace schedule {

std::function<int()> SetupSimulate(CLI::App* app);
std::function<int()> SetupPlugins(CLI::App* app);
std::function<int()> SetupConfig(CLI::App* app);
std::function<int()> SetupRun(CLI::App* app);

}  // namespace schedule
