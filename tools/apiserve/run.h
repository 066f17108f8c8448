// Runs the API server until SIGTERM/SIGINT: opens storage (embedded or
// --etcd-servers), starts the listeners, drains on shutdown.
#pragma once

#include "options.h"

namespace apiserve {

// Returns the process exit code (0 after a clean shutdown, 1 when storage or
// a listener cannot start).
// REQUIRES: o.Validate() succeeded; common::BlockShutdownSignals() was called.
int Run(const Options& o);

}  // namespace apiserve
