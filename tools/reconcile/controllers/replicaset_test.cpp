#include <gtest/gtest.h>

#include <atomic>

#include "common/thread_pool.h"
#include "pod_control.h"
#include "test_env.h"

namespace reconcile {
namespace {

using namespace std::chrono_literals;
using testing::TestEnv;

std::string Ago(std::chrono::seconds s) { return common::FormatRFC3339(common::Clock::now() - s); }

// A pod for ranking: node "" = unassigned, phase, readiness since `ready_for`.
ObjectPtr RankPod(const std::string& name, const std::string& node, const std::string& phase,
                  bool ready, std::chrono::seconds ready_for = 3600s,
                  std::chrono::seconds age = 7200s, int restarts = 0,
                  const std::string& cost = "") {
  Json p = {{"metadata",
             {{"name", name}, {"namespace", "ns"}, {"uid", name}, {"creationTimestamp", Ago(age)}}},
            {"spec", {{"nodeName", node}}},
            {"status",
             {{"phase", phase},
              {"conditions", Json::array({{{"type", "Ready"},
                                           {"status", ready ? "True" : "False"},
                                           {"lastTransitionTime", Ago(ready_for)}}})},
              {"containerStatuses", Json::array({{{"name", "c"}, {"restartCount", restarts}}})}}}};
  if (!cost.empty())
    p["metadata"]["annotations"] = {{"controller.kubernetes.io/pod-deletion-cost", cost}};
  return std::make_shared<const Json>(std::move(p));
}

// One rule of ActivePodsWithRanks at a time: `first` must be deleted before `second`.
void ExpectFirst(ObjectPtr first, ObjectPtr second, std::vector<ObjectPtr> related = {}) {
  for (auto pods : {std::vector<ObjectPtr>{first, second}, std::vector<ObjectPtr>{second, first}}) {
    auto got = PodsToDelete(pods, related.empty() ? pods : related, 1, common::Clock::now());
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(Name(*got[0]), Name(*first)) << "expected " << Name(*first) << " before "
                                           << Name(*second);
  }
}

TEST(DeletionRanking, UpstreamOrder) {
  // 1. unassigned before assigned
  ExpectFirst(RankPod("unassigned", "", "Pending", false), RankPod("assigned", "n1", "Pending", false));
  // 2. Pending < Unknown < Running
  ExpectFirst(RankPod("pending", "n1", "Pending", false), RankPod("unknown", "n1", "Unknown", false));
  ExpectFirst(RankPod("unknown", "n1", "Unknown", false), RankPod("running", "n1", "Running", false));
  // 3. not ready before ready
  ExpectFirst(RankPod("notready", "n1", "Running", false), RankPod("ready", "n1", "Running", true));
  // 4. lower pod-deletion-cost first
  ExpectFirst(RankPod("cheap", "n1", "Running", true, 3600s, 7200s, 0, "-10"),
              RankPod("dear", "n1", "Running", true, 3600s, 7200s, 0, "10"));
  // 5. doubled up: more related active pods on the node first
  auto crowded = RankPod("crowded", "n1", "Running", true);
  auto alone = RankPod("alone", "n2", "Running", true);
  ExpectFirst(crowded, alone, {crowded, alone, RankPod("sibling", "n1", "Running", true)});
  // 6. ready for a shorter time first (different log2 buckets)
  ExpectFirst(RankPod("fresh", "n1", "Running", true, 10s), RankPod("seasoned", "n1", "Running", true, 36000s));
  // 7. more restarts first
  ExpectFirst(RankPod("crashy", "n1", "Running", true, 3600s, 7200s, 5),
              RankPod("steady", "n1", "Running", true, 3600s, 7200s, 0));
  // 8. newer first
  ExpectFirst(RankPod("young", "n1", "Running", false, 3600s, 60s),
              RankPod("old", "n1", "Running", false, 3600s, 86400s));
  // Earlier rules dominate later ones: an unassigned old pod goes before a
  // crashing new one on a node.
  ExpectFirst(RankPod("unassigned-old", "", "Pending", false, 1s, 86400s),
              RankPod("assigned-crashy", "n1", "Running", false, 1s, 10s, 9));
}

TEST(DeletionRanking, PicksOnlyN) {
  std::vector<ObjectPtr> pods;
  for (int i = 0; i < 10; ++i)
    pods.push_back(RankPod("p" + std::to_string(i), i < 3 ? "" : "n1", "Running", i >= 5));
  auto got = PodsToDelete(pods, pods, 4, common::Clock::now());
  ASSERT_EQ(got.size(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(common::GetString((*got[static_cast<size_t>(i)])["spec"], "nodeName"), "");
  EXPECT_FALSE(IsPodReady(*got[3]));
  EXPECT_EQ(PodsToDelete(pods, pods, 20, common::Clock::now()).size(), 10u);
}

TEST(SlowStart, BatchesDoubleAndStopAtFirstFailingBatch) {
  common::ThreadPool pool(8);
  std::mutex mu;
  std::vector<int> calls;
  auto r = SlowStartBatch(pool, 20, 1, [&](int i) {
    std::lock_guard<std::mutex> l(mu);
    calls.push_back(i);
    return common::Status::Ok();
  });
  EXPECT_EQ(r.successes, 20);
  EXPECT_TRUE(r.error.ok());
  EXPECT_EQ(calls.size(), 20u);
  // Failures from the 4th call on: batches 1, 2 succeed (3 calls), the batch
  // of 4 fails, and nothing after it is tried.
  std::atomic<int> n{0};
  r = SlowStartBatch(pool, 100, 1, [&](int i) {
    ++n;
    return i >= 3 ? common::Status::Forbidden("exceeded quota") : common::Status::Ok();
  });
  EXPECT_EQ(n.load(), 7);
  EXPECT_EQ(r.successes, 3);
  EXPECT_EQ(r.error.code(), common::Code::kForbidden);
}

Json ReplicaSet(int64_t replicas) {
  return Json{{"apiVersion", "apps/v1"},
              {"kind", "ReplicaSet"},
              {"metadata", {{"name", "rs"}, {"namespace", "default"}}},
              {"spec",
               {{"replicas", replicas},
                {"selector", {{"matchLabels", {{"app", "x"}}}}},
                {"template",
                 {{"metadata", {{"labels", {{"app", "x"}, {"tier", "t"}}}}},
                  {"spec", {{"containers", Json::array({{{"name", "c"}, {"image", "i"}}})}}}}}}}};
}

class ReplicaSetControllerTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.Start({NewReplicaSetController}); }
  Json Get() { return *env_.server().Get(kReplicaSets, "default", "rs"); }
  TestEnv env_;
};

TEST_F(ReplicaSetControllerTest, CreatesDeletesAndReportsStatus) {
  env_.StartKubelet();
  ASSERT_TRUE(env_.server().Create(kReplicaSets, ReplicaSet(6)).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json rs = Get();
    return common::GetInt(rs["status"], "availableReplicas") == 6 &&
           common::GetInt(rs["status"], "fullyLabeledReplicas") == 6 &&
           common::GetInt(rs["status"], "observedGeneration") == 1;
  })) << Get().dump();
  auto pods = env_.Active(kPods);
  ASSERT_EQ(pods.size(), 6u);
  EXPECT_EQ(common::GetPath(pods[0], {"metadata", "generateName"}), "rs-");
  EXPECT_EQ(common::GetPath(pods[0], {"metadata", "labels", "tier"}), "t");

