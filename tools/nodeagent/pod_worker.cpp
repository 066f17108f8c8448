#include "pod_worker.h"

#include <signal.h>

#include <thread>

#include "common/log.h"
#include "common/packed_json.h"
#include "cri_log.h"
#include "duration.h"
#include "env.h"
#include "pod_status.h"
#include "prober.h"
#include "qos.h"

namespace nodeagent {

using common::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {

// How long to wait before retrying a sandbox or configuration failure
// (the kubelet's pod sync backOffPeriod).
constexpr auto kRetryPeriod = std::chrono::seconds(10);

bool Running(const std::optional<ContainerStatus>& c) {
  return c && (c->state == ContainerState::kRunning || c->state == ContainerState::kCreated);
}
bool Exited(const std::optional<ContainerStatus>& c) {
  return c && c->state == ContainerState::kExited;
}

SteadyClock::time_point ToSteady(common::TimePoint t) {
  auto ago = common::Clock::now() - t;
  return SteadyClock::now() - std::chrono::duration_cast<SteadyClock::duration>(ago);
}

}  // namespace

namespace {

bool NodeOwnedCondition(const std::string& type) {
  return type == "PodReadyToStartContainers" || type == "Initialized" || type == "ContainersReady" ||
         type == "Ready";
}

// The conditions of the API's copy `pod` that the node does not own; null
// when it has no conditions at all.
Json ForeignConditions(const Json& pod) {
  const Json& all = common::GetPath(pod, {"status", "conditions"});
  if (!all.is_array() || all.empty()) return Json();
  Json out = Json::array();
  for (const auto& c : all)
    if (!NodeOwnedCondition(common::GetString(c, "type"))) out.push_back(c);
  return out;
}

}  // namespace

PodWorker::PodWorker(PodHost* host, PodSpec spec, bool is_static)
    : host_(host), is_static_(is_static), uid_(spec.uid), node_name_(spec.node_name), spec_(std::move(spec)) {
  for (const ContainerSpec* c : spec_.AllContainers()) records_[c->name].spec = c;
  // What the API server would hold before the node looked at the pod.
  status_packed_ = common::PackJson(Json{{"phase", "Pending"}, {"qosClass", QosName(PodQos(spec_))}});
  // A pod the API already knows started (a nodeagent restart) keeps its startTime.
  if (auto t = common::ParseRFC3339(common::GetString(common::Get(spec_.Raw(), "status"), "startTime")); t.ok())
    start_time_ = *t;
  api_conditions_ = ForeignConditions(spec_.Raw());
}

PodWorker::Record& PodWorker::Rec(const std::string& name) { return records_[name]; }

void PodWorker::Update(PodSpec spec) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::map<std::string, std::string> old_images;
    for (const ContainerSpec* c : spec_.AllContainers()) old_images[c->name] = c->image;
    spec_ = std::move(spec);
    if (spec_.raw) api_conditions_ = ForeignConditions(*spec_.raw);
    for (const ContainerSpec* c : spec_.AllContainers()) {
      Record& r = records_[c->name];
      r.spec = c;
      // A changed image restarts the container (its spec hash changed upstream).
      if (old_images.count(c->name) && old_images[c->name] != c->image && Running(r.current) &&
          !r.killing && stage_ == Stage::kSyncing)
        KillContainerLocked(r, spec_.termination_grace_period_seconds,
                            "Container " + c->name + " definition changed, will be restarted");
    }
  }
  Trigger();
}

void PodWorker::Remove() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    removed_ = true;
  }
  Trigger();
}

void PodWorker::Evict(const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stage_ != Stage::kSyncing) return;
    forced_phase_ = "Failed";
    forced_reason_ = "Evicted";
    forced_message_ = message;
    forced_grace_ = 0;
  }
  Trigger();
}

