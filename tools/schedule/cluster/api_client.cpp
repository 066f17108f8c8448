#include "cluster/api_client.h"

#include "common/log.h"
#include "common/objects.h"
#include "common/timeutil.h"

namespace schedule {

using common::Json;
using CStatus = common::Status;

namespace {

const common::GroupVersionResource kPods{"", "v1", "pods"};

std::string Now() { return common::FormatRFC3339(common::Clock::now()); }

}  // namespace

std::string TruncateEventNote(const std::string& message) {
  if (message.size() <= kEventNoteLengthLimit) return message;
  return message.substr(0, kEventNoteLengthLimit - 4) + " ...";
}

Json FailedSchedulingStatusPatch(const Json* current, const std::string& reason, const std::string& message,
                                 const std::optional<std::string>& nominated) {
  const Json* old = nullptr;
  if (current) {
    const Json& conds = common::GetPath(*current, {"status", "conditions"});
    if (conds.is_array())
      for (const auto& c : conds)
        if (common::GetString(c, "type") == "PodScheduled") old = &c;
  }
  std::string old_nominated = current ? common::GetString(common::Get(*current, "status"), "nominatedNodeName") : "";
  bool nomination_changes = nominated && *nominated != old_nominated;
  bool same_condition = old && common::GetString(*old, "status") == "False" &&
                        common::GetString(*old, "reason") == reason && common::GetString(*old, "message") == message;
  if (same_condition && !nomination_changes) return nullptr;
  // Upstream's UpdatePodCondition: the transition time moves only when the
  // status does.
  std::string transition = old && common::GetString(*old, "status") == "False"
                               ? common::GetString(*old, "lastTransitionTime")
                               : "";
  if (transition.empty()) transition = Now();
  Json cond = {{"type", "PodScheduled"},         {"status", "False"},   {"reason", reason},
               {"message", message},             {"lastProbeTime", nullptr},
               {"lastTransitionTime", transition}};
  Json status = {{"conditions", Json::array({cond})}};
  if (nomination_changes) status["nominatedNodeName"] = nominated->empty() ? Json(nullptr) : Json(*nominated);
  return {{"status", status}};
}

ApiClient::ApiClient(common::RestClient* rest, common::EventRecorder* events, PodLookup lookup,
                     std::string scheduler_name, int writer_threads)
    : rest_(rest),
      events_(events),
      lookup_(std::move(lookup)),
      scheduler_name_(std::move(scheduler_name)),
      writers_(std::make_unique<common::ThreadPool>(writer_threads, "status-writer")) {}

ApiClient::~ApiClient() { writers_.reset(); }

uint64_t ApiClient::bind_failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bind_failures_;
}

Json ApiClient::EventObject(const Pod& pod) const {
  Json meta = {{"name", pod.name}, {"namespace", pod.ns}, {"uid", pod.uid}};
  if (pod.raw) {
    std::string rv = common::GetString(common::Get(*pod.raw, "metadata"), "resourceVersion");
    if (!rv.empty()) meta["resourceVersion"] = rv;
  }
  return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta}};
}

CStatus ApiClient::Bind(const Pod& pod, const std::string& node) {
  Json binding = {{"apiVersion", "v1"},
                  {"kind", "Binding"},
                  {"metadata", {{"name", pod.name}, {"namespace", pod.ns}, {"uid", pod.uid}}},
                  {"target", {{"apiVersion", "v1"}, {"kind", "Node"}, {"name", node}}}};
  auto r = rest_->Create(kPods, pod.ns, binding, {}, pod.name, "binding");
  if (r.ok()) return CStatus::Ok();
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++bind_failures_;
  }
  LOG_WARNING("binding failed", {"pod", pod.key}, {"node", node}, {"err", r.status().message()});
  return CStatus(r.status().code(), "binding rejected: " + r.status().message());
}

CStatus ApiClient::DeleteVictim(const Pod& victim, const Pod& preemptor, const std::string& node) {
  // As upstream's PrepareCandidate: say why first (the DisruptionTarget
  // condition), then delete with the pod's own grace period, then the event.
  Json cond = {{"type", "DisruptionTarget"},
               {"status", "True"},
               {"reason", "PreemptionByScheduler"},
               {"message", preemptor.scheduler_name + ": preempting to accommodate a higher priority pod"},
               {"lastTransitionTime", Now()}};
  auto p = rest_->Patch(kPods, victim.ns, victim.name, common::PatchType::kStrategic,
                        {{"status", {{"conditions", Json::array({cond})}}}}, {}, "status");
  if (!p.ok() && p.status().code() != common::Code::kNotFound)
    LOG_WARNING("could not set DisruptionTarget on a preemption victim", {"pod", victim.key},
             {"err", p.status().message()});
  common::DeleteOptions del;
  del.precondition_uid = victim.uid;
  auto d = rest_->Delete(kPods, victim.ns, victim.name, del);
  if (!d.ok() && d.status().code() != common::Code::kNotFound) return d.status();
  events_->Event(EventObject(victim), common::kEventTypeNormal, "Preempted",
                 "Preempted by pod " + preemptor.uid + " on node " + node);
  return CStatus::Ok();
}

CStatus ApiClient::ClearNomination(const Pod& pod) {
  auto r = rest_->Patch(kPods, pod.ns, pod.name, common::PatchType::kMerge,
                        {{"status", {{"nominatedNodeName", nullptr}}}}, {}, "status");
  if (!r.ok() && r.status().code() != common::Code::kNotFound) return r.status();
  return CStatus::Ok();
}

void ApiClient::PatchStatus(const Pod& pod, Json patch) {
  writers_->Submit([this, ns = pod.ns, name = pod.name, key = pod.key, patch = std::move(patch)] {
    auto r = rest_->Patch(kPods, ns, name, common::PatchType::kStrategic, patch, {}, "status");
    if (!r.ok() && r.status().code() != common::Code::kNotFound)
      LOG_WARNING("could not update the pod's PodScheduled condition", {"pod", key}, {"err", r.status().message()});
  });
}

void ApiClient::RecordFailure(const Pod& pod, const std::string& reason, const std::string& message,
                              const std::optional<std::string>& nominated_node) {
  events_->Event(EventObject(pod), common::kEventTypeWarning, "FailedScheduling", TruncateEventNote(message));
  Json patch = FailedSchedulingStatusPatch(pod.raw.get(), reason, message, nominated_node);
  if (!patch.is_null()) PatchStatus(pod, std::move(patch));
}

void ApiClient::RecordScheduled(const Pod& pod, const std::string& node) {
  events_->Event(EventObject(pod), common::kEventTypeNormal, "Scheduled",
                 "Successfully assigned " + pod.key + " to " + node);
}

std::optional<PodPtr> ApiClient::CurrentPendingPod(const Pod& pod) {
  if (!lookup_) return std::nullopt;
  return lookup_(pod);
}

}  // namespace schedule