  Json rs = Get();
  rs["spec"]["replicas"] = 2;
  ASSERT_TRUE(env_.server().Update(kReplicaSets, rs).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    return env_.Active(kPods).size() == 2 && common::GetInt(Get()["status"], "replicas") == 2;
  }));
  // A pod deleted by someone else is replaced.
  ASSERT_TRUE(env_.server().Delete(kPods, "default", Name(env_.Active(kPods)[0])).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return env_.Active(kPods).size() == 2; }));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(env_.Active(kPods).size(), 2u);  // and no more than that
}

TEST_F(ReplicaSetControllerTest, AdoptsOrphansAndReleasesPodsThatStopMatching) {
  Json orphan = {{"apiVersion", "v1"},
                 {"kind", "Pod"},
                 {"metadata", {{"name", "orphan"}, {"namespace", "default"}, {"labels", {{"app", "x"}}}}},
                 {"spec", {{"containers", Json::array({{{"name", "c"}, {"image", "i"}}})}}}};
  ASSERT_TRUE(env_.server().Create(kPods, orphan).ok());
  ASSERT_TRUE(env_.server().Create(kReplicaSets, ReplicaSet(2)).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return env_.Active(kPods).size() == 2; }));
  Json adopted = *env_.server().Get(kPods, "default", "orphan");
  ASSERT_TRUE(ControllerRefOf(adopted)) << adopted.dump();
  EXPECT_EQ((*ControllerRefOf(adopted))["uid"], Uid(Get()));

  // Relabel it: the ReplicaSet lets it go and makes a replacement.
  adopted["metadata"]["labels"]["app"] = "other";
  ASSERT_TRUE(env_.server().Update(kPods, adopted).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    auto p = env_.server().Get(kPods, "default", "orphan");
    return p.ok() && !ControllerRefOf(*p) && env_.Active(kPods).size() == 3;
  })) << env_.server().Get(kPods, "default", "orphan")->dump();
}

TEST_F(ReplicaSetControllerTest, FailedCreatesSetReplicaFailureAndBackOff) {
  env_.server().FailNext("POST", "/api/v1/namespaces/default/pods", 403, "Forbidden", 3);
  ASSERT_TRUE(env_.server().Create(kReplicaSets, ReplicaSet(3)).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json rs = Get();
    const Json* c = FindCondition(rs["status"], "ReplicaFailure");
    return c && (*c)["reason"] == "FailedCreate";
  })) << Get().dump();
  // After the refusals stop, the pods come and the condition goes.
  ASSERT_TRUE(TestEnv::Eventually([&] {
    Json rs = Get();
    return env_.Active(kPods).size() == 3 && !FindCondition(rs["status"], "ReplicaFailure") &&
           common::GetInt(rs["status"], "replicas") == 3;
  })) << Get().dump();
  // Slow start: the first sync tried one create, not three.
  int posts = 0;
  for (const auto& r : env_.server().Requests())
    posts += r.method == "POST" && r.target.find("/pods") != std::string::npos;
  EXPECT_LE(posts, 3 + 3 + 1);
}

TEST_F(ReplicaSetControllerTest, CreatesAThousandPodsInBurstsOfFiveHundred) {
  ASSERT_TRUE(env_.server().Create(kReplicaSets, ReplicaSet(1000)).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return env_.Active(kPods).size() == 1000; }, 30s))
      << env_.Active(kPods).size();
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(env_.Active(kPods).size(), 1000u);  // expectations prevent extras
}

}  // namespace
}  // namespace reconcile