void PodWorker::Adopt() {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = host_->runtime().ListContainers(uid_);
  for (auto& cs : found) {
    auto it = records_.find(cs.name);
    if (it == records_.end()) continue;  // a container the spec no longer has
    Record& r = it->second;
    r.last = r.current;
    r.current = cs;
    r.started_once = true;
  }
  if (!found.empty()) {
    admitted_ = true;
    reported_running_ = true;
    common::TimePoint earliest = common::Clock::now();
    for (const auto& cs : found)
      if (cs.started_at != common::TimePoint{} && cs.started_at < earliest) earliest = cs.started_at;
    start_time_ = earliest;
  }
  for (auto& [name, r] : records_)
    if (Running(r.current)) SetupProbesLocked(r);
}

void PodWorker::Trigger() {
  {
    std::lock_guard<std::mutex> lock(sched_mu_);
    if (running_) {
      rerun_ = true;
      return;
    }
    if (queued_) return;
    queued_ = true;
  }
  host_->ScheduleSync(shared_from_this());
}

void PodWorker::RunSync() {
  {
    std::lock_guard<std::mutex> lock(sched_mu_);
    queued_ = false;
    running_ = true;
  }
  for (;;) {
    SyncOnce();
    std::lock_guard<std::mutex> lock(sched_mu_);
    if (!rerun_) {
      running_ = false;
      return;
    }
    rerun_ = false;
  }
}

std::string PodWorker::BackoffKey(const Record& r) const { return uid_ + "/" + r.spec->name; }

void PodWorker::RefreshLocked() {
  for (auto& [name, r] : records_) {
    if (!r.current || r.current->state == ContainerState::kExited) continue;
    ContainerStatus before = *r.current;
    r.current = host_->runtime().Inspect(uid_, *r.current);
    if (r.current->state == ContainerState::kExited) {
      r.killing = false;
      if (r.kill_message.empty() && r.current->reason == "OOMKilled")
        host_->Event(spec_, "Warning", "OOMKilling", "Container " + name + " was OOM-killed");
      r.kill_message.clear();
    }
    if (before.state == ContainerState::kCreated && r.current->state == ContainerState::kRunning)
      SetupProbesLocked(r);
  }
}

bool PodWorker::ShouldRestart(const Record& r) const {
  if (!Exited(r.current)) return false;
  if (r.spec->IsSidecar()) return true;
  int code = r.current->exit_code;
  if (r.spec->init) return spec_.restart_policy != "Never" && code != 0;
  if (spec_.restart_policy == "Always") return true;
  if (spec_.restart_policy == "OnFailure") return code != 0;
  return false;
}

