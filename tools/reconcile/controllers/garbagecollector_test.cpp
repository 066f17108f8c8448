#include <gtest/gtest.h>

#include "test_env.h"

namespace reconcile {
namespace {

using namespace std::chrono_literals;
using testing::TestEnv;

Json Deployment(int64_t replicas) {
  return Json{{"apiVersion", "apps/v1"},
              {"kind", "Deployment"},
              {"metadata", {{"name", "web"}, {"namespace", "default"}}},
              {"spec",
               {{"replicas", replicas},
                {"selector", {{"matchLabels", {{"app", "web"}}}}},
                {"template",
                 {{"metadata", {{"labels", {{"app", "web"}}}}},
                  {"spec", {{"containers", Json::array({{{"name", "c"}, {"image", "i"}}})}}}}}}}};
}

class GarbageCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Start({NewDeploymentController, NewReplicaSetController, NewNamespaceController,
                NewGarbageCollectorController});
    ASSERT_TRUE(env_.server().Create(kDeployments, Deployment(3)).ok());
    ASSERT_TRUE(TestEnv::Eventually([&] {
      return env_.server().List(kReplicaSets).size() == 1 && env_.server().List(kPods).size() == 3;
    }));
  }
  common::Status DeleteDeployment(const std::string& policy) {
    common::DeleteOptions o;
    o.propagation_policy = policy;
    return env_.client().Delete(kDeployments, "default", "web", o).status();
  }
  TestEnv env_;
};

TEST_F(GarbageCollectorTest, BackgroundDeletesDependents) {
  ASSERT_TRUE(DeleteDeployment("Background").ok());
  EXPECT_FALSE(env_.server().Get(kDeployments, "default", "web").ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    return env_.server().List(kReplicaSets).empty() && env_.server().List(kPods).empty();
  })) << env_.server().List(kReplicaSets).size() << " replica sets, "
      << env_.server().List(kPods).size() << " pods left";
}

TEST_F(GarbageCollectorTest, ForegroundWaitsForDependents) {
  ASSERT_TRUE(DeleteDeployment("Foreground").ok());
  // The owner stays (deletionTimestamp, foregroundDeletion) until its
  // blocking dependents are gone, then goes itself.
  auto d = env_.server().Get(kDeployments, "default", "web");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(IsDeleting(*d));
  ASSERT_TRUE(TestEnv::Eventually([&] {
    return !env_.server().Get(kDeployments, "default", "web").ok();
  })) << env_.server().Get(kDeployments, "default", "web")->dump();
  EXPECT_TRUE(env_.server().List(kReplicaSets).empty());
  EXPECT_TRUE(env_.server().List(kPods).empty());
}

TEST_F(GarbageCollectorTest, OrphanKeepsDependentsWithoutReferences) {
  ASSERT_TRUE(DeleteDeployment("Orphan").ok());
  ASSERT_TRUE(TestEnv::Eventually([&] {
    auto rss = env_.server().List(kReplicaSets);
    return !env_.server().Get(kDeployments, "default", "web").ok() && rss.size() == 1 &&
           !ControllerRefOf(rss[0]);
  }));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(env_.server().List(kPods).size(), 3u);  // the ReplicaSet still owns its pods
}

TEST_F(GarbageCollectorTest, DeletingANamespaceEmptiesItThenRemovesIt) {
  ASSERT_TRUE(env_.server().Create(kNamespaces, Json{{"apiVersion", "v1"}, {"kind", "Namespace"},
                                                     {"metadata", {{"name", "team"}}}}).ok());
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(env_.server().Create(kConfigMaps, Json{{"apiVersion", "v1"}, {"kind", "ConfigMap"},
                                                       {"metadata", {{"name", "cm" + std::to_string(i)},
                                                                     {"namespace", "team"}}}}).ok());
  Json d = Deployment(2);
  d["metadata"]["namespace"] = "team";
  ASSERT_TRUE(env_.server().Create(kDeployments, d).ok());
  ASSERT_TRUE(TestEnv::Eventually([&] { return env_.Active(kPods, "team").size() == 2; }));
  ASSERT_TRUE(env_.client().Delete(kNamespaces, "", "team").ok());
  auto ns = env_.server().Get(kNamespaces, "", "team");
  ASSERT_TRUE(ns.ok());
  EXPECT_EQ(common::GetPath(*ns, {"status", "phase"}), "Terminating");
  ASSERT_TRUE(TestEnv::Eventually([&] { return !env_.server().Get(kNamespaces, "", "team").ok(); }))
      << env_.server().Get(kNamespaces, "", "team")->dump();
  for (const auto& gvr : {kConfigMaps, kPods, kDeployments, kReplicaSets})
    for (const auto& o : env_.server().List(gvr)) EXPECT_NE(Namespace(o), "team") << Name(o);
  // Other namespaces are untouched.
  EXPECT_EQ(env_.Active(kPods, "default").size(), 3u);
}

}  // namespace
}  // namespace reconcile
