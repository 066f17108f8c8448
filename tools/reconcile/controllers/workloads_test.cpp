// Tests of the Job, CronJob, DaemonSet, StatefulSet and ResourceQuota
// controllers against the in-memory API server.
#include <gtest/gtest.h>

#include "cron.h"
#include "test_env.h"

namespace reconcile {
namespace {

using namespace std::chrono_literals;
using testing::TestEnv;

common::TimePoint At(const std::string& text) { return *common::ParseRFC3339(text); }
std::string Next(const std::string& spec, const std::string& from, const std::string& tz = "") {
  auto s = CronSchedule::Parse(spec);
  EXPECT_TRUE(s.ok()) << spec << ": " << s.status().message();
  if (!s.ok()) return "";
  auto n = s->Next(At(from), tz);
  return n ? common::FormatRFC3339(*n) : "never";
}

TEST(Cron, StandardFieldsNamesRangesAndSteps) {
  EXPECT_EQ(Next("*/5 * * * *", "2024-05-01T10:02:30Z"), "2024-05-01T10:05:00Z");
  EXPECT_EQ(Next("0 * * * *", "2024-05-01T10:00:00Z"), "2024-05-01T11:00:00Z");  // strictly after
  EXPECT_EQ(Next("30 2 * * *", "2024-05-01T10:00:00Z"), "2024-05-02T02:30:00Z");
  EXPECT_EQ(Next("0 9 * * MON-FRI", "2024-05-03T10:00:00Z"), "2024-05-06T09:00:00Z");  // Fri -> Mon
  EXPECT_EQ(Next("0 0 1 JAN *", "2024-05-01T00:00:00Z"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(Next("15,45 * * * *", "2024-05-01T10:20:00Z"), "2024-05-01T10:45:00Z");
  EXPECT_EQ(Next("0 0 29 2 *", "2024-03-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  EXPECT_EQ(Next("0 0 30 2 *", "2024-03-01T00:00:00Z"), "never");
  // Day of month OR day of week when both are restricted; AND when one is '*'.
  EXPECT_EQ(Next("0 0 13 * FRI", "2024-05-01T00:00:00Z"), "2024-05-03T00:00:00Z");
  EXPECT_EQ(Next("0 0 ? * FRI", "2024-05-01T00:00:00Z"), "2024-05-03T00:00:00Z");
  EXPECT_EQ(Next("0 0 */2 * *", "2024-05-01T00:00:00Z"), "2024-05-03T00:00:00Z");
  EXPECT_EQ(Next("@hourly", "2024-05-01T10:59:59Z"), "2024-05-01T11:00:00Z");
  EXPECT_EQ(Next("@weekly", "2024-05-01T00:00:00Z"), "2024-05-05T00:00:00Z");
  EXPECT_EQ(Next("@every 90s", "2024-05-01T00:00:00Z"), "2024-05-01T00:01:30Z");
  // Time zones: 09:00 in New York is 13:00 UTC in May (EDT).
  EXPECT_EQ(Next("0 9 * * *", "2024-05-01T00:00:00Z", "America/New_York"), "2024-05-01T13:00:00Z");
}

TEST(Cron, RejectsWhatUpstreamRejects) {
  for (const char* bad : {"* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
                          "* * * * 7", "5-1 * * * *", "*/0 * * * *", "TZ=UTC * * * * *",
                          "CRON_TZ=UTC 0 * * * *", "@fortnightly", "x * * * *"})
    EXPECT_FALSE(CronSchedule::Parse(bad).ok()) << bad;
  EXPECT_EQ(CronSchedule::Parse("* * * *").status().message(), "expected exactly 5 fields, found 4: * * * *");
  EXPECT_TRUE(ValidTimeZone("Europe/Paris"));
  EXPECT_FALSE(ValidTimeZone("Mars/Olympus"));
  EXPECT_FALSE(ValidTimeZone("../../etc/passwd"));
}

Json JobObj(const std::string& name, Json spec) {
  Json tmpl = {{"metadata", {{"labels", {{"job-name", name}}}}},
               {"spec", {{"restartPolicy", "Never"}, {"containers", Json::array({{{"name", "c"}, {"image", "i"}}})}}}};
  spec["template"] = tmpl;
  spec["selector"] = {{"matchLabels", {{"job-name", name}}}};
  return Json{{"apiVersion", "batch/v1"}, {"kind", "Job"},
              {"metadata", {{"name", name}, {"namespace", "default"}}}, {"spec", spec}};
}

// Finishes pods as a kubelet would: Succeeded, or Failed for the first `fail` ones.
void FinishPods(TestEnv& env, int fail = 0) {
  static std::atomic<int> failed{0};
  for (auto& p : env.server().List(kPods)) {
    if (IsPodTerminal(p) || IsDeleting(p)) continue;
    p["status"]["phase"] = failed.load() < fail ? (++failed, "Failed") : "Succeeded";
    (void)env.client().UpdateStatus(kPods, Namespace(p), p);
  }
}

bool JobCondition(TestEnv& env, const std::string& name, const std::string& type) {
  auto j = env.server().Get(kJobs, "default", name);
  if (!j.ok()) return false;
  const Json* c = FindCondition((*j)["status"], type);
  return c && (*c)["status"] == "True";
}

TEST(JobController, RunsToCompletionWithParallelism) {
  TestEnv env;
  env.Start({NewJobController});
  ASSERT_TRUE(env.server().Create(kJobs, JobObj("pi", {{"completions", 5}, {"parallelism", 2}})).ok());
  size_t max_active = 0;
  ASSERT_TRUE(TestEnv::Eventually([&] {
    size_t active = 0;
    for (const auto& p : env.server().List(kPods)) active += IsPodActive(p);
    max_active = std::max(max_active, active);
    FinishPods(env);
    return JobCondition(env, "pi", "Complete");
  }, 20s)) << env.server().Get(kJobs, "default", "pi")->dump();
  EXPECT_LE(max_active, 2u);
  Json job = *env.server().Get(kJobs, "default", "pi");
  EXPECT_EQ(job["status"]["succeeded"], 5);
  EXPECT_TRUE(job["status"].contains("completionTime"));
  EXPECT_TRUE(JobCondition(env, "pi", "SuccessCriteriaMet"));
  // Every pod let go of the tracking finalizer once counted.
  for (const auto& p : env.server().List(kPods))
    EXPECT_FALSE(HasFinalizer(p, "batch.kubernetes.io/job-tracking")) << Name(p);
}

TEST(JobController, FailsPastBackoffLimit) {
  TestEnv env;
  env.Start({NewJobController});
  // backoffLimit 0: the first failure fails the Job (no backoff wait needed).
  ASSERT_TRUE(env.server().Create(kJobs, JobObj("bad", {{"completions", 3}, {"backoffLimit", 0}})).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    for (auto& p : env.server().List(kPods)) {
      if (IsPodTerminal(p) || IsDeleting(p)) continue;
      p["status"]["phase"] = "Failed";
      (void)env.client().UpdateStatus(kPods, Namespace(p), p);
    }
    return JobCondition(env, "bad", "Failed");
  }, 20s)) << env.server().Get(kJobs, "default", "bad")->dump();
  Json job = *env.server().Get(kJobs, "default", "bad");
  const Json* c = FindCondition(job["status"], "Failed");
  EXPECT_EQ((*c)["reason"], "BackoffLimitExceeded");
  EXPECT_EQ(job["status"]["failed"], 1);
}

TEST(JobController, IndexedCompletionGivesEachPodAnIndex) {
  TestEnv env;
  env.Start({NewJobController});
  ASSERT_TRUE(env.server().Create(kJobs, JobObj("idx", {{"completions", 3}, {"parallelism", 3},
                                                        {"completionMode", "Indexed"}})).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return env.server().List(kPods).size() == 3; }));
  std::set<std::string> indexes;
  for (const auto& p : env.server().List(kPods))
    indexes.insert(common::GetPath(p, {"metadata", "annotations", "batch.kubernetes.io/job-completion-index"}));
  EXPECT_EQ(indexes, (std::set<std::string>{"0", "1", "2"}));
  ASSERT_TRUE(TestEnv::Eventually([&] {
    FinishPods(env);
    return JobCondition(env, "idx", "Complete");
  }, 20s));
  EXPECT_EQ((*env.server().Get(kJobs, "default", "idx"))["status"]["completedIndexes"], "0-2");
}

TEST(CronJobController, CreatesAJobPerScheduleTime) {
  TestEnv env;
  env.Start({NewCronJobController});
  // Created two minutes ago: the schedule "every minute" missed a start.
  Json cj = {{"apiVersion", "batch/v1"},
             {"kind", "CronJob"},
             {"metadata", {{"name", "tick"}, {"namespace", "default"}}},
             {"spec", {{"schedule", "* * * * *"}, {"concurrencyPolicy", "Forbid"},
                       {"jobTemplate", {{"spec", JobObj("x", Json::object())["spec"]}}}}}};
  ASSERT_TRUE(env.server().Create(kCronJobs, cj).ok());
  // The fake stamps creationTimestamp now; a start is due within a minute.
  // The controller may write status first (a start due at a minute boundary
  // crossed meanwhile): retry on conflict, as any client would.
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json got = *env.server().Get(kCronJobs, "default", "tick");
    got["status"]["lastScheduleTime"] = common::FormatRFC3339(common::Clock::now() - 120s);
    return env.client().UpdateStatus(kCronJobs, "default", got).ok();
  }));
  ASSERT_TRUE(TestEnv::Eventually([&] { return env.server().List(kJobs).size() == 1; }, 10s));
  Json job = env.server().List(kJobs)[0];
  EXPECT_TRUE(Name(job).starts_with("tick-"));
  EXPECT_TRUE(common::GetPath(job, {"metadata", "annotations", "batch.kubernetes.io/cronjob-scheduled-timestamp"}).is_string());
  ASSERT_TRUE(ControllerRefOf(job));
  ASSERT_TRUE(TestEnv::Eventually([&] {
    auto c = env.server().Get(kCronJobs, "default", "tick");
    return common::GetPath(*c, {"status", "active"}).size() == 1 &&
           common::GetPath(*c, {"status", "lastScheduleTime"}).is_string();
  }));
  // Forbid: while that job runs, no second one starts for the same minute.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(env.server().List(kJobs).size(), 1u);
}