bool PodWorker::StartLocked(Record& r, int attempt) {
  const ContainerSpec& c = *r.spec;
  std::string pod_ip = sandbox_ ? sandbox_->ip : "";
  auto env = ResolveEnv(spec_, c, host_->Downward(pod_ip), host_->Lookup());
  auto retry_later = [&] {
    if (retry_scheduled_) return;
    retry_scheduled_ = true;
    std::weak_ptr<PodWorker> weak = weak_from_this();
    host_->timers().After(kRetryPeriod, [weak] {
      if (auto w = weak.lock()) {
        {
          std::lock_guard<std::mutex> lock(w->mu_);
          w->retry_scheduled_ = false;
        }
        w->Trigger();
      }
    });
  };
  if (!env.ok()) {
    r.waiting_reason = "CreateContainerConfigError";
    r.waiting_message = env.status().message();
    r.restart_pending = Exited(r.current);
    host_->Event(spec_, "Warning", "Failed", "Error: " + env.status().message());
    retry_later();
    return false;
  }
  ContainerConfig config;
  if (!c.command.empty()) {
    config.args = env->command;
    config.args.insert(config.args.end(), env->args.begin(), env->args.end());
  } else {
    config.args = env->args;
  }
  config.env = env->env;
  config.working_dir = c.working_dir;
  config.oom_score_adj = ContainerOomScoreAdj(spec_, c, host_->MemoryCapacity());
  auto result = host_->runtime().StartContainer(spec_, *sandbox_, c, config, attempt);
  if (!std::holds_alternative<StartFailure>(result)) {
    // The kubelet's sequence for an image already on the node.
    host_->Event(spec_, "Normal", "Pulled", "Container image \"" + c.image + "\" already present on machine");
    host_->Event(spec_, "Normal", "Created", "Created container " + c.name);
  }
  if (auto* f = std::get_if<StartFailure>(&result)) {
    bool again = r.waiting_reason == "ErrImagePull" || r.waiting_reason == "ImagePullBackOff";
    r.waiting_reason = f->reason == "ErrImagePull" && again ? "ImagePullBackOff" : f->reason;
    r.waiting_message = f->reason == "ErrImagePull" && again
                            ? "Back-off pulling image \"" + c.image + "\": " + f->message
                            : f->message;
    r.restart_pending = Exited(r.current);
    host_->Event(spec_, "Warning", "Failed", "Error: " + f->reason + ": " + f->message);
    retry_later();
    return false;
  }
  ContainerStatus cs = std::get<ContainerStatus>(std::move(result));
  if (r.current) r.last = r.current;
  r.current = cs;
  r.restart_pending = false;
  r.waiting_reason.clear();
  r.waiting_message.clear();
  r.killing = false;
  r.kill_message.clear();
  r.liveness.reset();
  r.readiness.reset();
  r.startup.reset();
  if (cs.state == ContainerState::kExited) {
    // The process could not be started (exec failed, limits refused): the
    // restart policy decides on the next sync, right away.
    host_->Event(spec_, "Warning", "Failed", "Error: " + cs.message);
    resync_ = true;
    return false;
  }
  r.started_once = true;
  host_->Event(spec_, "Normal", "Started", "Started container " + c.name);
  if (cs.state == ContainerState::kRunning) SetupProbesLocked(r);
  if (c.post_start) {
    r.post_start_running = true;
    std::weak_ptr<PodWorker> weak = weak_from_this();
    PodSpec pod = spec_;
    Handler h = *c.post_start;
    std::string name = c.name;
    host_->RunProbe([weak, pod, h, name, cs, pod_ip] {
      auto w = weak.lock();
      if (!w) return;
      const ContainerSpec* spec = pod.FindContainer(name);
      HandlerOutcome o = RunHandler(w->host_->runtime(), pod, *spec, cs, h, pod_ip,
                                    std::chrono::seconds(pod.termination_grace_period_seconds + 30));
      std::lock_guard<std::mutex> lock(w->mu_);
      auto it = w->records_.find(name);
      if (it == w->records_.end()) return;
      Record& r = it->second;
      r.post_start_running = false;
      if (!r.current || r.current->id != cs.id) return;
      if (o.result == ProbeResult::kFailure) {
        w->host_->Event(w->spec_, "Warning", "FailedPostStartHook", o.output);
        if (Running(r.current) && !r.killing)
          w->KillContainerLocked(r, w->spec_.termination_grace_period_seconds,
                                 "FailedPostStartHook");
      }
    });
  }
  return true;
}

bool PodWorker::MaybeRestartLocked(Record& r, const std::string& key_prefix) {
  (void)key_prefix;
  auto now = SteadyClock::now();
  auto delay = host_->backoff().TryRestart(BackoffKey(r), ToSteady(r.current->finished_at), now);
  if (delay.count() > 0) {
    r.restart_pending = true;
    r.waiting_reason = "CrashLoopBackOff";
    r.waiting_message = "back-off " + FormatDuration(host_->backoff().Current(BackoffKey(r))) +
                        " restarting failed container=" + r.spec->name + " pod=" + spec_.name +
                        "_" + spec_.ns + "(" + uid_ + ")";
    std::weak_ptr<PodWorker> weak = weak_from_this();
    host_->timers().After(delay + std::chrono::milliseconds(5), [weak] {
      if (auto w = weak.lock()) w->Trigger();
    });
    return false;
  }
  return StartLocked(r, r.current->attempt + 1);
}

