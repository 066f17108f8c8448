#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "../test_env.h"
#include "util.h"

namespace reconcile::deployment {
namespace {

using namespace std::chrono_literals;
using testing::TestEnv;

Json IntOrString(const std::string& v) {
  if (!v.empty() && v.back() == '%') return v;
  return std::stoll(v);
}

// ResolveFenceposts (deployment_util_test.go TestResolveFenceposts and the
// table in the research notes).
TEST(DeploymentUtil, ResolveFenceposts) {
  struct Case {
    std::string surge, unavailable;
    int64_t desired;
    int64_t want_surge, want_unavailable;
  } cases[] = {
      {"0%", "0%", 0, 0, 1},     {"39%", "39%", 10, 4, 3},  {"25%", "25%", 10, 3, 2},
      {"25%", "25%", 1, 1, 0},   {"25%", "25%", 3, 1, 0},   {"25%", "25%", 4, 1, 1},
      {"50%", "50%", 5, 3, 2},   {"100%", "100%", 7, 7, 7}, {"0", "1", 5, 0, 1},
      {"1", "0", 5, 1, 0},       {"0%", "10%", 5, 0, 1},    {"10%", "0%", 5, 1, 0},
      {"3", "2", 100, 3, 2},     {"0", "0", 5, 0, 1},       {"1%", "1%", 1000, 10, 10},
  };
  for (const auto& c : cases) {
    auto f = ResolveFenceposts(IntOrString(c.surge), IntOrString(c.unavailable), c.desired);
    ASSERT_TRUE(f.ok()) << c.surge;
    EXPECT_EQ(f->surge, c.want_surge) << c.surge << "/" << c.unavailable << " of " << c.desired;
    EXPECT_EQ(f->unavailable, c.want_unavailable)
        << c.surge << "/" << c.unavailable << " of " << c.desired;
  }
  EXPECT_FALSE(ResolveFenceposts(Json("oops"), Json("1%"), 10).ok());
  EXPECT_FALSE(ResolveFenceposts(Json("55%"), Json("urg"), 10).ok());
}

Json Deployment(int64_t replicas, const std::string& surge, const std::string& unavailable,
                const std::string& image = "nginx:1") {
  return Json{{"apiVersion", "apps/v1"},
              {"kind", "Deployment"},
              {"metadata", {{"name", "web"}, {"namespace", "default"}, {"generation", 1}}},
              {"spec",
               {{"replicas", replicas},
                {"selector", {{"matchLabels", {{"app", "web"}}}}},
                {"strategy",
                 {{"type", "RollingUpdate"},
                  {"rollingUpdate",
                   {{"maxSurge", IntOrString(surge)},
                    {"maxUnavailable", IntOrString(unavailable)}}}}},
                {"template",
                 {{"metadata", {{"labels", {{"app", "web"}}}}},
                  {"spec",
                   {{"containers", Json::array({{{"name", "c"}, {"image", image}}})}}}}}}}};
}

RS MakeRS(const std::string& name, int64_t spec, int64_t available,
          const std::string& created = "2024-01-01T00:00:00Z") {
  return std::make_shared<Json>(Json{
      {"metadata", {{"name", name}, {"uid", name + "-uid"}, {"creationTimestamp", created}}},
      {"spec", {{"replicas", spec}}},
      {"status", {{"replicas", spec}, {"availableReplicas", available}}}});
}

// How far the new ReplicaSet may grow (rolling_test.go
// TestDeploymentController_reconcileNewReplicaSet).
TEST(DeploymentUtil, NewRSNewReplicas) {
  struct Case {
    int64_t replicas;
    std::string surge;
    int64_t old_replicas, new_replicas, want;
  } cases[] = {
      {1, "0", 10, 0, 0},    // no surge room while old pods exceed the target
      {10, "0", 10, 0, 0},   //
      {10, "2", 10, 0, 2},   // surge room only
      {10, "2", 5, 0, 7},    // old scaled down: grow into the freed room
      {10, "2", 10, 2, 2},   // already at replicas+surge
      {10, "25%", 10, 0, 3}, // 25% of 10 rounds up to 3
      {10, "2", 0, 8, 10},   // never past spec.replicas
      {3, "1", 3, 0, 1},
  };
  for (const auto& c : cases) {
    Json d = Deployment(c.replicas, c.surge, "0");
    RS old_rs = MakeRS("old", c.old_replicas, c.old_replicas);
    RS new_rs = MakeRS("new", c.new_replicas, c.new_replicas);
    auto got = NewRSNewReplicas(d, {old_rs, new_rs}, new_rs);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(*got, c.want) << c.replicas << " surge " << c.surge << " old " << c.old_replicas
                            << " new " << c.new_replicas;
  }
  Json recreate = Deployment(5, "1", "1");
  recreate["spec"]["strategy"] = {{"type", "Recreate"}};
  RS r = MakeRS("new", 0, 0);
  EXPECT_EQ(*NewRSNewReplicas(recreate, {r}, r), 5);
  EXPECT_EQ(MaxSurge(recreate), 0);
  EXPECT_EQ(MaxUnavailable(recreate), 0);
}

TEST(DeploymentUtil, MaxUnavailableIsCappedAtReplicas) {
  EXPECT_EQ(MaxUnavailable(Deployment(10, "25%", "25%")), 2);
  EXPECT_EQ(MaxUnavailable(Deployment(2, "0", "5")), 2);
  EXPECT_EQ(MaxUnavailable(Deployment(0, "1", "1")), 0);
  EXPECT_EQ(MaxSurge(Deployment(10, "25%", "25%")), 3);
}

TEST(DeploymentUtil, ProportionalScaling) {
  // A deployment of 10 (surge 3) mid-rollout: old 8, new 5 (13 = 10 + 3).
  // Scaled to 20: 20 + 5 (surge) = 25 allowed, 12 to add, split 8:5.
  Json d = Deployment(20, "25%", "25%");
  RS old_rs = MakeRS("old", 8, 8, "2024-01-01T00:00:00Z");
  RS new_rs = MakeRS("new", 5, 5, "2024-01-02T00:00:00Z");
  for (auto& rs : {old_rs, new_rs}) (*rs)["metadata"]["annotations"][kMaxReplicasAnnotation] = "13";
  int64_t to_add = 25 - 13;
  int64_t p_old = GetProportion(old_rs, d, to_add, 0);
  int64_t p_new = GetProportion(new_rs, d, to_add, p_old);
  // 8 * 25 / 13 = 15.38 -> 15 (+7); 5 * 25 / 13 = 9.6 -> 10 (+5).
  EXPECT_EQ(p_old, 7);
  EXPECT_EQ(p_new, 5);
  EXPECT_EQ(GetProportion(nullptr, d, to_add, 0), 0);
  EXPECT_EQ(GetProportion(MakeRS("zero", 0, 0), d, to_add, 0), 0);
  // Scaling to zero removes everything.
  Json zero = Deployment(0, "25%", "25%");
  EXPECT_EQ(GetProportion(old_rs, zero, -13, 0), -8);
}

TEST(DeploymentUtil, HashAndTemplateEquality) {
  Json t = Deployment(1, "1", "1")["spec"]["template"];
  std::string h = ComputeHash(t, std::nullopt);
  EXPECT_GE(h.size(), 6u);
  EXPECT_LE(h.size(), 10u);
  EXPECT_EQ(h.find_first_not_of("bcdfghjklmnpqrstvwxz2456789"), std::string::npos);
  EXPECT_EQ(h, ComputeHash(t, std::nullopt));
  EXPECT_NE(h, ComputeHash(t, 1));
  // Key order does not matter; the hash label does not either.
  Json reordered = {{"spec", t["spec"]}, {"metadata", t["metadata"]}};
  EXPECT_EQ(ComputeHash(reordered, std::nullopt), h);
  Json labelled = t;
  labelled["metadata"]["labels"][kPodTemplateHashLabel] = h;
  EXPECT_TRUE(EqualIgnoreHash(t, labelled));
  // kubectl rollout undo sends the template back with "creationTimestamp": null
  // and "resources": {}.
  Json undone = t;
  undone["metadata"]["creationTimestamp"] = nullptr;
  undone["spec"]["containers"][0]["resources"] = Json::object();
  EXPECT_TRUE(EqualIgnoreHash(undone, labelled));
  labelled["spec"]["containers"][0]["image"] = "nginx:2";
  EXPECT_FALSE(EqualIgnoreHash(t, labelled));
}

TEST(DeploymentUtil, StatusPredicates) {
  Json d = Deployment(3, "1", "0");
  Json s = {{"observedGeneration", 1}, {"replicas", 3}, {"updatedReplicas", 3},
            {"availableReplicas", 3}};
  EXPECT_TRUE(DeploymentComplete(d, s));
  s["availableReplicas"] = 2;
  EXPECT_FALSE(DeploymentComplete(d, s));
  d["status"] = {{"replicas", 4}, {"updatedReplicas", 1}, {"availableReplicas", 3}};
  EXPECT_TRUE(DeploymentProgressing(d, Json{{"replicas", 4}, {"updatedReplicas", 2}}));
  EXPECT_FALSE(DeploymentProgressing(
      d, Json{{"replicas", 4}, {"updatedReplicas", 1}, {"availableReplicas", 3}}));
  d["spec"]["progressDeadlineSeconds"] = 10;
  Json stuck = {{"conditions",
                 Json::array({{{"type", "Progressing"},
                               {"status", "True"},
                               {"reason", kRSUpdatedReason},
                               {"lastUpdateTime", "2020-01-01T00:00:00Z"}}})}};
  EXPECT_TRUE(DeploymentTimedOut(d, stuck, common::Clock::now()));
  stuck["conditions"][0]["lastUpdateTime"] = NowText();
  EXPECT_FALSE(DeploymentTimedOut(d, stuck, common::Clock::now()));
}

// --- the controller against an API server --------------------------------------

class DeploymentControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Start({NewDeploymentController, NewReplicaSetController});
  }
  Json GetDeployment() { return *env_.server().Get(kDeployments, "default", "web"); }
  bool Complete(int64_t replicas) {
    auto d = env_.server().Get(kDeployments, "default", "web");
    if (!d.ok()) return false;
    const Json& s = (*d)["status"];
    const Json* p = FindCondition(s, "Progressing");
    return common::GetInt(s, "observedGeneration") == common::GetInt((*d)["metadata"], "generation") &&
           common::GetInt(s, "updatedReplicas") == replicas &&
           common::GetInt(s, "availableReplicas") == replicas &&
           common::GetInt(s, "replicas") == replicas && p &&
           common::GetString(*p, "reason") == kNewRSAvailableReason;
  }
  TestEnv env_;
};

