// The offline scheduler: loads nodes, running pods and other objects from
// files, places the pending pods with the real scheduling cycle (queue,
// backoff and preemption included, on a virtual clock that jumps to the next
// backoff expiry instead of sleeping), and reports where each pod went.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config.h"
#include "engine/clock.h"
#include "engine/scheduler.h"
#include "model/object_store.h"

namespace schedule {

struct SimulatorInputs {
  std::vector<std::string> node_files;      // nodes and any other objects
  std::vector<std::string> pod_files;       // the pods to place (and any other objects)
  std::vector<std::string> existing_files;  // running pods and any other objects
  Configuration config = DefaultConfiguration();
  uint64_t seed = 1;
  // "ns/name" or "name" of a pod to collect a CycleDetail for.
  std::string explain;
};

// What happened to one pod, for the report.
struct PodOutcome {
  PodPtr pod;
  enum class Phase { kScheduled, kPending, kPreempted } phase = Phase::kPending;
  std::string node;
  std::optional<int64_t> score;
  int attempts = 0;
  int feasible_nodes = 0;
  int evaluated_nodes = 0;
  std::string message;       // FailedScheduling text for pending pods
  std::string nominated_node;
  std::string preempted_by;  // for victims
  std::vector<std::string> victims;
};

struct SimulationResult {
  std::vector<PodOutcome> pods;  // pods to place, in input order, then preempted running pods
  int num_nodes = 0;
  int num_existing = 0;
  double seconds = 0;      // scheduling loop only, wall clock
  double cpu_seconds = 0;  // CPU time of the process during the loop (all threads)
  int cycles = 0;
  std::optional<CycleDetail> detail;  // the last attempt of the explained pod
};

class Simulator : public CycleObserver, public ClusterClient {
 public:
  Simulator();
  ~Simulator() override;

  // Reads and decodes every input. Errors name the file, object and field.
  common::Status Load(const SimulatorInputs& inputs);
  // Load, from objects already in memory (`inputs`' file lists are ignored).
  common::Status LoadObjects(const SimulatorInputs& inputs, std::vector<common::Json> nodes,
                             std::vector<common::Json> existing, std::vector<common::Json> pods);
  // Runs until no pod can make progress.
  common::Result<SimulationResult> Run();

  // CycleObserver
  void OnCycle(const CycleRecord& record) override;
  bool WantsDetail(const Pod& pod) override;
  void OnDetail(const CycleDetail& detail) override;
  // ClusterClient
  common::Status Bind(const Pod& pod, const std::string& node) override;
  common::Status DeleteVictim(const Pod& victim, const Pod& preemptor, const std::string& node) override;
  common::Status ClearNomination(const Pod& pod) override;
  void RecordFailure(const Pod& pod, const std::string& reason, const std::string& message,
                     const std::optional<std::string>& nominated_node) override;
  void RecordScheduled(const Pod& pod, const std::string& node) override;

  Scheduler* scheduler() { return scheduler_.get(); }

 private:
  struct Item {
    int source;
    std::string path;
    common::Json obj;
  };
  common::Status LoadItems(std::vector<Item> items);

  SimulatorInputs inputs_;
  FakeClock clock_;
  ObjectStore store_;
  std::unique_ptr<Scheduler> scheduler_;
  std::vector<NodePtr> nodes_;
  std::vector<PodPtr> existing_;
  std::vector<PodPtr> pending_;
  std::map<std::string, PodOutcome> outcomes_;  // by uid
  std::vector<std::string> victim_order_;       // uids of preempted running pods
  std::optional<CycleDetail> detail_;
  std::string explain_key_;
  int cycles_ = 0;
};

}  // namespace schedule
