// The daemon: the agent, its pod sources and its HTTP server, until SIGTERM.
#pragma once

#include "options.h"

namespace nodeagent {

// Runs nodeagent with validated `options`; returns the exit code.
int Run(const Options& options);

}  // namespace nodeagent