TEST_F(DeploymentControllerTest, CreatesReplicaSetAndPodsAndReportsAvailable) {
  env_.StartKubelet();
  ASSERT_TRUE(env_.server().Create(kDeployments, Deployment(5, "25%", "25%")).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(5); })) << GetDeployment().dump();
  auto rss = env_.server().List(kReplicaSets);
  ASSERT_EQ(rss.size(), 1u);
  const Json& rs = rss[0];
  std::string hash = common::GetPath(rs, {"metadata", "labels", kPodTemplateHashLabel});
  EXPECT_EQ(Name(rs), "web-" + hash);
  EXPECT_EQ(common::GetPath(rs, {"spec", "selector", "matchLabels", kPodTemplateHashLabel}), hash);
  EXPECT_EQ(common::GetPath(rs, {"metadata", "annotations", kRevisionAnnotation}), "1");
  EXPECT_EQ(common::GetPath(rs, {"metadata", "annotations", kDesiredReplicasAnnotation}), "5");
  EXPECT_EQ(common::GetPath(rs, {"metadata", "annotations", kMaxReplicasAnnotation}), "7");
  const Json* owner = ControllerRefOf(rs);
  ASSERT_TRUE(owner);
  EXPECT_EQ((*owner)["kind"], "Deployment");
  EXPECT_EQ((*owner)["blockOwnerDeletion"], true);
  Json d = GetDeployment();
  EXPECT_EQ(common::GetPath(d, {"metadata", "annotations", kRevisionAnnotation}), "1");
  const Json* avail = FindCondition(d["status"], "Available");
  ASSERT_TRUE(avail);
  EXPECT_EQ((*avail)["status"], "True");
  EXPECT_EQ((*avail)["reason"], kMinimumReplicasAvailable);
  auto pods = env_.Active(kPods);
  ASSERT_EQ(pods.size(), 5u);
  for (const auto& p : pods) {
    EXPECT_TRUE(Name(p).starts_with(Name(rs) + "-"));
    EXPECT_EQ(common::GetPath(p, {"metadata", "labels", kPodTemplateHashLabel}), hash);
    EXPECT_EQ((*ControllerRefOf(p))["uid"], Uid(rs));
  }
}