Json NodeObj(const std::string& name, Json labels = Json::object(), Json taints = Json::array()) {
  return Json{{"apiVersion", "v1"}, {"kind", "Node"},
              {"metadata", {{"name", name}, {"labels", labels}}}, {"spec", {{"taints", taints}}}};
}

Json DaemonSet(const std::string& image) {
  return Json{{"apiVersion", "apps/v1"},
              {"kind", "DaemonSet"},
              {"metadata", {{"name", "agent"}, {"namespace", "default"}, {"generation", 1}}},
              {"spec",
               {{"selector", {{"matchLabels", {{"app", "agent"}}}}},
                {"template",
                 {{"metadata", {{"labels", {{"app", "agent"}}}}},
                  {"spec", {{"nodeSelector", {{"role", "worker"}}},
                            {"containers", Json::array({{{"name", "c"}, {"image", image}}})}}}}}}}};
}

TEST(DaemonSetController, OnePodPerEligibleNodeAndRollingUpdate) {
  TestEnv env;
  env.StartKubelet();
  ASSERT_TRUE(env.server().Create(kNodes, NodeObj("w1", {{"role", "worker"}})).ok());
  ASSERT_TRUE(env.server().Create(kNodes, NodeObj("w2", {{"role", "worker"}})).ok());
  ASSERT_TRUE(env.server().Create(kNodes, NodeObj("m1", {{"role", "master"}})).ok());
  ASSERT_TRUE(env.server().Create(kNodes, NodeObj("w3", {{"role", "worker"}},
                                                  Json::array({{{"key", "dedicated"}, {"effect", "NoSchedule"}}}))).ok());
  env.Start({NewDaemonSetController});
  ASSERT_TRUE(env.server().Create(kDaemonSets, DaemonSet("v1")).ok());
  auto targets = [&] {
    std::multiset<std::string> out;
    for (const auto& p : env.Active(kPods))
      out.insert(p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
                  ["nodeSelectorTerms"][0]["matchFields"][0]["values"][0].get<std::string>());
    return out;
  };
  ASSERT_TRUE(TestEnv::Eventually([&] { return targets() == std::multiset<std::string>{"w1", "w2"}; }));
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json s = common::Get(*env.server().Get(kDaemonSets, "default", "agent"), "status");
    return s["desiredNumberScheduled"] == 2 && s["numberAvailable"] == 2 && s["updatedNumberScheduled"] == 2;
  }));
  EXPECT_EQ(env.server().List(kControllerRevisions).size(), 1u);
  // A new worker gets one too.
  ASSERT_TRUE(env.server().Create(kNodes, NodeObj("w4", {{"role", "worker"}})).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return targets().size() == 3; }));
  // Rolling update, maxUnavailable 1: never more than one node without a ready pod.
  Json ds = *env.server().Get(kDaemonSets, "default", "agent");
  ds["spec"]["template"]["spec"]["containers"][0]["image"] = "v2";
  ASSERT_TRUE(env.server().Update(kDaemonSets, ds).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    int ready = 0;
    for (const auto& p : env.Active(kPods)) ready += IsPodReady(p);
    EXPECT_GE(ready, 2);
    Json s = common::Get(*env.server().Get(kDaemonSets, "default", "agent"), "status");
    bool images = true;
    for (const auto& p : env.Active(kPods)) images &= p["spec"]["containers"][0]["image"] == "v2";
    return s["updatedNumberScheduled"] == 3 && s["numberAvailable"] == 3 && images && env.Active(kPods).size() == 3;
  }, 20s));
  EXPECT_EQ(env.server().List(kControllerRevisions).size(), 2u);
}

