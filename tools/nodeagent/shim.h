// The per-container shim, nodeagent's containerd-shim/conmon: nodeagent
// re-executes itself as `nodeagent __shim DIR` for every container start.
// The shim forks the container, writes its output to the CRI log file,
// reaps it, kills what it left in its cgroup, and records how it ended in
// DIR/exit.json. It runs in its own session, so the container outlives a
// nodeagent restart and its exit status is never lost.
#pragma once

namespace nodeagent {

// The argv[1] that selects the shim.
inline constexpr const char* kShimVerb = "__shim";

// Runs the shim for the container described by DIR/spec.json. Reports
// "started <pid>" or "error <message>" on fd 3 (then closes it). Returns the
// shim's exit code (0 once exit.json is written).
int RunShim(int argc, char** argv);

}  // namespace nodeagent