// Watches a rollout and records its worst moments. maxSurge bounds what the
// Deployment controller asks for, the sum of its ReplicaSets' spec.replicas, as
// upstream's does (NewRSNewReplicas and reconcileOldReplicaSets both count
// spec.replicas): a pod the ReplicaSet controller has yet to delete after a
// scale-down can outlive that bound for a moment, so live pods are not the
// measure. maxUnavailable bounds the ready pods at every moment.
struct RolloutChecker {
  explicit RolloutChecker(TestEnv& env) : env(env) {
    thread = std::thread([this] {
      while (!stop.load()) {
        int64_t wanted = 0, available = 0;
        for (const auto& rs : this->env.server().List(kReplicaSets)) {
          wanted += common::GetInt(rs["spec"], "replicas");
        }
        for (const auto& p : this->env.server().List(kPods)) {
          if (IsDeleting(p) || IsPodTerminal(p)) continue;
          if (IsPodReady(p)) ++available;
        }
        max_total = std::max(max_total.load(), wanted);
        if (armed.load()) min_available = std::min(min_available.load(), available);
        std::this_thread::sleep_for(1ms);
      }
    });
  }
  ~RolloutChecker() {
    stop = true;
    thread.join();
  }
  TestEnv& env;
  std::atomic<bool> stop{false};
  std::atomic<bool> armed{true};
  std::atomic<int64_t> max_total{0};
  std::atomic<int64_t> min_available{1 << 30};
  std::thread thread;
};

