#include "pod_status.h"

#include "cri_log.h"
#include "images.h"
#include "qos.h"

namespace nodeagent {

using common::Json;

namespace {

std::string Time(common::TimePoint t) { return common::FormatRFC3339(t); }

Json Terminated(const ContainerStatus& s, const std::string& runtime) {
  Json t = Json::object();
  t["exitCode"] = s.exit_code;
  if (s.exit_code > 128 && s.exit_code < 128 + 65 && s.reason != "StartError") {
    // Upstream fills signal only from runtimes that report it; kept for kill exits.
  }
  t["reason"] = s.reason.empty() ? (s.exit_code == 0 ? "Completed" : "Error") : s.reason;
  if (!s.message.empty()) t["message"] = s.message;
  t["startedAt"] = s.started_at == common::TimePoint{} ? Json() : Json(Time(s.started_at));
  t["finishedAt"] = Time(s.finished_at);
  t["containerID"] = runtime + "://" + s.id;
  return Json{{"terminated", t}};
}

bool IsRunning(const ContainerView& c) {
  return c.current && c.current->state == ContainerState::kRunning;
}

bool IsExited(const ContainerView& c) {
  return c.current && c.current->state == ContainerState::kExited;
}

Json Condition(const std::string& type, bool status, const std::string& reason,
               const std::string& message, const Json& previous, common::TimePoint now) {
  std::string st = status ? "True" : "False";
  std::string transition = Time(now);
  for (const auto& p : common::Get(previous, "conditions"))
    if (common::GetString(p, "type") == type && common::GetString(p, "status") == st &&
        !common::GetString(p, "lastTransitionTime").empty())
      transition = common::GetString(p, "lastTransitionTime");
  Json c = Json::object();
  c["type"] = type;
  c["status"] = st;
  c["lastProbeTime"] = nullptr;
  c["lastTransitionTime"] = transition;
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}

std::string NameList(const std::vector<std::string>& names) {
  std::string s = "[";
  for (size_t i = 0; i < names.size(); ++i) s += (i ? " " : "") + names[i];
  return s + "]";
}

}  // namespace

std::string PodPhase(const PodView& v) {
  if (!v.forced_phase.empty()) return v.forced_phase;
  const PodSpec& spec = *v.pod;
  int pending_init = 0, failed_init = 0;
  for (const auto& c : v.init) {
    if (c.spec->IsSidecar()) {
      if (!(IsRunning(c) && c.started)) ++pending_init;
      continue;
    }
    if (!c.current) {
      ++pending_init;
      continue;
    }
    if (IsRunning(c)) {
      ++pending_init;
    } else if (IsExited(c) && !c.restart_pending) {
      if (c.current->exit_code != 0) ++failed_init;
    } else if (IsExited(c) && c.restart_pending) {
      // Waiting to restart after a failure.
      if (c.current->exit_code != 0) ++failed_init;
      else ++pending_init;
    } else {
      ++pending_init;
    }
  }
  int unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const auto& c : v.regular) {
    if (!c.current) {
      if (c.waiting_reason.empty()) ++unknown;
      else ++waiting;
      continue;
    }
    if (IsRunning(c)) {
      ++running;
    } else if (IsExited(c)) {
      // A container waiting to restart has a terminated lastState: it counts as stopped.
      ++stopped;
      if (!c.restart_pending && c.current->exit_code == 0) ++succeeded;
    } else {
      ++unknown;
    }
  }
  if (failed_init > 0 && spec.restart_policy == "Never") return "Failed";
  if (pending_init > 0 || (failed_init > 0 && !v.init.empty() && running == 0 && stopped == 0))
    return "Pending";
  if (waiting > 0) return "Pending";
  if (running > 0 && unknown == 0) return "Running";
  if (running == 0 && stopped > 0 && unknown == 0) {
    if (v.terminal) {
      // A pod whose containers were all stopped for good (it was deleted):
      // Succeeded only if every one of them exited 0.
      return stopped == succeeded ? "Succeeded" : "Failed";
    }
    if (spec.restart_policy == "Always") return "Running";
    if (stopped == succeeded) return "Succeeded";
    if (spec.restart_policy == "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

Json BuildContainerStatus(const ContainerView& c, const std::string& runtime) {
  Json s = Json::object();
  s["name"] = c.spec->name;
  Json state = Json::object(), last = Json::object();
  if (!c.current) {
    state = Json{{"waiting", Json{{"reason", c.waiting_reason.empty() ? "ContainerCreating" : c.waiting_reason}}}};
    if (!c.waiting_message.empty()) state["waiting"]["message"] = c.waiting_message;
    if (c.last) last = Terminated(*c.last, runtime);
  } else if (IsRunning(c)) {
    state = Json{{"running", Json{{"startedAt", Time(c.current->started_at)}}}};
    if (c.last) last = Terminated(*c.last, runtime);
  } else if (IsExited(c) && c.restart_pending) {
    Json w = Json{{"reason", c.waiting_reason.empty() ? "CrashLoopBackOff" : c.waiting_reason}};
    if (!c.waiting_message.empty()) w["message"] = c.waiting_message;
    state = Json{{"waiting", w}};
    last = Terminated(*c.current, runtime);
  } else if (IsExited(c)) {
    state = Terminated(*c.current, runtime);
    if (c.last) last = Terminated(*c.last, runtime);
  } else {
    state = Json{{"waiting", Json{{"reason", "ContainerCreating"}}}};
  }
  s["state"] = state;
  s["lastState"] = last;
  s["ready"] = c.ready;
  s["restartCount"] = c.restart_count;
  s["image"] = c.spec->image;
  s["imageID"] = c.current || c.last ? NormalizeImageRef(c.spec->image) : "";
  if (c.current) s["containerID"] = runtime + "://" + c.current->id;
  s["started"] = IsRunning(c) && c.started;
  return s;
}

Json BuildPodStatus(const PodView& v, const Json& previous, common::TimePoint now) {
  const PodSpec& pod = *v.pod;
  std::string phase = PodPhase(v);
  Json st = Json::object();
  st["phase"] = phase;

  // Conditions owned by the node, in upstream's order, then the others kept.
  Json conds = Json::array();
  bool done = phase == "Succeeded" || phase == "Failed";
  conds.push_back(Condition("PodReadyToStartContainers", v.sandbox_ready && !v.terminal, "", "",
                            previous, now));
  std::vector<std::string> incomplete;
  for (const auto& c : v.init) {
    bool ok = c.spec->IsSidecar() ? (IsRunning(c) && c.started)
                                  : (IsExited(c) && !c.restart_pending && c.current->exit_code == 0);
    // Once the regular containers run, init containers stay counted as done.
    if (!ok) incomplete.push_back(c.spec->name);
  }
  bool regular_started = false;
  for (const auto& c : v.regular) regular_started |= c.current.has_value();
  bool initialized = incomplete.empty() || regular_started;
  if (initialized)
    conds.push_back(Condition("Initialized", true, done && !incomplete.empty() ? "PodCompleted" : "",
                              "", previous, now));
  else
    conds.push_back(Condition("Initialized", false, "ContainersNotInitialized",
                              "containers with incomplete status: " + NameList(incomplete), previous, now));
  std::vector<std::string> unready;
  for (const auto& c : v.init)
    if (c.spec->IsSidecar() && !c.ready) unready.push_back(c.spec->name);
  for (const auto& c : v.regular)
    if (!c.ready) unready.push_back(c.spec->name);
  bool ready = unready.empty() && !done;
  std::string reason, message;
  if (done) {
    reason = "PodCompleted";
  } else if (!unready.empty()) {
    reason = "ContainersNotReady";
    message = "containers with unready status: " + NameList(unready);
  }
  conds.push_back(Condition("ContainersReady", ready, reason, message, previous, now));
  conds.push_back(Condition("Ready", ready, reason, message, previous, now));
  bool scheduled = false;
  for (const auto& p : common::Get(previous, "conditions")) {
    std::string type = common::GetString(p, "type");
    if (type == "PodReadyToStartContainers" || type == "Initialized" || type == "ContainersReady" ||
        type == "Ready")
      continue;
    scheduled |= type == "PodScheduled";
    conds.push_back(p);
  }
  if (!scheduled) conds.push_back(Condition("PodScheduled", true, "", "", previous, now));
  st["conditions"] = conds;
  if (!v.reason.empty()) st["reason"] = v.reason;
  if (!v.message.empty()) st["message"] = v.message;
  if (!v.host_ip.empty()) {
    st["hostIP"] = v.host_ip;
    st["hostIPs"] = Json::array({Json{{"ip", v.host_ip}}});
  }
  if (!v.pod_ip.empty() && !v.terminal) {
    st["podIP"] = v.pod_ip;
    st["podIPs"] = Json::array({Json{{"ip", v.pod_ip}}});
  }
  if (v.start_time) st["startTime"] = Time(*v.start_time);
  if (!v.init.empty()) {
    Json a = Json::array();
    for (const auto& c : v.init) a.push_back(BuildContainerStatus(c, v.runtime_name));
    st["initContainerStatuses"] = a;
  }
  Json a = Json::array();
  for (const auto& c : v.regular) a.push_back(BuildContainerStatus(c, v.runtime_name));
  st["containerStatuses"] = a;
  st["qosClass"] = QosName(PodQos(pod));
  return st;
}

}  // namespace nodeagent
