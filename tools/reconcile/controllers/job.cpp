// The Job controller (pkg/controller/job): runs pods until `completions`
// succeed (`parallelism` at a time), counts terminated pods exactly through
// the batch.kubernetes.io/job-tracking finalizer and
// status.uncountedTerminatedPods, backs off after failures (10 s doubling,
// capped at 10 min), and fails the Job past backoffLimit or
// activeDeadlineSeconds. Indexed completion mode gives each pod an index.
#include <algorithm>
#include <set>

#include "common/expectations.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/thread_pool.h"
#include "controllers.h"
#include "pod_control.h"
#include "ref_manager.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "job-controller";
constexpr char kTrackingFinalizer[] = "batch.kubernetes.io/job-tracking";
constexpr char kIndexAnnotation[] = "batch.kubernetes.io/job-completion-index";
constexpr int kMaxPodCreateDeletePerSync = 500;
constexpr auto kBackoffBase = std::chrono::seconds(10);
constexpr auto kBackoffMax = std::chrono::minutes(10);

bool HasTrueCondition(const Json& job, std::string_view type) {
  const Json* c = FindCondition(common::Get(job, "status"), type);
  return c && common::GetString(*c, "status") == "True";
}

bool Finished(const Json& job) { return HasTrueCondition(job, "Complete") || HasTrueCondition(job, "Failed"); }

Json Condition(const std::string& type, const std::string& reason, const std::string& message) {
  std::string now = NowText();
  return Json{{"type", type}, {"status", "True"}, {"lastProbeTime", now}, {"lastTransitionTime", now},
              {"reason", reason}, {"message", message}};
}

std::optional<int64_t> PodIndex(const Json& pod) {
  const Json& v = common::GetPath(pod, {"metadata", "annotations", kIndexAnnotation});
  if (!v.is_string()) return std::nullopt;
  try {
    return std::stoll(v.get<std::string>());
  } catch (...) {
    return std::nullopt;
  }
}

// "1,3-5,7" from a set of indexes (status.completedIndexes).
std::string FormatIndexes(const std::set<int64_t>& idx) {
  std::string out;
  for (auto it = idx.begin(); it != idx.end();) {
    int64_t first = *it, last = *it;
    for (++it; it != idx.end() && *it == last + 1; ++it) last = *it;
    if (!out.empty()) out += ",";
    out += std::to_string(first);
    if (last > first) out += "-" + std::to_string(last);
  }
  return out;
}

std::set<int64_t> ParseIndexes(const std::string& text) {
  std::set<int64_t> out;
  for (const auto& part : common::SplitNonEmpty(text, ',')) {
    size_t dash = part.find('-');
    auto a = common::ParseInt64(part.substr(0, dash));
    auto b = dash == std::string::npos ? a : common::ParseInt64(part.substr(dash + 1));
    if (a && b)
      for (int64_t i = *a; i <= *b; ++i) out.insert(i);
  }
  return out;
}

class JobController : public QueueController {
 public:
  explicit JobController(const Options& o)
      : QueueController(kComponent, o.concurrent_job_syncs), pool_(16, "job-api") {}
  ~JobController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    recorder_ = &ctx.Recorder(kComponent);
    jobs_ = &ctx.informers().ForResource(kJobs);
    pods_ = &ctx.informers().ForResource(kPods);
    ControllerContext::EnsureIndex(*pods_, common::kControllerUidIndex, common::IndexByControllerUid);
    ControllerContext::EnsureIndex(*pods_, kOrphanIndex, IndexOrphansByNamespace);
    common::ResourceEventHandler jh;
    jh.on_add = [this](const ObjectPtr& j) { Enqueue(*j); };
    jh.on_update = [this](const ObjectPtr&, const ObjectPtr& j) { Enqueue(*j); };
    jh.on_delete = [this](const ObjectPtr& j, bool) {
      expectations_.Delete(common::MetaNamespaceKey(*j));
      Enqueue(*j);  // its pods' tracking finalizers must still go
    };
    jobs_->AddEventHandler(jh, ctx.options().min_resync);
    common::ResourceEventHandler ph;
    ph.on_add = [this](const ObjectPtr& p) {
      if (auto key = OwnerKey(*p)) {
        expectations_.CreationObserved(*key);
        EnqueueKey(*key);
      }
    };
    ph.on_update = [this](const ObjectPtr& a, const ObjectPtr& b) {
      if (ResourceVersion(*a) == ResourceVersion(*b)) return;
      if (auto key = OwnerKey(*b)) {
        if (IsDeleting(*b)) expectations_.DeletionObserved(*key, common::MetaNamespaceKey(*b));
        EnqueueKey(*key);
      }
    };
    ph.on_delete = [this](const ObjectPtr& p, bool) {
      if (auto key = OwnerKey(*p)) {
        expectations_.DeletionObserved(*key, common::MetaNamespaceKey(*p));
        EnqueueKey(*key);
      }
    };
    pods_->AddEventHandler(ph);
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  std::optional<std::string> OwnerKey(const Json& pod) {
    const Json* ref = ControllerRefOf(pod);
    if (!ref || common::GetString(*ref, "kind") != "Job") return std::nullopt;
    return common::MetaNamespaceKey(Namespace(pod), common::GetString(*ref, "name"));
  }
  common::Status RemoveTrackingFinalizers(const std::vector<ObjectPtr>& pods);
  common::Status UpdateStatus(Json& job) {
    auto r = client_->UpdateStatus(kJobs, Namespace(job), job);
    if (!r.ok()) return r.status();
    job = std::move(*r);
    return common::Status::Ok();
  }

