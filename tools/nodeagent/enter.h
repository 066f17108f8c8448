// Running a command inside an existing container (exec probes, lifecycle
// hooks, kubectl exec): nodeagent re-executes itself as
// `nodeagent __enter PID CWD N PROCS... -- ARGV...`, which joins the cgroups
// and the network, UTS and mount namespaces of container process PID, changes
// to CWD and execs ARGV with its own environment (the container's).
#pragma once

#include <string>
#include <vector>

namespace nodeagent {

inline constexpr const char* kEnterVerb = "__enter";

// The helper's main. Exit status 126 or 127 (with a message on stderr) when
// the command cannot be run, as `runc exec` reports it.
int RunEnter(int argc, char** argv);

// The helper's argv for `pid`, `cwd`, the cgroup.procs files and the command.
std::vector<std::string> EnterArgs(const std::string& self_exe, int pid, const std::string& cwd,
                                   const std::vector<std::string>& procs,
                                   const std::vector<std::string>& command);

}  // namespace nodeagent