void PodWorker::SyncContainersLocked() {
  bool regular_started = false;
  for (const auto& c : spec_.containers) regular_started |= Rec(c.name).started_once;
  bool init_done = true;
  for (const auto& c : spec_.init_containers) {
    Record& r = Rec(c.name);
    if (c.IsSidecar()) {
      if (!Running(r.current)) {
        if (!r.current) StartLocked(r, 0);
        else if (!r.killing) MaybeRestartLocked(r, "");
        init_done = false;
        break;
      }
      bool started = !r.startup || r.startup->result() == ProbeResult::kSuccess;
      if (!started && !regular_started) {
        init_done = false;
        break;
      }
      continue;
    }
    if (regular_started) continue;  // init containers never run again once the pod is initialized
    if (Exited(r.current) && r.current->exit_code == 0) continue;
    init_done = false;
    if (!r.current) {
      if (r.waiting_reason.empty() || r.waiting_reason == "ContainerCreating" || !retry_scheduled_)
        StartLocked(r, 0);
    } else if (Exited(r.current)) {
      if (ShouldRestart(r)) MaybeRestartLocked(r, "");
      else r.restart_pending = false;
    }
    break;
  }
  if (!init_done && !regular_started) return;
  for (const auto& c : spec_.containers) {
    Record& r = Rec(c.name);
    if (!r.current) {
      if (r.waiting_reason.empty() || !retry_scheduled_) StartLocked(r, 0);
      continue;
    }
    if (Running(r.current)) {
      bool failed_probe = (r.liveness && r.liveness->on_hold()) || (r.startup && r.startup->on_hold());
      if (failed_probe && !r.killing) {
        const ProbeState* p = r.startup && r.startup->on_hold() ? r.startup.get() : r.liveness.get();
        int64_t grace = p->spec().termination_grace_period_seconds.value_or(
            spec_.termination_grace_period_seconds);
        KillContainerLocked(r, grace,
                            "Container " + c.name + " failed " +
                                (p->type() == ProbeType::kStartup ? "startup" : "liveness") +
                                " probe, will be restarted");
      }
      continue;
    }
    if (ShouldRestart(r)) {
      if (!r.killing) MaybeRestartLocked(r, "");
    } else {
      r.restart_pending = false;
    }
  }
  // The first moment every container runs: the pod has started.
  if (!reported_running_) {
    bool all = true;
    for (const auto& c : spec_.containers) all &= Rec(c.name).current.has_value() &&
                                                 Rec(c.name).current->state == ContainerState::kRunning;
    if (all) {
      reported_running_ = true;
      host_->OnFirstRunning(spec_, common::Clock::now());
    }
  }
}

int64_t PodWorker::DeletionGraceLocked() const {
  if (forced_grace_ >= 0) return forced_grace_;
  if (spec_.deletion_grace_period_seconds) return *spec_.deletion_grace_period_seconds;
  return spec_.termination_grace_period_seconds;
}

void PodWorker::KillContainerLocked(Record& r, int64_t grace_seconds, const std::string& message) {
  if (!r.current || r.killing) return;
  r.killing = true;
  r.kill_message = message;
  host_->Event(spec_, "Normal", "Killing",
               message.empty() ? "Stopping container " + r.spec->name : message);
  ContainerStatus cs = *r.current;
  Runtime& rt = host_->runtime();
  std::optional<Handler> pre_stop = r.spec->pre_stop;
  // No grace and nothing to run first: kill inline, the exit event resyncs.
  if (grace_seconds <= 0 || (!pre_stop && rt.Name() == "fake")) {
    rt.Signal(uid_, cs, grace_seconds <= 0 ? SIGKILL : SIGTERM);
    return;
  }
  std::weak_ptr<PodWorker> weak = weak_from_this();
  PodSpec pod = spec_;
  std::string name = r.spec->name;
  std::string pod_ip = sandbox_ ? sandbox_->ip : "";
  host_->RunKiller([weak, pod, name, cs, pre_stop, grace_seconds, pod_ip, &rt] {
    auto deadline = SteadyClock::now() + std::chrono::seconds(grace_seconds);
    auto exited = [&] { return rt.Inspect(pod.uid, cs).state == ContainerState::kExited; };
    if (pre_stop) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
      HandlerOutcome o = RunHandler(rt, pod, *pod.FindContainer(name), cs, *pre_stop, pod_ip, left);
      if (o.result == ProbeResult::kFailure)
        if (auto w = weak.lock())
          w->host_->Event(pod, "Warning", "FailedPreStopHook",
                          "PreStopHook failed: " + o.output);
    }
    if (!exited()) {
      rt.Signal(pod.uid, cs, SIGTERM);
      while (SteadyClock::now() < deadline && !exited())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!exited()) {
      rt.Signal(pod.uid, cs, SIGKILL);
      auto hard = SteadyClock::now() + std::chrono::seconds(10);
      while (SteadyClock::now() < hard && !exited())
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (auto w = weak.lock()) w->Trigger();
  });
}

