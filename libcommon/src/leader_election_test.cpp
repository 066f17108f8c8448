#include "common/leader_election.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/fake_apiserver.h"
#include "common/timeutil.h"

namespace common {
namespace {

using namespace std::chrono_literals;

const GroupVersionResource kLeases{"coordination.k8s.io", "v1", "leases"};

template <typename F>
bool Eventually(F pred, std::chrono::milliseconds limit = 10s) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

class LeaderElectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    client_ = std::make_unique<RestClient>(HttpClientOptions{.server = server_.url()});
  }
  LeaderElectionConfig Config(const std::string& id) {
    LeaderElectionConfig c;
    c.lease_name = "reconcile";
    c.identity = id;
    c.lease_duration = 2s;
    c.renew_deadline = 1s;
    c.retry_period = 100ms;
    return c;
  }
  LeaderElectionRecord Record() {
    return LeaderElectionRecord::FromLease(*server_.Get(kLeases, "kube-system", "reconcile"));
  }
  FakeApiServer server_;
  std::unique_ptr<RestClient> client_;
};

TEST_F(LeaderElectionTest, DefaultsMatchUpstream) {
  LeaderElectionConfig c;
  EXPECT_EQ(c.lease_duration, 15s);
  EXPECT_EQ(c.renew_deadline, 10s);
  EXPECT_EQ(c.retry_period, 2s);
  std::string id = DefaultLeaderIdentity();
  ASSERT_NE(id.find('_'), std::string::npos);
  EXPECT_EQ(id.size() - id.find('_') - 1, 36u);  // a UUID
  EXPECT_NE(id, DefaultLeaderIdentity());
}

TEST_F(LeaderElectionTest, SoleCandidateCreatesLeaseAndRenews) {
  std::atomic<bool> stop{false}, started{false}, stopped{false};
  std::vector<std::string> leaders;
  auto cfg = Config("a");
  cfg.on_started_leading = [&](const std::atomic<bool>& lost) {
    started = true;
    while (!lost.load()) std::this_thread::sleep_for(5ms);
  };
  cfg.on_stopped_leading = [&] { stopped = true; };
  cfg.on_new_leader = [&](const std::string& id) { leaders.push_back(id); };
  LeaderElector le(client_.get(), cfg);
  std::thread t([&] { le.Run(stop); });
  ASSERT_TRUE(Eventually([&] { return started.load(); }));
  EXPECT_TRUE(le.IsLeader());
  auto r = Record();
  EXPECT_EQ(r.holder_identity, "a");
  EXPECT_EQ(r.lease_duration_seconds, 2);
  EXPECT_EQ(r.lease_transitions, 0);
  EXPECT_EQ(r.acquire_time.size(), std::string("2024-05-01T10:00:00.000000Z").size());
  ASSERT_TRUE(ParseRFC3339(r.renew_time).ok());
  std::string first_renew = r.renew_time;
  ASSERT_TRUE(Eventually([&] { return Record().renew_time != first_renew; }));
  EXPECT_EQ(Record().acquire_time, r.acquire_time);  // renewals keep acquireTime
  stop = true;
  t.join();
  EXPECT_TRUE(stopped.load());
  EXPECT_FALSE(le.IsLeader());
  EXPECT_EQ(leaders, std::vector<std::string>{"a"});
  // Without release_on_cancel the lease still names the old holder.
  EXPECT_EQ(Record().holder_identity, "a");
}

TEST_F(LeaderElectionTest, OnlyOneLeadsAndReleaseHandsOver) {
  std::atomic<int> leading{0};
  std::atomic<bool> overlap{false};
  auto make = [&](const std::string& id) {
    auto cfg = Config(id);
    cfg.release_on_cancel = true;
    cfg.on_started_leading = [&](const std::atomic<bool>& lost) {
      if (++leading > 1) overlap = true;
      while (!lost.load()) std::this_thread::sleep_for(5ms);
      --leading;
    };
    return cfg;
  };
  LeaderElector a(client_.get(), make("a")), b(client_.get(), make("b"));
  std::atomic<bool> stop_a{false}, stop_b{false};
  std::thread ta([&] { a.Run(stop_a); });
  ASSERT_TRUE(Eventually([&] { return a.IsLeader(); }));
  std::thread tb([&] { b.Run(stop_b); });
  std::this_thread::sleep_for(500ms);
  EXPECT_FALSE(b.IsLeader());
  EXPECT_EQ(b.GetLeader(), "a");

  // a steps down and releases: b takes over well before the 2 s lease would expire.
  auto released_at = std::chrono::steady_clock::now();
  stop_a = true;
  ta.join();
  ASSERT_TRUE(Eventually([&] { return b.IsLeader(); }, 5s));
  EXPECT_LT(std::chrono::steady_clock::now() - released_at, 1900ms);
  auto r = Record();
  EXPECT_EQ(r.holder_identity, "b");
  EXPECT_EQ(r.lease_transitions, 1);
  EXPECT_FALSE(overlap.load());
  stop_b = true;
  tb.join();
  EXPECT_EQ(Record().holder_identity, "");
  EXPECT_EQ(Record().lease_duration_seconds, 1);
}

