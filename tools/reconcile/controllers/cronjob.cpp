// The CronJob controller (pkg/controller/cronjob, v2): creates a Job named
// <cronjob>-<scheduled time in minutes> at each schedule time, honouring
// startingDeadlineSeconds, concurrencyPolicy (Allow, Forbid, Replace),
// suspend, spec.timeZone and the success/failure history limits.
#include <algorithm>

#include "common/log.h"
#include "common/strings.h"
#include "controllers.h"
#include "cron.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "cronjob-controller";
constexpr char kScheduledAnnotation[] = "batch.kubernetes.io/cronjob-scheduled-timestamp";

bool JobFinished(const Json& job, std::string* type) {
  for (const char* t : {"Complete", "Failed"}) {
    const Json* c = FindCondition(common::Get(job, "status"), t);
    if (c && common::GetString(*c, "status") == "True") {
      if (type) *type = t;
      return true;
    }
  }
  return false;
}

class CronJobController : public QueueController {
 public:
  explicit CronJobController(const Options& o) : QueueController(kComponent, o.concurrent_cron_job_syncs) {}
  ~CronJobController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    recorder_ = &ctx.Recorder(kComponent);
    cronjobs_ = &ctx.informers().ForResource(kCronJobs);
    jobs_ = &ctx.informers().ForResource(kJobs);
    ControllerContext::EnsureIndex(*jobs_, common::kControllerUidIndex, common::IndexByControllerUid);
    common::ResourceEventHandler ch;
    ch.on_add = [this](const ObjectPtr& c) { Enqueue(*c); };
    // Every update, status included, as upstream's updateCronJob: a client
    // may set status.lastScheduleTime (a restore, a migration), and waiting
    // for the resync would start the missed job up to 10 s late. Our own
    // status writes cost one no-op sync each (write_status skips equal).
    ch.on_update = [this](const ObjectPtr&, const ObjectPtr& b) { Enqueue(*b); };
    cronjobs_->AddEventHandler(ch, std::chrono::seconds(10));  // upstream also resyncs often
    common::ResourceEventHandler jh;
    auto owner = [this](const ObjectPtr& j) {
      const Json* ref = ControllerRefOf(*j);
      if (ref && common::GetString(*ref, "kind") == "CronJob")
        EnqueueKey(common::MetaNamespaceKey(Namespace(*j), common::GetString(*ref, "name")));
    };
    jh.on_add = owner;
    jh.on_update = [owner](const ObjectPtr&, const ObjectPtr& j) { owner(j); };
    jh.on_delete = [owner](const ObjectPtr& j, bool) { owner(j); };
    jobs_->AddEventHandler(jh);
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  common::Status CleanupHistory(const Json& cj, const std::vector<ObjectPtr>& jobs);

  common::RestClient* client_ = nullptr;
  common::EventRecorder* recorder_ = nullptr;
  common::Informer* cronjobs_ = nullptr;
  common::Informer* jobs_ = nullptr;
};

common::Status CronJobController::CleanupHistory(const Json& cj, const std::vector<ObjectPtr>& jobs) {
  for (const char* kind : {"Complete", "Failed"}) {
    const char* field = std::string(kind) == "Complete" ? "successfulJobsHistoryLimit" : "failedJobsHistoryLimit";
    int64_t limit = common::GetInt(common::Get(cj, "spec"), field, std::string(kind) == "Complete" ? 3 : 1);
    std::vector<ObjectPtr> finished;
    for (const auto& j : jobs) {
      std::string type;
      if (JobFinished(*j, &type) && type == kind && !IsDeleting(*j)) finished.push_back(j);
    }
    if (static_cast<int64_t>(finished.size()) <= limit) continue;
    // Oldest first: by start time, then creation.
    std::sort(finished.begin(), finished.end(), [](const ObjectPtr& a, const ObjectPtr& b) {
      auto ta = common::GetString(common::Get(*a, "status"), "startTime",
                                  common::GetString(common::Get(*a, "metadata"), "creationTimestamp"));
      auto tb = common::GetString(common::Get(*b, "status"), "startTime",
                                  common::GetString(common::Get(*b, "metadata"), "creationTimestamp"));
      return ta != tb ? ta < tb : Name(*a) < Name(*b);
    });
    for (size_t i = 0; i + limit < finished.size(); ++i) {
      common::DeleteOptions o;
      o.propagation_policy = "Background";
      auto r = client_->Delete(kJobs, Namespace(*finished[i]), Name(*finished[i]), o);
      if (r.ok()) recorder_->Event(cj, common::kEventTypeNormal, "SuccessfulDelete", "Deleted job " + Name(*finished[i]));
      else if (!r.status().IsNotFound()) return r.status();
    }
  }
  return common::Status::Ok();
}