TEST_F(DeploymentControllerTest, RollingUpdateStaysWithinSurgeAndUnavailableThenUndo) {
  env_.StartKubelet(30ms);
  ASSERT_TRUE(env_.server().Create(kDeployments, Deployment(10, "25%", "25%")).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(10); }));
  std::string first_rs = Name(env_.server().List(kReplicaSets)[0]);

  {
    RolloutChecker checker(env_);
    Json d = GetDeployment();
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2";
    ASSERT_TRUE(env_.server().Update(kDeployments, d).ok());
    ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(10); }, 20s)) << GetDeployment().dump();
    // 10 replicas, maxSurge 25% -> 3, maxUnavailable 25% -> 2.
    EXPECT_LE(checker.max_total.load(), 13);
    EXPECT_GE(checker.min_available.load(), 8);
  }
  auto rss = env_.server().List(kReplicaSets);
  ASSERT_EQ(rss.size(), 2u);
  for (const auto& rs : rss) {
    bool old = Name(rs) == first_rs;
    EXPECT_EQ(common::GetInt(rs["spec"], "replicas"), old ? 0 : 10);
    EXPECT_EQ(common::GetPath(rs, {"metadata", "annotations", kRevisionAnnotation}), old ? "1" : "2");
  }
  EXPECT_EQ(common::GetPath(GetDeployment(), {"metadata", "annotations", kRevisionAnnotation}), "2");

  // `kubectl rollout undo`: the template of revision 1 comes back; its
  // ReplicaSet is reused and becomes revision 3.
  {
    RolloutChecker checker(env_);
    Json d = GetDeployment();
    d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1";
    ASSERT_TRUE(env_.server().Update(kDeployments, d).ok());
    ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(10); }, 20s));
    EXPECT_LE(checker.max_total.load(), 13);
    EXPECT_GE(checker.min_available.load(), 8);
  }
  rss = env_.server().List(kReplicaSets);
  ASSERT_EQ(rss.size(), 2u);
  for (const auto& rs : rss) {
    if (Name(rs) != first_rs) continue;
    EXPECT_EQ(common::GetInt(rs["spec"], "replicas"), 10);
    EXPECT_EQ(common::GetPath(rs, {"metadata", "annotations", kRevisionAnnotation}), "3");
    EXPECT_EQ(common::GetPath(rs, {"metadata", "annotations", kRevisionHistoryAnnotation}), "1");
  }
}

TEST_F(DeploymentControllerTest, ScaleUpAndDown) {
  env_.StartKubelet();
  ASSERT_TRUE(env_.server().Create(kDeployments, Deployment(3, "1", "0")).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(3); }));
  for (int64_t n : {8, 2}) {
    Json d = GetDeployment();
    d["spec"]["replicas"] = n;
    ASSERT_TRUE(env_.server().Update(kDeployments, d).ok());
    ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(n) && env_.Active(kPods).size() == size_t(n); }))
        << n << GetDeployment().dump();
  }
  EXPECT_EQ(env_.server().List(kReplicaSets).size(), 1u);
}

