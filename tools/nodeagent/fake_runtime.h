// --runtime=fake: runs nothing. Containers "start" at once and report
// Running after --fake-start-delay; probes and execs succeed; pod IPs come
// from the pod CIDR without any network setup. The same pod workers, status
// and API traffic as the process runtime, without processes — the role of
// kubemark's hollow node and kwok's pod stages.
#pragma once

#include <chrono>
#include <map>
#include <mutex>

#include "ipam.h"
#include "runtime.h"
#include "timer_queue.h"

namespace nodeagent {

class FakeRuntime : public Runtime {
 public:
  // `cidr` may be empty (pods then get no IP). Thread-safe.
  FakeRuntime(TimerQueue* timers, std::chrono::milliseconds start_delay, std::string cidr);

  void SetEventSink(EventSink sink) override;
  std::string Name() const override { return "fake"; }
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
  void PruneContainers(const std::string&, const std::string&, int) override {}
  common::Result<ExecResult> ExecSync(const std::string&, const ContainerStatus&,
                                      const ContainerSpec&, const std::vector<std::string>&,
                                      std::chrono::milliseconds, size_t) override {
    return ExecResult{0, "", false};
  }
  std::string LogPath(const PodSpec&, const std::string&, int) override { return ""; }
  common::Json Images() override { return common::Json::array(); }
  void Relist() override {}

  // Makes the running instance of `container` exit with `exit_code` (the
  // reason follows from the code unless given). Returns false if none runs.
  bool ExitContainer(const std::string& uid, const std::string& container, int exit_code,
                     const std::string& reason = "");

 private:
  struct Pod {
    std::string ip;
    std::map<std::string, ContainerStatus> containers;  // by id
  };
  TimerQueue* timers_;
  std::chrono::milliseconds delay_;
  Ipv4Cidr cidr_;
  bool have_cidr_ = false;
  uint32_t next_ip_ = 0;
  std::mutex mu_;
  EventSink sink_;
  std::map<std::string, Pod> pods_;
  uint64_t next_id_ = 1;
};

}  // namespace nodeagent