common::Status CronJobController::Sync(const std::string& key) {
  ObjectPtr cached = cronjobs_->store().Get(key);
  if (!cached) return common::Status::Ok();
  Json cj = *cached;
  // Adding a key to an ordered JSON object moves its members: make "status"
  // exist before taking references into `cj`, and copy the spec.
  if (!cj["status"].is_object()) cj["status"] = Json::object();
  const Json spec = cj["spec"];
  Json& status = cj["status"];
  auto [ns, name] = common::SplitMetaNamespaceKey(key);
  std::vector<ObjectPtr> jobs = jobs_->store().ByIndex(common::kControllerUidIndex, Uid(cj));

  // status.active: jobs still running; finished ones leave it.
  Json active = Json::array();
  for (const auto& j : jobs) {
    std::string type;
    if (JobFinished(*j, &type)) {
      bool was_active = false;
      for (const auto& ref : common::Get(status, "active")) was_active |= common::GetString(ref, "uid") == Uid(*j);
      if (was_active)
        recorder_->Event(cj, common::kEventTypeNormal, "SawCompletedJob",
                         "Saw completed job: " + Name(*j) + ", condition: " + type);
      if (type == "Complete") {
        std::string done = common::GetString(common::Get(*j, "status"), "completionTime");
        if (!done.empty() && done > common::GetString(status, "lastSuccessfulTime"))
          status["lastSuccessfulTime"] = done;
      }
      continue;
    }
    if (IsDeleting(*j)) continue;
    active.push_back({{"kind", "Job"}, {"namespace", ns}, {"name", Name(*j)}, {"uid", Uid(*j)},
                      {"apiVersion", "batch/v1"}, {"resourceVersion", ResourceVersion(*j)}});
  }
  if (active.empty()) status.erase("active");
  else status["active"] = active;
  auto write_status = [&]() -> common::Status {
    // An absent status equals an empty one: a new CronJob gets no write
    // (which would also race with whoever sets its status first).
    const Json& before = common::Get(*cached, "status");
    if (JsonEqual(before.is_object() ? before : Json::object(), status)) return common::Status::Ok();
    auto r = client_->UpdateStatus(kCronJobs, ns, cj);
    return r.ok() || r.status().IsNotFound() ? common::Status::Ok() : r.status();
  };
  RETURN_IF_ERROR(CleanupHistory(cj, jobs));
  if (IsDeleting(cj) || common::GetBool(spec, "suspend")) return write_status();

  std::string tz = common::GetString(spec, "timeZone");
  if (!ValidTimeZone(tz)) {
    recorder_->Event(cj, common::kEventTypeWarning, "UnknownTimeZone", "invalid timeZone: \"" + tz + "\"");
    return write_status();
  }
  auto sched = CronSchedule::Parse(common::GetString(spec, "schedule"));
  if (!sched.ok()) {
    recorder_->Event(cj, common::kEventTypeWarning, "UnparseableSchedule",
                     "unparseable schedule: \"" + common::GetString(spec, "schedule") + "\" : " +
                         sched.status().message());
    return write_status();
  }
  auto now = common::Clock::now();
  auto last = TimeAt(status, "lastScheduleTime");
  if (!last) last = TimeAt(cj["metadata"], "creationTimestamp");
  if (!last) last = now;
  common::TimePoint earliest = *last;
  const Json& sds = common::Get(spec, "startingDeadlineSeconds");
  if (sds.is_number_integer()) earliest = std::max(earliest, now - std::chrono::seconds(sds.get<int64_t>()));

  // The most recent missed start (mostRecentScheduleTime).
  std::optional<common::TimePoint> scheduled;
  int missed = 0;
  for (auto t = sched->Next(earliest, tz); t && *t <= now; t = sched->Next(*t, tz)) {
    scheduled = t;
    if (++missed > 1000) break;
  }
  auto next = sched->Next(scheduled ? *scheduled : now, tz);
  while (next && *next <= now) next = sched->Next(*next, tz);
  auto requeue = [&] {
    if (next) queue().AddAfter(key, *next - now + std::chrono::milliseconds(100));
  };
  if (missed > 100)
    recorder_->Event(cj, common::kEventTypeWarning, "TooManyMissedTimes",
                     "too many missed start times: " + std::to_string(missed) +
                         ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
  if (!scheduled) {
    requeue();
    return write_status();
  }
  std::string policy = common::GetString(spec, "concurrencyPolicy", "Allow");
  std::string job_name = name + "-" + std::to_string(std::chrono::duration_cast<std::chrono::minutes>(
                                                         scheduled->time_since_epoch()).count());
  for (const auto& j : jobs)
    if (Name(*j) == job_name) {  // already started for this time
      status["lastScheduleTime"] = common::FormatRFC3339(*scheduled);
      requeue();
      return write_status();
    }
  if (policy == "Forbid" && !active.empty()) {
    VLOG(4, "not starting job: prior execution running, concurrencyPolicy Forbid", {"cronjob", key});
    requeue();
    return write_status();
  }
  if (policy == "Replace")
    for (const auto& ref : active) {
      common::DeleteOptions o;
      o.propagation_policy = "Background";
      auto r = client_->Delete(kJobs, ns, common::GetString(ref, "name"), o);
      if (!r.ok() && !r.status().IsNotFound()) return r.status();
      recorder_->Event(cj, common::kEventTypeNormal, "SuccessfulDelete", "Deleted job " + common::GetString(ref, "name"));
    }

  const Json& tmpl = common::Get(spec, "jobTemplate");
  Json job = {{"apiVersion", "batch/v1"},
              {"kind", "Job"},
              {"metadata",
               {{"name", job_name},
                {"namespace", ns},
                {"ownerReferences", Json::array({MakeControllerRef(cj, "batch/v1", "CronJob")})}}},
              {"spec", common::Get(tmpl, "spec")}};
  const Json& tmd = common::Get(tmpl, "metadata");
  if (common::Get(tmd, "labels").is_object()) job["metadata"]["labels"] = tmd["labels"];
  job["metadata"]["annotations"] = common::Get(tmd, "annotations").is_object() ? tmd["annotations"] : Json::object();
  job["metadata"]["annotations"][kScheduledAnnotation] = common::FormatRFC3339(*scheduled);
  auto created = client_->Create(kJobs, ns, job);
  if (!created.ok() && !created.status().IsAlreadyExists()) {
    recorder_->Event(cj, common::kEventTypeWarning, "FailedCreate", "Error creating job: " + created.status().message());
    return created.status();
  }
  if (created.ok()) {
    recorder_->Event(cj, common::kEventTypeNormal, "SuccessfulCreate", "Created job " + job_name);
    Json ref = {{"kind", "Job"}, {"namespace", ns}, {"name", job_name}, {"uid", Uid(*created)},
                {"apiVersion", "batch/v1"}, {"resourceVersion", ResourceVersion(*created)}};
    if (policy == "Replace") status["active"] = Json::array({ref});
    else status["active"].push_back(ref);
  }
  status["lastScheduleTime"] = common::FormatRFC3339(*scheduled);
  requeue();
  return write_status();
}

}  // namespace

std::unique_ptr<Controller> NewCronJobController(const Options& o) { return std::make_unique<CronJobController>(o); }

}  // namespace reconcile
