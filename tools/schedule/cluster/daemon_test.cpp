#include "cluster/daemon.h"

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "common/fake_apiserver.h"
#include "common/objects.h"

namespace schedule {
namespace {

using common::Json;
using namespace std::chrono_literals;

const common::GroupVersionResource kPods{"", "v1", "pods"};
const common::GroupVersionResource kNodes{"", "v1", "nodes"};
const common::GroupVersionResource kEvents{"", "v1", "events"};

Json NodeJson(const std::string& name, const std::string& cpu) {
  return {{"apiVersion", "v1"},
          {"kind", "Node"},
          {"metadata", {{"name", name}}},
          {"status", {{"allocatable", {{"cpu", cpu}, {"memory", "8Gi"}, {"pods", "110"}}}}}};
}

Json PodJson(const std::string& name, const std::string& cpu) {
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}, {"namespace", "default"}, {"uid", "uid-" + name}}},
          {"spec",
           {{"schedulerName", "default-scheduler"},
            {"containers", Json::array({{{"name", "c"}, {"image", "pause"},
                                         {"resources", {{"requests", {{"cpu", cpu}}}}}}})}}}};
}

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    common::HttpClientOptions http;
    http.server = server_.url();
    client_ = std::make_unique<common::RestClient>(http);
  }

  void StartDaemon() {
    DaemonOptions o;
    o.informer.backoff_initial = 50ms;
    o.informer.backoff_max = 200ms;
    daemon_ = std::make_unique<Daemon>(std::move(o), client_.get());
    ASSERT_TRUE(daemon_->Start().ok());
  }

  std::string NodeOf(const std::string& pod) {
    auto p = server_.Get(kPods, "default", pod);
    return p.ok() ? common::GetString(common::Get(*p, "spec"), "nodeName") : "";
  }

  // The message of `pod`'s first event with `reason`, "" if none yet.
  std::string EventNote(const std::string& pod, const std::string& reason) {
    for (const auto& e : server_.List(kEvents))
      if (common::GetString(common::Get(e, "involvedObject"), "name") == pod &&
          common::GetString(e, "reason") == reason)
        return common::GetString(e, "message");
    return "";
  }

  common::FakeApiServer server_;
  std::unique_ptr<common::RestClient> client_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(DaemonTest, BindsPodsThatFitAndRecordsTheScheduledEvent) {
  ASSERT_TRUE(server_.Create(kNodes, NodeJson("small", "1")).ok());
  ASSERT_TRUE(server_.Create(kNodes, NodeJson("big", "4")).ok());
  ASSERT_TRUE(server_.Create(kPods, PodJson("web", "2")).ok());
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return !NodeOf("web").empty(); }));
  EXPECT_EQ(NodeOf("web"), "big");
  ASSERT_TRUE(WaitFor([&] { return !EventNote("web", "Scheduled").empty(); }));
  EXPECT_EQ(EventNote("web", "Scheduled"), "Successfully assigned default/web to big");
  // A pod created while running is scheduled too.
  ASSERT_TRUE(server_.Create(kPods, PodJson("later", "500m")).ok());
  ASSERT_TRUE(WaitFor([&] { return !NodeOf("later").empty(); }));
}

TEST_F(DaemonTest, UnschedulablePodGetsTheEventAndCondition) {
  ASSERT_TRUE(server_.Create(kNodes, NodeJson("n1", "2")).ok());
  ASSERT_TRUE(server_.Create(kPods, PodJson("huge", "8")).ok());
  StartDaemon();
  const std::string want =
      "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not "
      "helpful for scheduling.";
  ASSERT_TRUE(WaitFor([&] { return !EventNote("huge", "FailedScheduling").empty(); }));
  EXPECT_EQ(EventNote("huge", "FailedScheduling"), want);
  Json cond;
  ASSERT_TRUE(WaitFor([&] {
    auto p = server_.Get(kPods, "default", "huge");
    if (!p.ok()) return false;
    for (const auto& c : common::GetPath(*p, {"status", "conditions"}))
      if (common::GetString(c, "type") == "PodScheduled") cond = c;
    return !cond.is_null();
  }));
  EXPECT_EQ(common::GetString(cond, "status"), "False");
  EXPECT_EQ(common::GetString(cond, "reason"), "Unschedulable");
  EXPECT_EQ(common::GetString(cond, "message"), want);
  EXPECT_EQ(NodeOf("huge"), "");
  // A node that fits moves it out of the unschedulable pool.
  ASSERT_TRUE(server_.Create(kNodes, NodeJson("n2", "16")).ok());
  ASSERT_TRUE(WaitFor([&] { return NodeOf("huge") == "n2"; }));
}

TEST_F(DaemonTest, MalformedPodIsReportedAndTheRestAreScheduled) {
  ASSERT_TRUE(server_.Create(kNodes, NodeJson("n1", "4")).ok());
  Json bad_node = NodeJson("broken", "lots");
  ASSERT_TRUE(server_.Create(kNodes, bad_node).ok());
  ASSERT_TRUE(server_.Create(kPods, PodJson("bad", "two")).ok());
  ASSERT_TRUE(server_.Create(kPods, PodJson("good", "1")).ok());
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return NodeOf("good") == "n1"; }));
  ASSERT_TRUE(WaitFor([&] { return !EventNote("bad", "FailedScheduling").empty(); }));
  std::string note = EventNote("bad", "FailedScheduling");
  EXPECT_NE(note.find("spec.containers[0].resources.requests.cpu"), std::string::npos) << note;
  EXPECT_NE(note.find("\"two\""), std::string::npos) << note;
  EXPECT_EQ(NodeOf("bad"), "");
}

TEST_F(DaemonTest, PodsOfOtherSchedulersAreLeftAlone) {
  ASSERT_TRUE(server_.Create(kNodes, NodeJson("n1", "4")).ok());
  Json other = PodJson("other", "1");
  other["spec"]["schedulerName"] = "someone-else";
  ASSERT_TRUE(server_.Create(kPods, other).ok());
  ASSERT_TRUE(server_.Create(kPods, PodJson("mine", "1")).ok());
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return !NodeOf("mine").empty(); }));
  EXPECT_EQ(NodeOf("other"), "");
  EXPECT_EQ(EventNote("other", "FailedScheduling"), "");
}

}  // namespace
}  // namespace schedule
