// The code that runs in a freshly forked container process, between fork
// and exec: cgroups, OOM score, namespaces, mounts, root filesystem, user,
// working directory, then the command. Only ever called in a single-threaded
// child (the shim forks it), so it may allocate.
#pragma once

#include <string>

#include "shim_spec.h"

namespace nodeagent {

// Sets the process up as `spec` says and execs the command. Never returns:
// on any failure it writes one line describing it to `error_fd` (close-on-
// exec, so a successful exec shows as EOF to the reader) and exits 127.
// stdout and stderr go to `out_fd` and `err_fd`; stdin is /dev/null.
[[noreturn]] void ContainerInit(const ShimSpec& spec, int out_fd, int err_fd, int error_fd);

// Finds `file` in `path` (a $PATH value) the way Go's exec.LookPath does
// under `root` ("" for /). Returns the path to exec, or "" with `err` set to
// the runtime's message ("executable file not found in $PATH").
std::string LookPath(const std::string& file, const std::string& path, std::string* err);

}  // namespace nodeagent
