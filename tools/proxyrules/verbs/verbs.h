// proxyrules' verbs, registered in one table; one file per verb.
#pragma once

#include <CLI/CLI.hpp>
#include <vector>

#include "../options.h"

namespace proxyrules {

struct Verb {
  const char* name;
  const char* help;
  // Adds the verb's flags to its subcommand.
  void (*add_flags)(CLI::App* app, Options* o);
  // Runs the verb; returns the process exit code.
  int (*run)(Options& o);
};

// Every verb, in the order --help lists them.
const std::vector<Verb>& Verbs();
// The verb called `name`, or nullptr.
const Verb* FindVerb(std::string_view name);

void AddRenderFlags(CLI::App* app, Options* o);
int RunRender(Options& o);
void AddDiffFlags(CLI::App* app, Options* o);
int RunDiff(Options& o);
void AddApplyFlags(CLI::App* app, Options* o);
int RunApply(Options& o);
void AddCleanupFlags(CLI::App* app, Options* o);
int RunCleanup(Options& o);
void AddRunFlags(CLI::App* app, Options* o);
int RunRun(Options& o);
void AddHashFlags(CLI::App* app, Options* o);
int RunHash(Options& o);

}  // namespace proxyrules
