// The reconcile daemon: connect, serve /healthz and /metrics, win the
// leader Lease, run the enabled controllers until SIGTERM.
#pragma once

#include "options.h"

namespace reconcile {

// Runs until SIGTERM/SIGINT (exit 0 after draining) or until leadership is
// lost (exit 1, as kube-controller-manager exits). Returns the exit code.
// REQUIRES: options.Validate() succeeded; common::BlockShutdownSignals() was
// called before any thread started.
int Run(const Options& options);

}  // namespace reconcile
