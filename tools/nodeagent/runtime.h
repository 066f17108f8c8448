// The container runtime interface between the pod workers (policy: what
// should run) and the machine (mechanism: processes, cgroups, namespaces,
// volumes). Two implementations: the process runtime and the fake one.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "common/timeutil.h"
#include "podspec.h"

namespace nodeagent {

// A pod's shared environment: its IP, network namespace and cgroup.
struct SandboxInfo {
  std::string uid;
  std::string ip;     // "" with host networking until the node IP is known
  std::string netns;  // "" for host networking
  std::string cgroup; // the pod cgroup's name ("kubepods/burstable/pod<uid>"), "" without cgroups
  common::TimePoint created;
};

// A sandbox or volume step failed: reason/message for the pod's status.
struct RuntimeError {
  std::string reason;   // e.g. "FailedMount", "FailedCreatePodSandBox"
  std::string message;
};

enum class ContainerState { kCreated, kRunning, kExited, kUnknown };

// One container instance (one attempt). Attempts count from 0; a
// container's restartCount is its latest attempt number.
struct ContainerStatus {
  std::string id;
  std::string name;
  int attempt = 0;
  ContainerState state = ContainerState::kUnknown;
  int pid = 0;
  std::string image;
  common::TimePoint started_at{}, finished_at{};
  int exit_code = 0;
  std::string reason;   // for kExited: Completed, Error, OOMKilled, StartError
  std::string message;
  std::string log_path;
};

// What the worker resolved for one container start (env and arguments are
// policy: they depend on the pod, the node and, with an API, ConfigMaps).
struct ContainerConfig {
  std::vector<std::string> args;  // command + args, expanded; empty = image default
  std::vector<std::string> env;   // NAME=value
  std::string working_dir;
  int oom_score_adj = 0;
};

// A failed start that the pod shows as Waiting with `reason` (no instance
// was created), e.g. ErrImageNeverPull or CreateContainerConfigError.
struct StartFailure {
  std::string reason;
  std::string message;
};

class Runtime {
 public:
  virtual ~Runtime() = default;

  // Called (from any thread) when something about pod `uid` changed on its
  // own: a container exited, a fake container became ready.
  using EventSink = std::function<void(const std::string& uid)>;
  virtual void SetEventSink(EventSink sink) = 0;

  // Runtime name for containerID ("kubix://<id>") and the node's status.
  virtual std::string Name() const = 0;

  // Creates or finds the pod's sandbox (cgroup, network, volumes).
  // Idempotent: a restarted nodeagent gets the existing one back.
  virtual std::variant<SandboxInfo, RuntimeError> EnsureSandbox(const PodSpec& pod) = 0;

  // Stops a pod for good while keeping its records: every process is
  // killed, the cgroup and the network namespace go; container records,
  // volumes and logs stay (a finished pod still shows its status and logs).
  virtual void StopSandbox(const std::string& uid) = 0;

  // Kills whatever is left of the pod and removes its cgroup, network
  // namespace, volumes and state. Logs stay unless `remove_logs`.
  virtual common::Status RemoveSandbox(const std::string& uid, bool remove_logs) = 0;

  // Starts attempt `attempt` of `container`. Returns the new instance
  // (kRunning, or kExited with reason StartError when exec failed), or a
  // StartFailure when no instance could be created at all.
  virtual std::variant<ContainerStatus, StartFailure> StartContainer(
      const PodSpec& pod, const SandboxInfo& sandbox, const ContainerSpec& container,
      const ContainerConfig& config, int attempt) = 0;

  // Sends `sig` to the container's main process (SIGKILL kills its whole cgroup).
  virtual void Signal(const std::string& uid, const ContainerStatus& c, int sig) = 0;

  // The latest state of instance `c` (exit code once it has exited).
  virtual ContainerStatus Inspect(const std::string& uid, const ContainerStatus& c) = 0;

  // Every instance on record for pod `uid`, oldest attempt first per
  // container (what a restarted nodeagent finds).
  virtual std::vector<ContainerStatus> ListContainers(const std::string& uid) = 0;
  // The UIDs of every pod the runtime holds state for.
  virtual std::vector<std::string> ListPods() = 0;
  // Whether the runtime holds state for pod `uid` (one lookup: the agent
  // asks for every new pod, and a fake runtime may hold 50,000).
  virtual bool HasPod(const std::string& uid) = 0;
  // Forgets instances of `uid`/`container` older than `keep_from` (GC).
  virtual void PruneContainers(const std::string& uid, const std::string& container,
                               int keep_from) = 0;

  // Runs `argv` inside a running container and waits up to `timeout`:
  // exit code and combined output (truncated to `max_output`). Used by exec
  // probes and hooks.
  struct ExecResult {
    int exit_code = -1;
    std::string output;
    bool timed_out = false;
  };
  virtual common::Result<ExecResult> ExecSync(const std::string& uid, const ContainerStatus& c,
                                              const ContainerSpec& spec,
                                              const std::vector<std::string>& argv,
                                              std::chrono::milliseconds timeout,
                                              size_t max_output = 10240) = 0;

  // The log file of attempt `attempt` of a container ("" when unknown).
  virtual std::string LogPath(const PodSpec& pod, const std::string& container, int attempt) = 0;

  // Images available locally, as status.images entries ({names, sizeBytes}).
  virtual common::Json Images() = 0;

  // Periodic work (every second): notices exits a notification missed.
  virtual void Relist() = 0;
};

}  // namespace nodeagent