TEST_F(LeaderElectionTest, TakesOverAnExpiredLeaseOnlyAfterLeaseDuration) {
  // A holder that died: its lease is never renewed again.
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", "reconcile"}, {"namespace", "kube-system"}}}};
  LeaderElectionRecord ghost{"ghost", 1, FormatRFC3339Micro(Clock::now()),
                             FormatRFC3339Micro(Clock::now()), 4};
  ghost.ToLease(lease);
  ASSERT_TRUE(server_.Create(kLeases, lease).ok());

  auto cfg = Config("c");
  LeaderElector le(client_.get(), cfg);
  std::atomic<bool> stop{false};
  auto start = std::chrono::steady_clock::now();
  std::thread t([&] { le.Run(stop); });
  ASSERT_TRUE(Eventually([&] { return le.IsLeader(); }));
  // Measured from when c first saw the record, as upstream does.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 950ms);
  EXPECT_EQ(Record().lease_transitions, 5);
  EXPECT_EQ(Record().holder_identity, "c");
  stop = true;
  t.join();
}

TEST_F(LeaderElectionTest, LeaderThatCannotRenewStepsDown) {
  std::atomic<bool> stopped{false}, lost_seen{false};
  auto cfg = Config("a");
  cfg.on_started_leading = [&](const std::atomic<bool>& lost) {
    while (!lost.load()) std::this_thread::sleep_for(5ms);
    lost_seen = true;
  };
  cfg.on_stopped_leading = [&] { stopped = true; };
  LeaderElector le(client_.get(), cfg);
  std::atomic<bool> stop{false};
  std::thread t([&] { le.Run(stop); });
  ASSERT_TRUE(Eventually([&] { return le.IsLeader(); }));
  // The API server refuses every renewal from now on.
  server_.FailNext("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", 500,
                   "InternalError", 1000);
  auto failing_since = std::chrono::steady_clock::now();
  t.join();  // Run returns by itself once leadership is lost
  auto took = std::chrono::steady_clock::now() - failing_since;
  EXPECT_TRUE(stopped.load());
  EXPECT_TRUE(lost_seen.load());
  EXPECT_FALSE(le.IsLeader());
  // renew_deadline (1 s) after the last success, plus at most a retry period.
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 3s);
}

TEST_F(LeaderElectionTest, StoppedBeforeLeadingStillCallsOnStoppedLeading) {
  // Someone else holds a long lease.
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata", {{"name", "reconcile"}, {"namespace", "kube-system"}}}};
  LeaderElectionRecord other{"other", 60, FormatRFC3339Micro(Clock::now()),
                             FormatRFC3339Micro(Clock::now()), 0};
  other.ToLease(lease);
  ASSERT_TRUE(server_.Create(kLeases, lease).ok());
  std::atomic<bool> stopped{false};
  std::string new_leader;
  auto cfg = Config("me");
  cfg.on_stopped_leading = [&] { stopped = true; };
  cfg.on_new_leader = [&](const std::string& id) { new_leader = id; };
  cfg.on_started_leading = [](const std::atomic<bool>&) { ADD_FAILURE() << "must not lead"; };
  LeaderElector le(client_.get(), cfg);
  std::atomic<bool> stop{false};
  std::thread t([&] { le.Run(stop); });
  std::this_thread::sleep_for(300ms);
  stop = true;
  t.join();
  EXPECT_TRUE(stopped.load());
  EXPECT_EQ(new_leader, "other");
  EXPECT_EQ(Record().holder_identity, "other");
}

}  // namespace
}  // namespace common
