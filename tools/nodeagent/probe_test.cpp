#include "probe.h"

#include <gtest/gtest.h>

namespace nodeagent {
namespace {

using std::chrono::seconds;
using T = ProbeState::TimePoint;

ProbeSpec Spec(int failure = 3, int success = 1, int delay = 0) {
  ProbeSpec s;
  s.failure_threshold = failure;
  s.success_threshold = success;
  s.initial_delay_seconds = delay;
  return s;
}

TEST(Probe, UpstreamDefaults) {
  ProbeSpec d;
  EXPECT_EQ(d.period_seconds, 10);
  EXPECT_EQ(d.timeout_seconds, 1);
  EXPECT_EQ(d.failure_threshold, 3);
  EXPECT_EQ(d.success_threshold, 1);
  EXPECT_EQ(d.initial_delay_seconds, 0);
  auto p = ParsePod(*common::ParseJson(R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"c",
      "readinessProbe":{"httpGet":{"port":"http"},"periodSeconds":0},
      "livenessProbe":{"exec":{"command":["true"]},"failureThreshold":1}}]}})"));
  ASSERT_TRUE(p.ok());
  const auto& c = p->containers[0];
  ASSERT_TRUE(c.readiness && c.liveness);
  EXPECT_EQ(c.readiness->period_seconds, 10);  // 0 means unset
  EXPECT_EQ(c.readiness->handler.kind, Handler::Kind::kHttpGet);
  EXPECT_EQ(c.readiness->handler.port.name, "http");
  EXPECT_EQ(c.readiness->handler.path, "/");
  EXPECT_EQ(c.liveness->failure_threshold, 1);
  EXPECT_EQ(c.liveness->handler.command, std::vector<std::string>{"true"});
}

TEST(Probe, InitialResults) {
  EXPECT_EQ(ProbeState(ProbeType::kReadiness, Spec()).result(), ProbeResult::kFailure);
  EXPECT_EQ(ProbeState(ProbeType::kLiveness, Spec()).result(), ProbeResult::kSuccess);
  EXPECT_EQ(ProbeState(ProbeType::kStartup, Spec()).result(), ProbeResult::kUnknown);
}

TEST(Probe, ReadinessNeedsSuccessThreshold) {
  ProbeState r(ProbeType::kReadiness, Spec(3, 2));
  EXPECT_FALSE(r.Observe(ProbeResult::kSuccess));
  EXPECT_EQ(r.result(), ProbeResult::kFailure);
  EXPECT_TRUE(r.Observe(ProbeResult::kSuccess));
  EXPECT_EQ(r.result(), ProbeResult::kSuccess);
  // One failure is below the threshold of 3: still ready.
  EXPECT_FALSE(r.Observe(ProbeResult::kFailure));
  EXPECT_FALSE(r.Observe(ProbeResult::kFailure));
  EXPECT_EQ(r.result(), ProbeResult::kSuccess);
  EXPECT_TRUE(r.Observe(ProbeResult::kFailure));
  EXPECT_EQ(r.result(), ProbeResult::kFailure);
  EXPECT_FALSE(r.on_hold());  // readiness never holds
  // A success in between resets the failure run.
  ProbeState q(ProbeType::kReadiness, Spec(2, 1));
  q.Observe(ProbeResult::kSuccess);
  q.Observe(ProbeResult::kFailure);
  q.Observe(ProbeResult::kSuccess);
  q.Observe(ProbeResult::kFailure);
  EXPECT_EQ(q.result(), ProbeResult::kSuccess);
}

TEST(Probe, LivenessFailureHoldsUntilReset) {
  ProbeState l(ProbeType::kLiveness, Spec(3));
  T start{};
  EXPECT_TRUE(l.ShouldProbe(start, start, true));
  l.Observe(ProbeResult::kFailure);
  l.Observe(ProbeResult::kFailure);
  EXPECT_FALSE(l.on_hold());
  EXPECT_TRUE(l.Observe(ProbeResult::kFailure));
  EXPECT_TRUE(l.on_hold());
  EXPECT_EQ(l.result(), ProbeResult::kFailure);
  EXPECT_FALSE(l.ShouldProbe(start + seconds(100), start, true));
  l.Reset();  // the restarted container
  EXPECT_FALSE(l.on_hold());
  EXPECT_EQ(l.result(), ProbeResult::kSuccess);
  EXPECT_TRUE(l.ShouldProbe(start, start, true));
}

TEST(Probe, StartupGatesTheOthersAndDelaysApply) {
  T start{};
  ProbeState l(ProbeType::kLiveness, Spec(3, 1, 5));
  EXPECT_FALSE(l.ShouldProbe(start + seconds(10), start, false));  // startup not done
  EXPECT_FALSE(l.ShouldProbe(start + seconds(4), start, true));    // initial delay
  EXPECT_TRUE(l.ShouldProbe(start + seconds(5), start, true));
  ProbeState s(ProbeType::kStartup, Spec(2));
  EXPECT_TRUE(s.ShouldProbe(start, start, false));
  EXPECT_TRUE(s.Observe(ProbeResult::kSuccess));
  EXPECT_FALSE(s.ShouldProbe(start + seconds(1), start, true));  // done for this container
  ProbeState f(ProbeType::kStartup, Spec(2));
  f.Observe(ProbeResult::kFailure);
  EXPECT_FALSE(f.on_hold());
  f.Observe(ProbeResult::kFailure);
  EXPECT_TRUE(f.on_hold());
}

}  // namespace
}  // namespace nodeagent
