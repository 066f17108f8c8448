// Shutdown signals for daemons: SIGTERM/SIGINT handled by one waiting thread.
#pragma once

#include <chrono>

namespace common {

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and ignores SIGPIPE.
// Call first in main(), before any thread starts, so every thread inherits the mask.
void BlockShutdownSignals();

// Waits for SIGTERM or SIGINT (or `timeout`, if positive) and returns the signal
// number, or 0 on timeout. SIGHUP is consumed and ignored.
// REQUIRES: BlockShutdownSignals() was called.
int WaitForShutdownSignal(std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

// Tells systemd (Type=notify units) that the daemon is ready, or stopping.
// A no-op when $NOTIFY_SOCKET is unset.
void NotifyReady();
void NotifyStopping();

}  // namespace common
