// The scheduler's writes to the API server (cluster mode): bindings through
// pods/<name>/binding, preemption victims deleted with their DisruptionTarget
// condition, the PodScheduled condition and nominatedNodeName of pods that
// failed, and the Scheduled / FailedScheduling / Preempted events, as
// upstream's schedule_one.go and preemption code write them.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/events.h"
#include "common/rest_client.h"
#include "common/thread_pool.h"
#include "framework/interface.h"

namespace schedule {

// The longest event note upstream writes (NoteLengthLimit); longer messages
// are cut and end in " ...".
inline constexpr size_t kEventNoteLengthLimit = 1024;
// `message` cut to kEventNoteLengthLimit bytes the way upstream cuts notes.
std::string TruncateEventNote(const std::string& message);

// The strategic merge patch of a pod's status that records a failed attempt:
// PodScheduled=False with `reason` and `message`, and nominatedNodeName when
// `nominated` has a value ("" clears it). Keeps lastTransitionTime when
// the condition's status was already False. Null when `current` (the pod as
// last seen, may be null) already says all this: nothing to write.
common::Json FailedSchedulingStatusPatch(const common::Json* current, const std::string& reason,
                                         const std::string& message,
                                         const std::optional<std::string>& nominated);

// Thread-safe. Bind runs on the caller's thread (a binder thread); status
// patches and victim deletions run on a small pool of their own so the
// scheduling loop never waits for them; events go through the recorder.
class ApiClient : public ClusterClient {
 public:
  // Returns the pod as the informer has it now: null when deleted or bound.
  using PodLookup = std::function<std::optional<PodPtr>(const Pod& pod)>;

  // `rest` and `events` must outlive the client. `scheduler_name` names the
  // scheduler in the victims' DisruptionTarget message.
  ApiClient(common::RestClient* rest, common::EventRecorder* events, PodLookup lookup,
            std::string scheduler_name, int writer_threads = 2);
  ~ApiClient() override;  // finishes the queued writes

  common::Status Bind(const Pod& pod, const std::string& node) override;
  common::Status DeleteVictim(const Pod& victim, const Pod& preemptor, const std::string& node) override;
  common::Status ClearNomination(const Pod& pod) override;
  void RecordFailure(const Pod& pod, const std::string& reason, const std::string& message,
                     const std::optional<std::string>& nominated_node) override;
  void RecordScheduled(const Pod& pod, const std::string& node) override;
  std::optional<PodPtr> CurrentPendingPod(const Pod& pod) override;

  // Binding calls that failed (for tests and metrics).
  uint64_t bind_failures() const;

 private:
  common::Json EventObject(const Pod& pod) const;
  void PatchStatus(const Pod& pod, common::Json patch);

  common::RestClient* rest_;
  common::EventRecorder* events_;
  PodLookup lookup_;
  std::string scheduler_name_;
  mutable std::mutex mu_;
  uint64_t bind_failures_ = 0;
  std::unique_ptr<common::ThreadPool> writers_;  // last: joined first
};

}  // namespace schedule