  common::RestClient* client_ = nullptr;
  common::EventRecorder* recorder_ = nullptr;
  common::Informer* jobs_ = nullptr;
  common::Informer* pods_ = nullptr;
  common::ControllerExpectations expectations_;
  common::ThreadPool pool_;
};

common::Status JobController::RemoveTrackingFinalizers(const std::vector<ObjectPtr>& pods) {
  auto statuses = RunParallel(pool_, static_cast<int>(pods.size()), [&](int i) -> common::Status {
    const Json& p = *pods[static_cast<size_t>(i)];
    Json patch = {{"metadata", {{"$deleteFromPrimitiveList/finalizers", Json::array({kTrackingFinalizer})}}}};
    auto r = client_->Patch(kPods, Namespace(p), Name(p), common::PatchType::kStrategic, patch);
    return r.ok() || r.status().IsNotFound() ? common::Status::Ok() : r.status();
  });
  for (auto& st : statuses)
    if (!st.ok()) return st;
  return common::Status::Ok();
}

common::Status JobController::Sync(const std::string& key) {
  ObjectPtr cached = jobs_->store().Get(key);
  auto [ns, name] = common::SplitMetaNamespaceKey(key);
  if (!cached) {
    // The Job is gone: release its pods' tracking finalizers so they can go too.
    std::vector<ObjectPtr> held;
    for (auto& p : pods_->store().List(ns))
      if (HasFinalizer(*p, kTrackingFinalizer)) {
        const Json* ref = ControllerRefOf(*p);
        if (ref && common::GetString(*ref, "kind") == "Job" && common::GetString(*ref, "name") == name)
          held.push_back(p);
      }
    return RemoveTrackingFinalizers(held);
  }
  Json job = *cached;
  const Json spec = job["spec"];  // a copy: UpdateStatus replaces `job`
  auto selector = SpecSelector(job);
  if (!selector.ok()) {
    recorder_->Event(job, common::kEventTypeWarning, "InvalidSelector", selector.status().message());
    return common::Status::Ok();
  }
  std::vector<ObjectPtr> candidates = pods_->store().ByIndex(common::kControllerUidIndex, Uid(job));
  for (auto& p : pods_->store().ByIndex(kOrphanIndex, ns)) candidates.push_back(std::move(p));
  ClaimRequest claim;
  claim.client = client_;
  claim.dependents = kPods;
  claim.owner = &job;
  claim.controller_ref = MakeControllerRef(job, "batch/v1", "Job");
  claim.selector = *selector;
  claim.can_adopt = [&]() -> common::Status {
    auto fresh = client_->Get(kJobs, ns, name);
    if (!fresh.ok()) return fresh.status();
    return Uid(*fresh) == Uid(job) && !IsDeleting(*fresh) ? common::Status::Ok()
                                                          : common::Status::Conflict("job " + key + " is gone");
  };
  ASSIGN_OR_RETURN(std::vector<ObjectPtr> pods, ClaimObjects(claim, candidates));

  // 1. Exact accounting: terminated pods still holding the tracking
  //    finalizer are first recorded in uncountedTerminatedPods, then lose the
  //    finalizer, then move into the counters. A crash between steps can
  //    neither lose nor double-count a pod.
  // job_status() and uncounted() look their objects up on every call: `job`
  // is replaced by UpdateStatus, and adding a key to an ordered JSON object
  // moves its members, so no reference into it may be kept.
  auto rebind = [&] {
    Json& status = job["status"];
    if (!status.is_object()) status = Json::object();
    if (!status["uncountedTerminatedPods"].is_object()) status["uncountedTerminatedPods"] = Json::object();
  };
  rebind();
  auto job_status = [&]() -> Json& { return job["status"]; };
  auto uncounted = [&]() -> Json& { return job["status"]["uncountedTerminatedPods"]; };
  auto in_list = [&](const char* which, const std::string& uid) {
    const Json& l = common::Get(uncounted(), which);
    if (!l.is_array()) return false;
    for (const auto& u : l)
      if (u == uid) return true;
    return false;
  };
  bool recorded = false;
  std::vector<ObjectPtr> release;
  for (const auto& p : pods) {
    if (!HasFinalizer(*p, kTrackingFinalizer)) continue;
    bool done = IsPodTerminal(*p);
    // A pod deleted before it finished counts as failed (it will never succeed).
    bool deleted_unfinished = IsDeleting(*p) && !done;
    if (!done && !deleted_unfinished) continue;
    const char* which = common::GetString(common::Get(*p, "status"), "phase") == "Succeeded" ? "succeeded" : "failed";
    if (!in_list("succeeded", Uid(*p)) && !in_list("failed", Uid(*p))) {
      uncounted()[which].push_back(Uid(*p));
      recorded = true;
    }
    release.push_back(p);
  }
  if (recorded) {
    RETURN_IF_ERROR(UpdateStatus(job));
    rebind();
  }
  RETURN_IF_ERROR(RemoveTrackingFinalizers(release));
  // Pods no longer holding the finalizer (or gone) are counted now.
  std::set<std::string> holding;
  for (const auto& p : pods)
    if (HasFinalizer(*p, kTrackingFinalizer)) holding.insert(Uid(*p));
  for (const auto& r : release) holding.erase(Uid(*r));
  bool moved = false;
  std::set<int64_t> completed = ParseIndexes(common::GetString(job_status(), "completedIndexes"));
  const bool indexed = common::GetString(spec, "completionMode", "NonIndexed") == "Indexed";
  for (const char* which : {"succeeded", "failed"}) {
    Json keep = Json::array();
    for (const auto& uid : common::Get(uncounted(), which)) {
      if (holding.count(uid.get<std::string>())) {
        keep.push_back(uid);
        continue;
      }
      job_status()[which] = common::GetInt(job_status(), which) + 1;
      moved = true;
      if (indexed && std::string(which) == "succeeded")
        for (const auto& p : pods)
          if (Uid(*p) == uid)
            if (auto i = PodIndex(*p)) completed.insert(*i);
    }
    if (keep.empty()) uncounted().erase(which);
    else uncounted()[which] = keep;
  }
  if (indexed) {
    std::string text = FormatIndexes(completed);
    if (text != common::GetString(job_status(), "completedIndexes")) {
      job_status()["completedIndexes"] = text;
      moved = true;
    }
  }
  if (moved) {
    RETURN_IF_ERROR(UpdateStatus(job));
    rebind();
  }

  if (Finished(job)) return common::Status::Ok();

  // 2. Where the Job stands.
  std::vector<ObjectPtr> active;
  int64_t ready = 0, restarts = 0;
  std::optional<common::TimePoint> last_failure;
  for (const auto& p : pods) {
    if (IsPodActive(*p)) {
      active.push_back(p);
      ready += IsPodReady(*p);
      restarts += PodRestartCount(*p);
    } else if (common::GetString(common::Get(*p, "status"), "phase") == "Failed") {
      auto t = TimeAt(common::Get(*p, "metadata"), "creationTimestamp");
      for (const auto& c : common::GetPath(*p, {"status", "conditions"}))
        if (auto lt = TimeAt(c, "lastTransitionTime"); lt && (!t || *lt > *t)) t = lt;
      if (t && (!last_failure || *t > *last_failure)) last_failure = t;
    }
  }
  int64_t succeeded = common::GetInt(job_status(), "succeeded") +
                      static_cast<int64_t>(common::Get(uncounted(), "succeeded").size());
  int64_t failed = common::GetInt(job_status(), "failed") +
                   static_cast<int64_t>(common::Get(uncounted(), "failed").size());
  const Json& completions_v = common::Get(spec, "completions");
  std::optional<int64_t> completions =
      completions_v.is_number_integer() ? std::optional<int64_t>(completions_v.get<int64_t>()) : std::nullopt;
  int64_t parallelism = common::GetInt(spec, "parallelism", 1);
  int64_t backoff_limit = common::GetInt(spec, "backoffLimit", 6);
  bool suspended = common::GetBool(spec, "suspend");
  auto now = common::Clock::now();
  if (!job_status().contains("startTime") && !suspended) job_status()["startTime"] = NowText();

  std::string fail_reason, fail_message;
  bool on_failure = common::GetString(common::GetPath(spec, {"template", "spec"}), "restartPolicy") == "OnFailure";
  if (failed > backoff_limit || (on_failure && (backoff_limit == 0 ? restarts > 0 : restarts >= backoff_limit))) {
    fail_reason = "BackoffLimitExceeded";
    fail_message = "Job has reached the specified backoff limit";
  } else if (const Json& ads = common::Get(spec, "activeDeadlineSeconds"); ads.is_number_integer()) {
    auto start = TimeAt(job_status(), "startTime");
    if (start && now - *start >= std::chrono::seconds(ads.get<int64_t>())) {
      fail_reason = "DeadlineExceeded";
      fail_message = "Job was active longer than specified deadline";
    } else if (start) {
      queue().AddAfter(key, *start + std::chrono::seconds(ads.get<int64_t>()) - now);
    }
  }
  bool criteria_met = completions ? succeeded >= *completions : succeeded > 0;
  if (indexed && completions) criteria_met = static_cast<int64_t>(completed.size()) >= *completions;

  // 3. Desired number of active pods.
  int64_t want = 0;
  if (!fail_reason.empty() || criteria_met || suspended) want = 0;
  else if (!completions) want = succeeded > 0 ? static_cast<int64_t>(active.size()) : parallelism;
  else want = std::min(parallelism, *completions - (indexed ? static_cast<int64_t>(completed.size()) : succeeded));
  want = std::max<int64_t>(want, 0);

  common::Status manage;
  bool needs_sync = expectations_.Satisfied(key);
  int64_t diff = static_cast<int64_t>(active.size()) - want;
  if (needs_sync && diff > 0) {
    // Too many (or the Job is done or failing): delete, not-ready ones first.
    size_t n = static_cast<size_t>(std::min<int64_t>(diff, kMaxPodCreateDeletePerSync));
    auto victims = PodsToDelete(active, active, n, now);
    std::vector<std::string> keys;
    for (const auto& v : victims) keys.push_back(common::MetaNamespaceKey(*v));
    expectations_.ExpectDeletions(key, keys);
    auto st = RunParallel(pool_, static_cast<int>(victims.size()), [&](int i) {
      const Json& p = *victims[static_cast<size_t>(i)];
      auto r = client_->Delete(kPods, Namespace(p), Name(p));
      if (!r.ok()) {
        expectations_.DeletionObserved(key, keys[static_cast<size_t>(i)]);
        return r.status().IsNotFound() ? common::Status::Ok() : r.status();
      }
      recorder_->Event(job, common::kEventTypeNormal, "SuccessfulDelete", "Deleted pod: " + Name(p));
      return common::Status::Ok();
    });
    for (auto& s : st)
      if (!s.ok() && manage.ok()) manage = s;
  } else if (needs_sync && diff < 0) {
    // Back off after failures: 10 s, doubling, at most 10 min.
    std::chrono::nanoseconds wait{0};
    if (failed > 0 && last_failure) {
      auto backoff = kBackoffBase * (int64_t{1} << std::min<int64_t>(failed - 1, 20));
      if (backoff > kBackoffMax) backoff = kBackoffMax;
      wait = *last_failure + backoff - now;
    }
    if (wait.count() > 0) {
      queue().AddAfter(key, wait);
    } else {
      int n = static_cast<int>(std::min<int64_t>(-diff, kMaxPodCreateDeletePerSync));
      // Indexed: the lowest indexes neither completed nor running.
      std::vector<int64_t> indexes;
      if (indexed) {
        std::set<int64_t> busy = completed;
        for (const auto& p : active)
          if (auto i = PodIndex(*p)) busy.insert(*i);
        for (int64_t i = 0; completions && i < *completions && static_cast<int>(indexes.size()) < n; ++i)
          if (!busy.count(i)) indexes.push_back(i);
        n = static_cast<int>(indexes.size());
      }
      expectations_.ExpectCreations(key, n);
      Json ref = MakeControllerRef(job, "batch/v1", "Job");
      auto result = SlowStartBatch(pool_, n, 1, [&](int i) -> common::Status {
        Json pod = PodFromTemplate(spec["template"], job, ref);
        pod["metadata"]["finalizers"].push_back(kTrackingFinalizer);
        if (indexed) {
          std::string idx = std::to_string(indexes[static_cast<size_t>(i)]);
          pod["metadata"]["annotations"][kIndexAnnotation] = idx;
          pod["metadata"]["labels"][kIndexAnnotation] = idx;
          pod["metadata"]["generateName"] = name + "-" + idx + "-";
          if (!common::GetString(pod["spec"], "subdomain").empty()) pod["spec"]["hostname"] = name + "-" + idx;
          for (auto& c : pod["spec"]["containers"])
            c["env"].push_back({{"name", "JOB_COMPLETION_INDEX"},
                                {"valueFrom", {{"fieldRef", {{"fieldPath",
                                   "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}}}});
        }
        auto r = client_->Create(kPods, ns, pod);
        if (!r.ok()) {
          recorder_->Event(job, common::kEventTypeWarning, "FailedCreate", "Error creating: " + r.status().message());
          return r.status();
        }
        recorder_->Event(job, common::kEventTypeNormal, "SuccessfulCreate", "Created pod: " + Name(*r));
        return common::Status::Ok();
      });
      for (int skipped = n - result.successes; skipped > 0; --skipped) expectations_.CreationObserved(key);
      manage = result.error;
    }
  }

  // 4. Status and conditions.
  int64_t active_after = static_cast<int64_t>(active.size());
  job_status()["active"] = active_after;
  job_status()["ready"] = ready;
  if (!job_status().contains("succeeded")) job_status()["succeeded"] = 0;
  if (!job_status().contains("failed")) job_status()["failed"] = 0;
  if (common::Get(uncounted(), "succeeded").is_null() && common::Get(uncounted(), "failed").is_null())
    uncounted() = Json::object();
  if (!fail_reason.empty()) {
    if (!HasTrueCondition(job, "FailureTarget")) {
      SetCondition(job_status(), Condition("FailureTarget", fail_reason, fail_message));
      recorder_->Event(job, common::kEventTypeWarning, fail_reason, fail_message);
    }
    if (active.empty() && common::Get(uncounted(), "failed").is_null() && common::Get(uncounted(), "succeeded").is_null())
      SetCondition(job_status(), Condition("Failed", fail_reason, fail_message));
  } else if (criteria_met) {
    if (!HasTrueCondition(job, "SuccessCriteriaMet"))
      SetCondition(job_status(), Condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"));
    if (active.empty() && common::Get(uncounted(), "failed").is_null() && common::Get(uncounted(), "succeeded").is_null()) {
      SetCondition(job_status(), Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods"));
      job_status()["completionTime"] = NowText();
      recorder_->Event(job, common::kEventTypeNormal, "Completed", "Job completed");
    }
  } else if (suspended) {
    SetCondition(job_status(), Json{{"type", "Suspended"}, {"status", "True"}, {"lastProbeTime", NowText()},
                              {"lastTransitionTime", NowText()}, {"reason", "JobSuspended"},
                              {"message", "Job suspended"}});
  } else if (HasTrueCondition(job, "Suspended")) {
    SetCondition(job_status(), Json{{"type", "Suspended"}, {"status", "False"}, {"lastProbeTime", NowText()},
                              {"lastTransitionTime", NowText()}, {"reason", "JobResumed"},
                              {"message", "Job resumed"}});
  }
  if (!JsonEqual(job_status(), common::Get(*cached, "status"))) {
    auto st = UpdateStatus(job);
    if (!st.ok() && !st.IsNotFound()) return st;
  }
  return manage;
}

}  // namespace

std::unique_ptr<Controller> NewJobController(const Options& o) { return std::make_unique<JobController>(o); }

}  // namespace reconcile
