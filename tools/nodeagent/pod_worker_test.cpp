// The pod lifecycle against the fake runtime: init order, restart policies,
// CrashLoopBackOff, admission, config errors, termination.
#include "pod_worker.h"

#include <gtest/gtest.h>

#include <deque>
#include <thread>

#include "fake_runtime.h"

namespace nodeagent {
namespace {

using common::Json;

class TestHost : public PodHost {
 public:
  TestHost() : runtime_(&timers_, std::chrono::milliseconds(0), "10.5.0.0/24"),
               backoff_(std::chrono::milliseconds(200), std::chrono::milliseconds(800)) {
    // As the agent does: a runtime event re-syncs the pod.
    runtime_.SetEventSink([this](const std::string& uid) {
      std::shared_ptr<PodWorker> w;
      {
        std::lock_guard<std::mutex> l(mu_);
        events_++;
        w = workers_[uid].lock();
      }
      if (w) w->Trigger();
    });
  }
  Runtime& runtime() override { return runtime_; }
  TimerQueue& timers() override { return timers_; }
  RestartBackoff& backoff() override { return backoff_; }
  void ScheduleSync(std::shared_ptr<PodWorker> w) override {
    std::lock_guard<std::mutex> l(mu_);
    workers_[w->Uid()] = w;
    syncs_.push_back(w);
  }
  void RunProbe(std::function<void()> fn) override {
    std::lock_guard<std::mutex> l(mu_);
    tasks_.push_back(std::move(fn));
  }
  void RunKiller(std::function<void()> fn) override { std::thread(fn).join(); }
  Admission Admit(const PodSpec&, bool) override { return admission; }
  DownwardContext Downward(const std::string& ip) override {
    DownwardContext c;
    c.pod_ip = ip;
    c.host_ip = "192.0.2.1";
    c.node_name = "n1";
    return c;
  }
  ObjectLookup Lookup() override { return nullptr; }
  int64_t MemoryCapacity() override { return int64_t{1} << 30; }
  std::string NodeIp() override { return "192.0.2.1"; }
  void OnStatus(const std::string&, Json) override {}
  void OnFirstRunning(const PodSpec&, common::TimePoint) override { ++first_running; }
  void OnFinished(const std::string& uid) override { finished.push_back(uid); }
  void OnTerminated(const PodSpec& pod) override { terminated.push_back(pod.uid); }
  void Event(const PodSpec&, const std::string&, const std::string& reason, const std::string&) override {
    std::lock_guard<std::mutex> l(mu_);
    event_reasons.push_back(reason);
  }

  // Runs queued syncs and tasks until nothing is left.
  void Drain() {
    for (int i = 0; i < 100; ++i) {
      std::deque<std::shared_ptr<PodWorker>> s;
      std::deque<std::function<void()>> t;
      {
        std::lock_guard<std::mutex> l(mu_);
        s.swap(syncs_);
        t.swap(tasks_);
      }
      if (s.empty() && t.empty()) return;
      for (auto& w : s) w->RunSync();
      for (auto& f : t) f();
    }
  }

