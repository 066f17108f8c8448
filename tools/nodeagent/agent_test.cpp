// The agent with fake nodes: pods are admitted against their own node's
// pods only, and a finished pod frees its place on that node.
#include "agent.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

namespace nodeagent {
namespace {

using common::Json;

Json Pod(const std::string& name, const std::string& node) {
  return Json{{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name}}},
              {"spec",
               {{"nodeName", node},
                {"terminationGracePeriodSeconds", 0},
                {"containers", Json::array({{{"name", "c"}, {"image", "pause"}}})}}}};
}

// The pod's phase once it is Running or Failed, "" if that takes over 30 s
// (a generous bound for a loaded CI machine; it returns as soon as it can).
std::string SettledPhase(const Agent& a, const std::string& name) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto w = a.FindPod("default", name)) {
      std::string phase = common::GetString(w->Status(), "phase");
      if (phase == "Running" || phase == "Failed") return phase;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return "";
}

bool GoneWithin30s(const Agent& a, const std::string& uid) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!a.FindPodByUid(uid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/agent_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(AgentTest, FinishedPodFreesItsPlaceOnItsOwnFakeNode) {
  Options o;
  o.runtime = "fake";
  o.fake_nodes = 2;
  o.kubeconfig = "/nonexistent";  // required with --fake-nodes; only NodeApi reads it
  o.hostname_override = "f";
  o.root_dir = dir_ + "/root";
  o.capacity = "pods=1";
  o.max_pods = 1;
  Agent a(o);
  auto st = a.Start();
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(a.node_names(), (std::vector<std::string>{"f-0", "f-1"}));

  a.UpsertPod("api", Pod("a", "f-1"));
  EXPECT_EQ(SettledPhase(a, "a"), "Running");
  // f-1 is full; f-0 is not (admission counts only a node's own pods).
  a.UpsertPod("api", Pod("b", "f-1"));
  a.UpsertPod("api", Pod("c", "f-0"));
  EXPECT_EQ(SettledPhase(a, "b"), "Failed");
  EXPECT_EQ(common::GetString(a.FindPod("default", "b")->Status(), "reason"), "OutOfpods");
  EXPECT_EQ(SettledPhase(a, "c"), "Running");
  EXPECT_TRUE(a.runtime().HasPod("uid-a"));

  a.DeletePod("api", "uid-a");
  a.DeletePod("api", "uid-b");
  ASSERT_TRUE(GoneWithin30s(a, "uid-a"));
  ASSERT_TRUE(GoneWithin30s(a, "uid-b"));
  EXPECT_FALSE(a.runtime().HasPod("uid-a"));
  a.UpsertPod("api", Pod("d", "f-1"));
  EXPECT_EQ(SettledPhase(a, "d"), "Running");
  a.Stop();
}

// With a lookup into the informer's cache, an API pod's worker keeps no copy
// of the pod: status-only versions are told apart by the version they
// replace, other changes still reach the worker, /pods still shows the pod.
TEST_F(AgentTest, ApiPodsWithACacheLookupKeepNoCopy) {
  Options o;
  o.runtime = "fake";
  o.fake_nodes = 1;
  o.kubeconfig = "/nonexistent";
  o.hostname_override = "f";
  o.root_dir = dir_ + "/root";
  Agent a(o);
  auto st = a.Start();
  ASSERT_TRUE(st.ok()) << st.message();
  std::mutex mu;
  std::shared_ptr<const Json> cached;
  a.SetApiPodLookup([&](const std::string& ns, const std::string& name) {
    std::lock_guard<std::mutex> l(mu);
    return ns == "default" && name == "a" ? cached : nullptr;
  });
  auto publish = [&](Json pod) {
    std::lock_guard<std::mutex> l(mu);
    auto old = cached;
    cached = std::make_shared<const Json>(std::move(pod));
    return std::make_pair(cached, old);
  };

  Json v1 = Pod("a", "f-0");
  v1["metadata"]["resourceVersion"] = "1";
  auto [p1, none] = publish(v1);
  a.UpsertPod("api", p1, none);
  ASSERT_EQ(SettledPhase(a, "a"), "Running");
  auto w = a.FindPod("default", "a");
  EXPECT_FALSE(w->HasRaw());
  Json obj = a.PodObject(*w);
  EXPECT_EQ(common::GetString(obj["metadata"], "resourceVersion"), "1");
  EXPECT_EQ(common::GetString(obj["status"], "phase"), "Running");

  // Status only: another component's condition is kept in the next status.
  Json v2 = v1;
  v2["metadata"]["resourceVersion"] = "2";
  v2["status"] = {{"phase", "Running"},
                  {"conditions", Json::array({{{"type", "DisruptionTarget"}, {"status", "True"}}})}};
  auto [p2, o2] = publish(v2);
  a.UpsertPod("api", p2, o2);
  auto has_disruption = [&] {
    Json status = w->Status();
    for (const auto& c : common::Get(status, "conditions"))
      if (common::GetString(c, "type") == "DisruptionTarget") return true;
    return false;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!has_disruption() && std::chrono::steady_clock::now() < deadline) {
    w->Trigger();  // the change itself syncs nothing; the next sync picks it up
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(has_disruption()) << common::DumpJson(w->Status());

  // A label change is a spec change: the worker gets the new version.
  Json v3 = v2;
  v3["metadata"]["resourceVersion"] = "3";
  v3["metadata"]["labels"] = {{"app", "x"}};
  auto [p3, o3] = publish(v3);
  a.UpsertPod("api", p3, o3);
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (w->Spec().labels.count("app") == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(w->Spec().labels["app"], "x");
  EXPECT_FALSE(w->HasRaw());
  a.Stop();
}

}  // namespace
}  // namespace nodeagent
