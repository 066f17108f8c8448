// The process runtime: every container is a process started by its own shim,
// in its pod's cgroup and network namespace, with its own mount and UTS
// namespaces where volumes are bind-mounted and, when its image has a root
// filesystem under --image-dir, pivot_root'ed into it. State lives under
// --root-dir so a restarted nodeagent finds running containers again.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "cgroups.h"
#include "exit_watcher.h"
#include "images.h"
#include "network.h"
#include "pod_cgroups.h"
#include "shim_spec.h"
#include "runtime.h"
#include "volumes.h"

namespace nodeagent {

struct ProcessRuntimeOptions {
  std::string root_dir;
  std::string image_dir;
  bool require_image = false;  // --image-fallback=none
  bool netns = false;          // --pod-network=netns
  NetworkOptions network;
  bool cgroups = true;         // --cgroups-per-qos
  std::string cgroup_root = "/";
  CgroupPolicy cgroup_policy;
  int64_t log_max_size = 10 << 20;
  int log_max_files = 5;
  std::string node_name;
  std::string node_ip;
  int64_t allocatable_cpu_milli = 0;
  int64_t allocatable_memory = 0;
  std::string self_exe;        // the nodeagent binary the shims run
  ObjectLookup lookup;         // ConfigMaps/Secrets (phase 2); may be empty
};

class ProcessRuntime : public Runtime {
 public:
  explicit ProcessRuntime(ProcessRuntimeOptions options);
  ~ProcessRuntime() override;

  // Creates the state directories, the kubepods cgroups (limited to the
  // node's allocatable) and, with netns networking, the bridge.
  common::Status Init();

  void SetEventSink(EventSink sink) override;
  std::string Name() const override { return "kubix"; }
  std::variant<SandboxInfo, RuntimeError> EnsureSandbox(const PodSpec& pod) override;
  void StopSandbox(const std::string& uid) override;
  common::Status RemoveSandbox(const std::string& uid, bool remove_logs) override;
  std::variant<ContainerStatus, StartFailure> StartContainer(const PodSpec& pod,
                                                             const SandboxInfo& sandbox,
                                                             const ContainerSpec& container,
                                                             const ContainerConfig& config,
                                                             int attempt) override;
  void Signal(const std::string& uid, const ContainerStatus& c, int sig) override;
  ContainerStatus Inspect(const std::string& uid, const ContainerStatus& c) override;
  std::vector<ContainerStatus> ListContainers(const std::string& uid) override;
  std::vector<std::string> ListPods() override;
  bool HasPod(const std::string& uid) override;
  void PruneContainers(const std::string& uid, const std::string& container, int keep_from) override;
  common::Result<ExecResult> ExecSync(const std::string& uid, const ContainerStatus& c,
                                      const ContainerSpec& spec,
                                      const std::vector<std::string>& argv,
                                      std::chrono::milliseconds timeout,
                                      size_t max_output) override;
  std::string LogPath(const PodSpec& pod, const std::string& container, int attempt) override;
  common::Json Images() override { return images_.List(); }
  void Relist() override {}

  // The argv and environment to run `command` in container `c` (for
  // streaming exec); NotFound when it is not running.
  common::Result<std::pair<std::vector<std::string>, std::vector<std::string>>> EnterCommand(
      const std::string& uid, const ContainerStatus& c, const std::vector<std::string>& command);

  const CgroupManager* cgroups() const { return cgroups_.get(); }
  // The pod network, or null (host networking, or netns waiting for a CIDR).
  PodNetwork* network();
  // False while --pod-network=netns waits for the Node's spec.podCIDR.
  bool NetworkReady();
  // Sets the pod network up with `cidr` (from the Node's spec.podCIDR) if it
  // is not yet. Thread-safe.
  common::Status SetPodCidr(const std::string& cidr);

 private:
  struct Sandbox {
    SandboxInfo info;
    std::map<std::string, PreparedVolume> volumes;
    std::string hosts_file;
  };
  std::string PodDir(const std::string& uid) const { return opts_.root_dir + "/pods/" + uid; }
  std::string AttemptDir(const std::string& uid, const std::string& name, int attempt) const;
  ContainerStatus Load(const std::string& uid, const std::string& name, int attempt);
  void WatchExit(const std::string& uid, const std::string& id, int shim_pid, uint64_t start);
  common::Result<ShimSpec> BuildSpec(const PodSpec& pod, const Sandbox& sb,
                                     const ContainerSpec& c, const ContainerConfig& config,
                                     const std::optional<LocalImage>& image,
                                     const std::string& id, const std::string& dir,
                                     const std::string& log_path, std::string* reason);

  ProcessRuntimeOptions opts_;
  ImageStore images_;
  std::unique_ptr<CgroupManager> cgroups_;
  std::unique_ptr<PodNetwork> network_;
  ExitWatcher watcher_;
  std::mutex net_mu_;  // serializes SetPodCidr
  std::mutex mu_;
  EventSink sink_;
  std::map<std::string, Sandbox> sandboxes_;
  std::set<std::string> watched_;  // container IDs with an exit watch
  // Containers whose shim has exited: their state must be read from disk.
  // A watched container not in here is still running, so Inspect needs no I/O.
  std::set<std::string> exited_;
};

}  // namespace nodeagent