void PodWorker::TerminateLocked(int64_t grace) {
  bool any = false;
  for (const auto& c : spec_.containers) {
    Record& r = Rec(c.name);
    if (!Running(r.current)) continue;
    any = true;
    KillContainerLocked(r, grace, "");
  }
  // Sidecars and init containers stop after the main containers, last started first.
  if (!any)
    for (auto it = spec_.init_containers.rbegin(); it != spec_.init_containers.rend(); ++it) {
      Record& r = Rec(it->name);
      if (!Running(r.current)) continue;
      any = true;
      KillContainerLocked(r, grace, "");
    }
  if (any) return;
  host_->runtime().StopSandbox(uid_);
  for (auto& [n, r] : records_) r.restart_pending = false;
  stage_ = Stage::kTerminated;
}

void PodWorker::SetupProbesLocked(Record& r) {
  if (!r.current) return;
  const ContainerSpec& c = *r.spec;
  std::string id = r.current->id;
  if (c.startup) r.startup = std::make_unique<ProbeState>(ProbeType::kStartup, *c.startup);
  if (c.liveness) r.liveness = std::make_unique<ProbeState>(ProbeType::kLiveness, *c.liveness);
  if (c.readiness) r.readiness = std::make_unique<ProbeState>(ProbeType::kReadiness, *c.readiness);
  if (host_->runtime().Name() == "fake") {
    // Fake containers are healthy and ready from the start.
    if (r.startup) r.startup->Observe(ProbeResult::kSuccess);
    if (r.readiness)
      for (int i = 0; i < r.readiness->spec().success_threshold; ++i)
        r.readiness->Observe(ProbeResult::kSuccess);
    return;
  }
  if (r.startup) ScheduleProbe(c.name, id, ProbeType::kStartup, std::chrono::seconds(c.startup->initial_delay_seconds));
  if (r.liveness) ScheduleProbe(c.name, id, ProbeType::kLiveness, std::chrono::seconds(c.liveness->initial_delay_seconds));
  if (r.readiness) ScheduleProbe(c.name, id, ProbeType::kReadiness, std::chrono::seconds(c.readiness->initial_delay_seconds));
}

void PodWorker::ScheduleProbe(const std::string& container, const std::string& id, ProbeType type,
                              SteadyClock::duration delay) {
  std::weak_ptr<PodWorker> weak = weak_from_this();
  host_->timers().After(delay, [weak, container, id, type] {
    if (auto w = weak.lock()) w->RunProbeNow(container, id, type);
  });
}

