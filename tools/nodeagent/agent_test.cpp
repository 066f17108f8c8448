// The agent with fake nodes: pods are admitted against their own node's
// pods only, and a finished pod frees its place on that node.
#include "agent.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
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

}  // namespace
}  // namespace nodeagent