TEST_F(DeploymentControllerTest, RecreateScalesOldToZeroBeforeCreatingNew) {
  env_.StartKubelet();
  Json d = Deployment(4, "1", "1");
  d["spec"]["strategy"] = {{"type", "Recreate"}};
  ASSERT_TRUE(env_.server().Create(kDeployments, d).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(4); }));
  std::atomic<bool> stop{false}, mixed{false};
  std::thread watch([&] {
    while (!stop) {
      std::set<std::string> hashes;
      for (const auto& p : env_.Active(kPods))
        hashes.insert(common::GetPath(p, {"metadata", "labels", kPodTemplateHashLabel}).get<std::string>());
      if (hashes.size() > 1) mixed = true;
      std::this_thread::sleep_for(1ms);
    }
  });
  d = GetDeployment();
  d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2";
  ASSERT_TRUE(env_.server().Update(kDeployments, d).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(4); }, 20s)) << GetDeployment().dump();
  stop = true;
  watch.join();
  EXPECT_FALSE(mixed.load()) << "old and new pods ran at once";
}

TEST_F(DeploymentControllerTest, PausedDeploymentDoesNotRollOut) {
  env_.StartKubelet();
  ASSERT_TRUE(env_.server().Create(kDeployments, Deployment(2, "1", "0")).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(2); }));
  Json d = GetDeployment();
  d["spec"]["paused"] = true;
  d["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:2";
  ASSERT_TRUE(env_.server().Update(kDeployments, d).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json now = GetDeployment();
    const Json* c = FindCondition(now["status"], "Progressing");
    return c && (*c)["reason"] == kPausedReason && (*c)["status"] == "Unknown";
  }));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(env_.server().List(kReplicaSets).size(), 1u);
  d = GetDeployment();
  d["spec"]["paused"] = false;
  ASSERT_TRUE(env_.server().Update(kDeployments, d).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(2) && env_.server().List(kReplicaSets).size() == 2; }, 20s));
}

TEST_F(DeploymentControllerTest, ProgressDeadlineExceeded) {
  // No kubelet: pods never become ready.
  Json d = Deployment(2, "1", "0");
  d["spec"]["progressDeadlineSeconds"] = 1;
  ASSERT_TRUE(env_.server().Create(kDeployments, d).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json now = GetDeployment();
    const Json* c = FindCondition(now["status"], "Progressing");
    return c && (*c)["reason"] == kTimedOutReason && (*c)["status"] == "False";
  }, 15s)) << GetDeployment().dump();
  Json last = GetDeployment();
  const Json* avail = FindCondition(last["status"], "Available");
  ASSERT_TRUE(avail);
  EXPECT_EQ((*avail)["status"], "False");
}

TEST_F(DeploymentControllerTest, AdoptsOrphanReplicaSetAndReleasesStray) {
  env_.StartKubelet();
  // An orphan ReplicaSet whose template equals the deployment's.
  Json d = Deployment(2, "1", "0");
  Json tmpl = d["spec"]["template"];
  tmpl["metadata"]["labels"][kPodTemplateHashLabel] = "abc";
  Json orphan = {{"apiVersion", "apps/v1"},
                 {"kind", "ReplicaSet"},
                 {"metadata", {{"name", "web-abc"}, {"namespace", "default"},
                               {"labels", tmpl["metadata"]["labels"]}}},
                 {"spec", {{"replicas", 2},
                           {"selector", {{"matchLabels", tmpl["metadata"]["labels"]}}},
                           {"template", tmpl}}}};
  ASSERT_TRUE(env_.server().Create(kReplicaSets, orphan).ok());
  // The orphan must be in the controller's cache before the Deployment is:
  // otherwise the controller rightly creates its own ReplicaSet first (as
  // upstream would) and adopts the orphan later as an old one.
  ASSERT_TRUE(env_.WaitCached(kReplicaSets, "default", "web-abc"));
  ASSERT_TRUE(env_.server().Create(kDeployments, d).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return Complete(2); })) << GetDeployment().dump();
  auto rss = env_.server().List(kReplicaSets);
  ASSERT_EQ(rss.size(), 1u);  // adopted, not duplicated
  EXPECT_EQ(Name(rss[0]), "web-abc");
  ASSERT_TRUE(ControllerRefOf(rss[0]));
}

}  // namespace
}  // namespace reconcile::deployment