void PodWorker::RunProbeNow(const std::string& container, const std::string& id, ProbeType type) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = records_.find(container);
  if (it == records_.end() || stage_ != Stage::kSyncing) return;
  Record& r = it->second;
  if (!r.current || r.current->id != id || r.current->state != ContainerState::kRunning) return;
  ProbeState* p = type == ProbeType::kLiveness    ? r.liveness.get()
                  : type == ProbeType::kReadiness ? r.readiness.get()
                                                  : r.startup.get();
  if (!p || p->on_hold()) return;
  bool started_ok = !r.startup || r.startup->result() == ProbeResult::kSuccess;
  auto started = ToSteady(r.current->started_at);
  auto now = SteadyClock::now();
  if (!p->ShouldProbe(now, started, started_ok)) {
    if (type == ProbeType::kStartup && p->result() == ProbeResult::kSuccess) return;
    auto due = started + std::chrono::seconds(p->spec().initial_delay_seconds);
    ScheduleProbe(container, id, type, due > now ? due - now : p->period());
    return;
  }
  PodSpec pod = spec_;
  ContainerStatus cs = *r.current;
  Handler h = p->spec().handler;
  auto timeout = std::chrono::seconds(p->spec().timeout_seconds);
  auto period = p->period();
  std::string pod_ip = sandbox_ ? sandbox_->ip : "";
  lock.unlock();
  std::weak_ptr<PodWorker> weak = weak_from_this();
  host_->RunProbe([weak, pod, cs, h, timeout, period, pod_ip, container, id, type] {
    auto w = weak.lock();
    if (!w) return;
    HandlerOutcome o = RunHandler(w->host_->runtime(), pod, *pod.FindContainer(container), cs, h,
                                  pod_ip, timeout);
    bool changed = false;
    {
      std::lock_guard<std::mutex> lock(w->mu_);
      auto it = w->records_.find(container);
      if (it == w->records_.end()) return;
      Record& r = it->second;
      if (!r.current || r.current->id != id) return;
      ProbeState* p = type == ProbeType::kLiveness    ? r.liveness.get()
                      : type == ProbeType::kReadiness ? r.readiness.get()
                                                      : r.startup.get();
      if (!p) return;
      if (o.result == ProbeResult::kFailure)
        w->host_->Event(pod, "Warning", "Unhealthy",
                        std::string(ProbeTypeName(type)) + " probe failed: " + o.output);
      if (o.result != ProbeResult::kUnknown) changed = p->Observe(o.result);
      if (!p->on_hold()) w->ScheduleProbe(container, id, type, period);
    }
    if (changed) w->Trigger();
  });
}

Json PodWorker::BuildStatusLocked() {
  PodView v;
  v.pod = &spec_;
  v.runtime_name = host_->runtime().Name();
  v.sandbox_ready = sandbox_.has_value();
  v.host_ip = host_->NodeIp();
  v.pod_ip = sandbox_ ? sandbox_->ip : "";
  if (spec_.host_network) v.pod_ip = v.host_ip;
  v.start_time = start_time_;
  v.terminal = stage_ == Stage::kTerminated || stage_ == Stage::kFinished;
  if (!forced_phase_.empty()) {
    v.forced_phase = forced_phase_;
    v.reason = forced_reason_;
    v.message = forced_message_;
  }
  bool regular_started = false;
  for (const auto& c : spec_.containers) regular_started |= Rec(c.name).started_once;
  auto view = [&](const ContainerSpec& c) {
    Record& r = Rec(c.name);
    ContainerView cv;
    cv.spec = &c;
    cv.current = r.current;
    cv.last = r.last;
    cv.restart_pending = r.restart_pending && stage_ == Stage::kSyncing;
    cv.waiting_reason = r.waiting_reason;
    cv.waiting_message = r.waiting_message;
    if (!r.current && cv.waiting_reason.empty()) {
      if (!sandbox_error_.empty()) {
        cv.waiting_reason = "ContainerCreating";
        cv.waiting_message = sandbox_error_;
      } else if (!c.init && !spec_.init_containers.empty() && !regular_started) {
        cv.waiting_reason = "PodInitializing";
      } else {
        cv.waiting_reason = "ContainerCreating";
      }
    }
    cv.restart_count = r.current ? r.current->attempt : (r.last ? r.last->attempt : 0);
    bool running = r.current && r.current->state == ContainerState::kRunning;
    cv.started = running && (!r.startup || r.startup->result() == ProbeResult::kSuccess);
    cv.ready = cv.started && (!r.readiness || r.readiness->result() == ProbeResult::kSuccess) &&
               !r.killing && stage_ == Stage::kSyncing;
    return cv;
  };
  for (const auto& c : spec_.init_containers) v.init.push_back(view(c));
  for (const auto& c : spec_.containers) v.regular.push_back(view(c));
  // Conditions the node does not own (PodScheduled, DisruptionTarget...)
  // come from the API's copy; the node's own keep their transition times.
  Json previous = common::UnpackJson(status_packed_);
  if (!api_conditions_.is_null()) {
    Json conds = Json::array();
    for (const auto& c : common::Get(previous, "conditions"))
      if (NodeOwnedCondition(common::GetString(c, "type"))) conds.push_back(c);
    for (const auto& c : api_conditions_) conds.push_back(c);
    previous["conditions"] = conds;
  }
  return BuildPodStatus(v, previous, common::Clock::now());
}

