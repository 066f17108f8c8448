// What the per-container shim needs to start and supervise one container
// process. nodeagent writes it as spec.json into the container's state
// directory; the shim (nodeagent re-executed as `nodeagent __shim DIR`) reads it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace nodeagent {

struct MountSpec {
  std::string source;   // host path (bind) or "tmpfs"
  std::string target;   // path inside the container
  bool read_only = false;
  bool tmpfs = false;
  std::string options;  // tmpfs options ("size=64m")
};

struct ShimSpec {
  std::string id;                 // container ID
  std::vector<std::string> args;  // argv; args[0] is looked up in PATH
  std::vector<std::string> env;   // "NAME=value"
  std::string cwd = "/";
  std::string rootfs;             // "" runs on the host's filesystem
  std::vector<MountSpec> mounts;
  std::string hostname;
  std::string netns;              // path of the pod's network namespace, "" for the host's
  std::vector<std::string> cgroup_procs;        // cgroup.procs files to join
  std::vector<std::string> cgroup_memory_dirs;  // container's and pod's memory cgroups (OOM counts)
  std::string cgroup_kill_name;                 // unused by the shim; for diagnostics
  int oom_score_adj = 0;
  std::optional<int64_t> uid, gid;
  std::string log_path;           // CRI log file
  int64_t log_max_size = 10 << 20;
  int log_max_files = 5;
  std::string state_dir;          // where state.json and exit.json go

  common::Json ToJson() const;
  static common::Result<ShimSpec> FromJson(const common::Json& j);
};

// state.json: written by the shim once the container process runs.
struct ShimState {
  int pid = 0;
  uint64_t pid_start_time = 0;  // field 22 of /proc/<pid>/stat, to detect pid reuse
  int shim_pid = 0;
  uint64_t shim_start_time = 0;
  std::string started_at;       // RFC3339Nano
};

// exit.json: written by the shim when the container is gone.
struct ShimExit {
  int exit_code = 0;
  std::string reason;   // Completed, Error, OOMKilled, StartError
  std::string message;
  std::string started_at, finished_at;  // RFC3339Nano; started_at "" for StartError
  int signal = 0;
};

common::Json ShimStateToJson(const ShimState& s);
ShimState ShimStateFromJson(const common::Json& j);
common::Json ShimExitToJson(const ShimExit& e);
ShimExit ShimExitFromJson(const common::Json& j);

// The start time of process `pid` in clock ticks since boot (0 if gone).
uint64_t ProcessStartTime(int pid);

}  // namespace nodeagent