  TimerQueue timers_;
  FakeRuntime runtime_;
  RestartBackoff backoff_;
  Admission admission;
  int first_running = 0;
  std::vector<std::string> finished, terminated;
  std::vector<std::string> event_reasons;
  std::mutex mu_;
  std::deque<std::shared_ptr<PodWorker>> syncs_;
  std::deque<std::function<void()>> tasks_;
  int events_ = 0;
  std::map<std::string, std::weak_ptr<PodWorker>> workers_;
};

PodSpec Pod(const std::string& json) {
  auto p = ParsePod(*common::ParseJson(json));
  EXPECT_TRUE(p.ok()) << p.status().message();
  return *p;
}

const Json& Container(const Json& status, const std::string& name) {
  for (const char* k : {"containerStatuses", "initContainerStatuses"})
    for (const auto& c : common::Get(status, k))
      if (common::GetString(c, "name") == name) return c;
  static Json none;
  return none;
}

std::string Condition(const Json& status, const std::string& type) {
  for (const auto& c : common::Get(status, "conditions"))
    if (common::GetString(c, "type") == type) return common::GetString(c, "status");
  return "";
}

std::string StateOf(const Json& cs) {
  const Json& st = common::Get(cs, "state");
  if (st.contains("running")) return "running";
  if (st.contains("terminated")) return "terminated:" + common::GetString(st["terminated"], "reason");
  if (st.contains("waiting")) return "waiting:" + common::GetString(st["waiting"], "reason");
  return "?";
}

void Sync(TestHost& h, PodWorker& w) {
  w.Trigger();
  h.Drain();
}

TEST(PodWorker, InitContainersRunInOrderThenTheContainers) {
  TestHost h;
  auto w = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"p","namespace":"ns","uid":"u1"},
    "spec":{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"app"}]}})"), true);
  Sync(h, *w);
  Json st = w->Status();
  EXPECT_EQ(common::GetString(st, "phase"), "Pending");
  EXPECT_EQ(StateOf(Container(st, "i1")), "running");
  EXPECT_EQ(StateOf(Container(st, "i2")), "waiting:ContainerCreating");
  EXPECT_EQ(StateOf(Container(st, "app")), "waiting:PodInitializing");
  EXPECT_EQ(Condition(st, "Initialized"), "False");
  EXPECT_EQ(common::GetString(st, "podIP"), "10.5.0.2");
  ASSERT_TRUE(h.runtime_.ExitContainer("u1", "i1", 0));
  Sync(h, *w);
  st = w->Status();
  EXPECT_EQ(StateOf(Container(st, "i1")), "terminated:Completed");
  EXPECT_EQ(StateOf(Container(st, "i2")), "running");
  EXPECT_EQ(StateOf(Container(st, "app")), "waiting:PodInitializing");
  ASSERT_TRUE(h.runtime_.ExitContainer("u1", "i2", 0));
  Sync(h, *w);
  st = w->Status();
  EXPECT_EQ(common::GetString(st, "phase"), "Running");
  EXPECT_EQ(StateOf(Container(st, "app")), "running");
  EXPECT_EQ(Condition(st, "Initialized"), "True");
  EXPECT_EQ(Condition(st, "Ready"), "True");
  EXPECT_EQ(Condition(st, "ContainersReady"), "True");
  EXPECT_EQ(common::GetString(st, "qosClass"), "BestEffort");
  EXPECT_EQ(h.first_running, 1);
}

TEST(PodWorker, FailedInitContainerFailsANeverPod) {
  TestHost h;
  auto w = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"p","uid":"u2"},
    "spec":{"restartPolicy":"Never","initContainers":[{"name":"i1"}],"containers":[{"name":"app"}]}})"), true);
  Sync(h, *w);
  ASSERT_TRUE(h.runtime_.ExitContainer("u2", "i1", 3));
  Sync(h, *w);
  Json st = w->Status();
  EXPECT_EQ(common::GetString(st, "phase"), "Failed");
  EXPECT_EQ(StateOf(Container(st, "i1")), "terminated:Error");
  EXPECT_EQ(common::GetInt(common::GetPath(Container(st, "i1"), {"state", "terminated"}), "exitCode"), 3);
  EXPECT_EQ(StateOf(Container(st, "app")), "waiting:PodInitializing");
  EXPECT_TRUE(w->IsTerminal());
}

TEST(PodWorker, RestartPolicies) {
  TestHost h;
  auto never = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"a","uid":"n"},
    "spec":{"restartPolicy":"Never","containers":[{"name":"c"}]}})"), true);
  auto onfail = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"b","uid":"o"},
    "spec":{"restartPolicy":"OnFailure","containers":[{"name":"c"}]}})"), true);
  Sync(h, *never);
  Sync(h, *onfail);
  h.runtime_.ExitContainer("n", "c", 0);
  h.runtime_.ExitContainer("o", "c", 0);
  Sync(h, *never);
  Sync(h, *onfail);
  EXPECT_EQ(common::GetString(never->Status(), "phase"), "Succeeded");
  EXPECT_EQ(common::GetString(onfail->Status(), "phase"), "Succeeded");
  EXPECT_EQ(Condition(never->Status(), "Ready"), "False");

  auto onfail2 = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"c","uid":"o2"},
    "spec":{"restartPolicy":"OnFailure","containers":[{"name":"c"}]}})"), true);
  Sync(h, *onfail2);
  h.runtime_.ExitContainer("o2", "c", 1);
  Sync(h, *onfail2);
  Json st = onfail2->Status();
  EXPECT_EQ(common::GetString(st, "phase"), "Running");
  EXPECT_EQ(common::GetInt(Container(st, "c"), "restartCount"), 1);
  EXPECT_EQ(StateOf(Container(st, "c")), "running");
}