void PodWorker::SyncOnce() {
  std::unique_lock<std::mutex> lock(mu_);
  if (stage_ == Stage::kFinished) return;
  RefreshLocked();
  if (stage_ == Stage::kSyncing && spec_.active_deadline_seconds && start_time_ &&
      common::Clock::now() - *start_time_ > std::chrono::seconds(*spec_.active_deadline_seconds) &&
      forced_phase_.empty()) {
    forced_phase_ = "Failed";
    forced_reason_ = "DeadlineExceeded";
    forced_message_ = "Pod was active on the node longer than the specified deadline";
  }
  bool terminate = removed_ || !spec_.deletion_timestamp.empty() || !forced_phase_.empty();
  std::optional<Json> built;  // the status, when it was built for a pod that stays kSyncing
  if (stage_ == Stage::kSyncing && !terminate) {
    if (!admitted_) {
      Admission a = host_->Admit(spec_, is_static_);
      if (!a.admitted) {
        forced_phase_ = "Failed";
        forced_reason_ = a.reason;
        forced_message_ = a.message;
        rejection_ = a;
        stage_ = Stage::kTerminated;
        host_->Event(spec_, "Warning", a.reason, a.message);
      } else {
        admitted_ = true;
        if (!start_time_) start_time_ = common::Clock::now();
        active_since_ = SteadyClock::now();
      }
    }
    if (admitted_ && !sandbox_) {
      auto sb = host_->runtime().EnsureSandbox(spec_);
      if (auto* err = std::get_if<RuntimeError>(&sb)) {
        if (sandbox_error_ != err->message)
          host_->Event(spec_, "Warning", err->reason, err->message);
        sandbox_error_reason_ = err->reason;
        sandbox_error_ = err->message;
        if (!retry_scheduled_) {
          retry_scheduled_ = true;
          std::weak_ptr<PodWorker> weak = weak_from_this();
          host_->timers().After(kRetryPeriod, [weak] {
            if (auto w = weak.lock()) {
              {
                std::lock_guard<std::mutex> l(w->mu_);
                w->retry_scheduled_ = false;
              }
              w->Trigger();
            }
          });
        }
      } else {
        sandbox_ = std::get<SandboxInfo>(sb);
        sandbox_error_.clear();
        sandbox_error_reason_.clear();
      }
    }
    if (admitted_ && sandbox_) {
      SyncContainersLocked();
      // A pod whose containers are done for good (restartPolicy) has finished.
      Json st = BuildStatusLocked();
      std::string phase = common::GetString(st, "phase");
      if (phase == "Succeeded" || phase == "Failed") stage_ = Stage::kTerminating;
      else built = std::move(st);  // nothing below changes it: no second build
    }
  }
  if (stage_ == Stage::kTerminating || (terminate && stage_ == Stage::kSyncing)) {
    stage_ = Stage::kTerminating;
    TerminateLocked(DeletionGraceLocked());
  }
  bool terminated_now = stage_ == Stage::kTerminated && !reported_terminated_;
  if (terminated_now) reported_terminated_ = true;
  bool finished = false;
  if (stage_ == Stage::kTerminated && removed_) {
    host_->runtime().RemoveSandbox(uid_, true);
    host_->backoff().ForgetPrefix(uid_ + "/");
    stage_ = Stage::kFinished;
    finished = true;
  }
  Json st = built && stage_ == Stage::kSyncing ? std::move(*built) : BuildStatusLocked();
  std::string packed = common::PackJson(st);
  bool changed = packed != status_packed_;
  if (changed) status_packed_ = std::move(packed);
  bool again = resync_ && !finished;
  resync_ = false;
  lock.unlock();
  if (changed) host_->OnStatus(uid_, std::move(st));
  if (terminated_now) host_->OnTerminated(Spec());
  if (finished) host_->OnFinished(uid_);
  if (again) Trigger();
}