Json StatefulSet(int64_t replicas, const std::string& image = "v1") {
  return Json{{"apiVersion", "apps/v1"},
              {"kind", "StatefulSet"},
              {"metadata", {{"name", "db"}, {"namespace", "default"}, {"generation", 1}}},
              {"spec",
               {{"replicas", replicas},
                {"serviceName", "db"},
                {"selector", {{"matchLabels", {{"app", "db"}}}}},
                {"template",
                 {{"metadata", {{"labels", {{"app", "db"}}}}},
                  {"spec", {{"containers", Json::array({{{"name", "c"}, {"image", image}}})}}}}},
                {"volumeClaimTemplates",
                 Json::array({{{"metadata", {{"name", "data"}}},
                               {"spec", {{"accessModes", {"ReadWriteOnce"}},
                                         {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}}})}}}};
}

TEST(StatefulSetController, OrderedCreationStableNamesAndClaims) {
  TestEnv env;
  env.StartKubelet(50ms);
  env.Start({NewStatefulSetController});
  ASSERT_TRUE(env.server().Create(kStatefulSets, StatefulSet(3)).ok());
  // OrderedReady: db-1 never exists before db-0 is ready.
  bool out_of_order = false;
  ASSERT_TRUE(TestEnv::Eventually([&] {
    auto p0 = env.server().Get(kPods, "default", "db-0");
    auto p1 = env.server().Get(kPods, "default", "db-1");
    if (p1.ok() && (!p0.ok() || !IsPodReady(*p0))) out_of_order = true;
    Json s = common::Get(*env.server().Get(kStatefulSets, "default", "db"), "status");
    return s["readyReplicas"] == 3;
  }, 20s));
  EXPECT_FALSE(out_of_order);
  for (int i = 0; i < 3; ++i) {
    std::string n = "db-" + std::to_string(i);
    auto p = env.server().Get(kPods, "default", n);
    ASSERT_TRUE(p.ok()) << n;
    EXPECT_EQ((*p)["spec"]["hostname"], n);
    EXPECT_EQ((*p)["spec"]["subdomain"], "db");
    EXPECT_EQ(common::GetPath(*p, {"metadata", "labels", "statefulset.kubernetes.io/pod-name"}), n);
    EXPECT_EQ(common::GetPath(*p, {"metadata", "labels", "apps.kubernetes.io/pod-index"}), std::to_string(i));
    EXPECT_TRUE(env.server().Get(kPersistentVolumeClaims, "default", "data-" + n).ok());
  }
  // Rolling update from the top down; then scale down removes db-2 first.
  Json set = *env.server().Get(kStatefulSets, "default", "db");
  set["spec"]["template"]["spec"]["containers"][0]["image"] = "v2";
  ASSERT_TRUE(env.server().Update(kStatefulSets, set).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json s = common::Get(*env.server().Get(kStatefulSets, "default", "db"), "status");
    return s["updatedReplicas"] == 3 && s["readyReplicas"] == 3 && s["currentRevision"] == s["updateRevision"];
  }, 30s)) << env.server().Get(kStatefulSets, "default", "db")->dump();
  set = *env.server().Get(kStatefulSets, "default", "db");
  set["spec"]["replicas"] = 1;
  ASSERT_TRUE(env.server().Update(kStatefulSets, set).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return env.Active(kPods).size() == 1; }, 20s));
  EXPECT_TRUE(env.server().Get(kPods, "default", "db-0").ok());
}