TEST(PodWorker, CrashLoopBackOff) {
  TestHost h;
  auto w = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"web","namespace":"default","uid":"u3"},
    "spec":{"containers":[{"name":"app"}]}})"), true);
  Sync(h, *w);
  // First crash: restarted at once.
  h.runtime_.ExitContainer("u3", "app", 2);
  Sync(h, *w);
  Json st = w->Status();
  EXPECT_EQ(StateOf(Container(st, "app")), "running");
  EXPECT_EQ(common::GetInt(Container(st, "app"), "restartCount"), 1);
  EXPECT_EQ(common::GetInt(common::GetPath(Container(st, "app"), {"lastState", "terminated"}), "exitCode"), 2);
  // Second crash: back-off.
  h.runtime_.ExitContainer("u3", "app", 2);
  Sync(h, *w);
  st = w->Status();
  EXPECT_EQ(StateOf(Container(st, "app")), "waiting:CrashLoopBackOff");
  EXPECT_EQ(common::GetString(common::GetPath(Container(st, "app"), {"state", "waiting"}), "message"),
            "back-off 200ms restarting failed container=app pod=web_default(u3)");
  EXPECT_EQ(common::GetString(common::GetPath(Container(st, "app"), {"lastState", "terminated"}), "reason"),
            "Error");
  EXPECT_EQ(common::GetString(st, "phase"), "Running");
  EXPECT_EQ(Condition(st, "Ready"), "False");
  // The timer re-syncs when the back-off is over.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  h.Drain();
  st = w->Status();
  EXPECT_EQ(StateOf(Container(st, "app")), "running");
  EXPECT_EQ(common::GetInt(Container(st, "app"), "restartCount"), 2);
}

TEST(PodWorker, RejectedPodFailsWithTheReason) {
  TestHost h;
  h.admission = Admission{false, "OutOfcpu", "Node didn't have enough resource: cpu"};
  auto w = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"p","uid":"u4"},
    "spec":{"containers":[{"name":"c"}]}})"), false);
  Sync(h, *w);
  Json st = w->Status();
  EXPECT_EQ(common::GetString(st, "phase"), "Failed");
  EXPECT_EQ(common::GetString(st, "reason"), "OutOfcpu");
  EXPECT_EQ(common::GetString(st, "message"), "Node didn't have enough resource: cpu");
  EXPECT_TRUE(h.runtime_.ListContainers("u4").empty());
}

TEST(PodWorker, ConfigErrorWaitsWithoutStarting) {
  TestHost h;
  auto w = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"p","uid":"u5"},
    "spec":{"containers":[{"name":"c","env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"k"}}}]}]}})"), true);
  Sync(h, *w);
  Json st = w->Status();
  EXPECT_EQ(StateOf(Container(st, "c")), "waiting:CreateContainerConfigError");
  EXPECT_EQ(common::GetString(common::GetPath(Container(st, "c"), {"state", "waiting"}), "message"),
            "configmap \"cfg\" not found");
  EXPECT_EQ(common::GetString(st, "phase"), "Pending");
}

TEST(PodWorker, RemovalTerminatesAndFinishes) {
  TestHost h;
  auto w = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"p","uid":"u6"},
    "spec":{"terminationGracePeriodSeconds":5,"containers":[{"name":"a"},{"name":"b"}]}})"), true);
  Sync(h, *w);
  EXPECT_EQ(w->RunningContainers().size(), 2u);
  EXPECT_TRUE(h.runtime_.HasPod("u6"));
  EXPECT_FALSE(h.runtime_.HasPod("u7"));
  w->Remove();
  h.Drain();
  EXPECT_EQ(h.finished, std::vector<std::string>{"u6"});
  EXPECT_TRUE(h.runtime_.ListPods().empty());
  EXPECT_FALSE(h.runtime_.HasPod("u6"));
  EXPECT_TRUE(w->IsTerminal());
}

TEST(PodWorker, EvictionFailsThePod) {
  TestHost h;
  auto w = std::make_shared<PodWorker>(&h, Pod(R"({"metadata":{"name":"p","uid":"u7"},
    "spec":{"containers":[{"name":"a"}]}})"), false);
  Sync(h, *w);
  w->Evict("The node was low on resource: memory.");
  h.Drain();
  Json st = w->Status();
  EXPECT_EQ(common::GetString(st, "phase"), "Failed");
  EXPECT_EQ(common::GetString(st, "reason"), "Evicted");
  EXPECT_EQ(StateOf(Container(st, "a")), "terminated:Error");
  EXPECT_FALSE(w->IsActive());
}

}  // namespace
}  // namespace nodeagent