Json PodWorker::Status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return common::UnpackJson(status_packed_);
}

Json PodWorker::PodObject() const { return PodObject(nullptr); }

Json PodWorker::PodObject(const Json* raw) const {
  std::lock_guard<std::mutex> lock(mu_);
  Json pod = spec_.raw || !raw ? spec_.Raw() : *raw;
  pod["status"] = common::UnpackJson(status_packed_);
  return pod;
}

bool PodWorker::HasRaw() const {
  std::lock_guard<std::mutex> lock(mu_);
  return spec_.raw != nullptr;
}

void PodWorker::DropRaw() {
  std::lock_guard<std::mutex> lock(mu_);
  spec_.raw.reset();
}

void PodWorker::SetApiStatus(const Json& pod) {
  std::lock_guard<std::mutex> lock(mu_);
  api_conditions_ = ForeignConditions(pod);
}

std::pair<std::string, std::string> PodWorker::NamespaceName() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {spec_.ns, spec_.name};
}

PodSpec PodWorker::Spec() const {
  std::lock_guard<std::mutex> lock(mu_);
  return spec_;
}

bool PodWorker::RawEquals(const Json& pod) const {
  std::lock_guard<std::mutex> lock(mu_);
  return &spec_.Raw() == &pod || spec_.Raw() == pod;
}

namespace {
// Whether objects a and b hold equal members, `skip` aside; no copies (this
// runs for every status echo of every pod).
bool EqualExcept(const Json& a, const Json& b, std::initializer_list<const char*> skip) {
  if (!a.is_object() || !b.is_object()) return a == b;
  auto skipped = [&](const std::string& k) {
    for (const char* s : skip)
      if (k == s) return true;
    return false;
  };
  size_t na = 0, nb = 0;
  for (auto it = a.begin(); it != a.end(); ++it) {
    if (skipped(it.key())) continue;
    ++na;
    auto jt = b.find(it.key());
    if (jt == b.end()) return false;
    if (it.key() == "metadata" ? !EqualExcept(*it, *jt, {"resourceVersion", "managedFields"}) : *it != *jt)
      return false;
  }
  for (auto it = b.begin(); it != b.end(); ++it)
    if (!skipped(it.key())) ++nb;
  return na == nb;
}
}  // namespace

bool SameExceptStatus(const Json& a, const Json& b) { return EqualExcept(a, b, {"status"}); }

bool PodWorker::SameExceptStatus(const Json& pod) const {
  std::lock_guard<std::mutex> lock(mu_);
  return EqualExcept(spec_.Raw(), pod, {"status"});
}

void PodWorker::SetRaw(std::shared_ptr<const Json> pod) {
  std::lock_guard<std::mutex> lock(mu_);
  api_conditions_ = ForeignConditions(*pod);
  spec_.raw = std::move(pod);
}

bool PodWorker::IsTerminal() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stage_ == Stage::kTerminated || stage_ == Stage::kFinished;
}

bool PodWorker::IsActive() const {
  std::lock_guard<std::mutex> lock(mu_);
  return admitted_ && stage_ != Stage::kTerminated && stage_ != Stage::kFinished;
}

int32_t PodWorker::Priority() const {
  std::lock_guard<std::mutex> lock(mu_);
  return spec_.priority;
}

std::vector<ContainerStatus> PodWorker::RunningContainers() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<ContainerStatus> out;
  for (const auto& [name, r] : records_)
    if (r.current && r.current->state == ContainerState::kRunning) out.push_back(*r.current);
  return out;
}

std::optional<ContainerStatus> PodWorker::Instance(const std::string& container, bool previous) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = records_.find(container);
  if (it == records_.end()) return std::nullopt;
  return previous ? it->second.last : it->second.current;
}

}  // namespace nodeagent