TEST(ResourceQuotaController, UsageFollowsPodsAndObjects) {
  TestEnv env;
  env.Start({NewResourceQuotaController});
  Json quota = {{"apiVersion", "v1"}, {"kind", "ResourceQuota"},
                {"metadata", {{"name", "q"}, {"namespace", "default"}}},
                {"spec", {{"hard", {{"pods", "10"}, {"requests.cpu", "4"}, {"requests.memory", "4Gi"},
                                    {"configmaps", "5"}, {"services.loadbalancers", "1"}}}}}};
  ASSERT_TRUE(env.server().Create(kResourceQuotas, quota).ok());
  for (int i = 0; i < 3; ++i) {
    Json pod = {{"apiVersion", "v1"}, {"kind", "Pod"},
                {"metadata", {{"name", "p" + std::to_string(i)}, {"namespace", "default"}}},
                {"spec", {{"containers", Json::array({{{"name", "c"}, {"image", "i"},
                                                       {"resources", {{"requests", {{"cpu", "250m"}, {"memory", "256Mi"}}}}}}})}}}};
    ASSERT_TRUE(env.server().Create(kPods, pod).ok());
  }
  ASSERT_TRUE(env.server().Create(kConfigMaps, Json{{"apiVersion", "v1"}, {"kind", "ConfigMap"},
                                                    {"metadata", {{"name", "c"}, {"namespace", "default"}}}}).ok());
  auto used = [&] { return common::GetPath(*env.server().Get(kResourceQuotas, "default", "q"), {"status", "used"}); };
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json u = used();
    return u["pods"] == "3" && u["requests.cpu"] == "750m" && u["requests.memory"] == "768Mi" &&
           u["configmaps"] == "1" && u["services.loadbalancers"] == "0";
  })) << used().dump();
  EXPECT_EQ(common::GetPath(*env.server().Get(kResourceQuotas, "default", "q"), {"status", "hard"}), quota["spec"]["hard"]);
  // A pod that finished no longer counts.
  Json p0 = *env.server().Get(kPods, "default", "p0");
  p0["status"]["phase"] = "Succeeded";
  ASSERT_TRUE(env.client().UpdateStatus(kPods, "default", p0).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return used()["pods"] == "2" && used()["requests.cpu"] == "500m"; }))
      << used().dump();
}

}  // namespace
}  // namespace reconcile
