#include "engine/queue.h"

#include <gtest/gtest.h>

#include "testing/fixtures.h"

namespace schedule {
namespace {

using std::chrono::seconds;
using testing::MakePod;

PodPtr P(const std::string& name, int priority = 0) {
  auto p = std::make_shared<Pod>(*MakePod("metadata: {name: " + name + "}\nspec: {containers: [{name: c, image: x}]}"));
  p->priority = priority;
  return p;
}

QueueOptions Options() {
  QueueOptions o;
  o.plugin_events = {{"NodeResourcesFit", {{EventResource::kAssignedPod, kDelete}, {EventResource::kNode, kAdd}}},
                     {"NodeAffinity", {{EventResource::kNode, kAdd | kUpdateNodeLabel}}}};
  return o;
}

TEST(SchedulingQueue, PopsByPriorityThenArrival) {
  FakeClock clock;
  SchedulingQueue q(&clock, Options());
  q.Add(P("a", 0));
  clock.Advance(seconds(1));
  q.Add(P("b", 10));
  clock.Advance(seconds(1));
  q.Add(P("c", 0));
  q.Add(P("d", 10));
  std::vector<std::string> order;
  while (auto i = q.TryPop()) order.push_back(i->pod->name);
  EXPECT_EQ(order, (std::vector<std::string>{"b", "d", "a", "c"}));
}

TEST(SchedulingQueue, BackoffDoublesFromOneToTenSeconds) {
  FakeClock clock;
  SchedulingQueue q(&clock, Options());
  QueuedPodInfo info;
  std::vector<int64_t> got;
  for (int attempts = 1; attempts <= 6; ++attempts) {
    info.attempts = attempts;
    got.push_back(std::chrono::duration_cast<seconds>(q.BackoffDuration(info)).count());
  }
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 4, 8, 10, 10}));
}

TEST(SchedulingQueue, UnschedulablePodsMoveOnlyOnRelevantEvents) {
  FakeClock clock;
  SchedulingQueue q(&clock, Options());
  q.Add(P("fit"));
  q.Add(P("aff"));
  auto fit = q.TryPop();
  fit->unschedulable_plugins = {"NodeResourcesFit"};
  q.AddUnschedulableIfNotPresent(fit, q.SchedulingCycle());
  auto aff = q.TryPop();
  aff->unschedulable_plugins = {"NodeAffinity"};
  q.AddUnschedulableIfNotPresent(aff, q.SchedulingCycle());
  EXPECT_EQ(q.PendingCounts().unschedulable, 2u);

  // A deleted pod frees resources: only the NodeResourcesFit rejection cares.
  q.MoveAllToActiveOrBackoffQueue({EventResource::kAssignedPod, kDelete});
  auto c = q.PendingCounts();
  EXPECT_EQ(c.unschedulable, 1u);
  EXPECT_EQ(c.backoff, 1u);  // still backing off (1 s after its first attempt)
  EXPECT_EQ(q.TryPop(), nullptr);
  clock.Advance(seconds(1));
  q.FlushBackoffQCompleted();
  auto again = q.TryPop();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->pod->name, "fit");
  EXPECT_EQ(again->attempts, 2);

  // A new node may help both.
  q.MoveAllToActiveOrBackoffQueue({EventResource::kNode, kAdd});
  EXPECT_EQ(q.PendingCounts().unschedulable, 0u);
}

TEST(SchedulingQueue, EventDuringTheCycleSendsThePodToBackoff) {
  FakeClock clock;
  SchedulingQueue q(&clock, Options());
  q.Add(P("p"));
  auto info = q.TryPop();
  int64_t cycle = q.SchedulingCycle();
  q.MoveAllToActiveOrBackoffQueue({EventResource::kNode, kAdd});  // arrives while "p" is being scheduled
  info->unschedulable_plugins = {"NodeAffinity"};
  q.AddUnschedulableIfNotPresent(info, cycle);
  EXPECT_EQ(q.PendingCounts().backoff, 1u);
}

TEST(SchedulingQueue, LeftoverUnschedulablePodsRetryAfterFiveMinutes) {
  FakeClock clock;
  SchedulingQueue q(&clock, Options());
  q.Add(P("p"));
  auto info = q.TryPop();
  info->unschedulable_plugins = {"NodeAffinity"};
  q.AddUnschedulableIfNotPresent(info, q.SchedulingCycle());
  clock.Advance(std::chrono::minutes(4));
  q.FlushUnschedulablePodsLeftover();
  EXPECT_EQ(q.PendingCounts().unschedulable, 1u);
  clock.Advance(std::chrono::minutes(2));
  q.FlushUnschedulablePodsLeftover();
  EXPECT_EQ(q.PendingCounts().active, 1u);
}

TEST(SchedulingQueue, GatedPodsWaitOutsideTheActiveQueue) {
  FakeClock clock;
  QueueOptions o = Options();
  o.pre_enqueue = [](const Pod& p) {
    return p.scheduling_gates.empty() ? Status() : Status(Code::kUnschedulableAndUnresolvable, "gated").WithPlugin("SchedulingGates");
  };
  SchedulingQueue q(&clock, o);
  auto gated = std::make_shared<Pod>(*P("g"));
  gated->scheduling_gates = {"example.com/wait"};
  q.Add(gated);
  EXPECT_EQ(q.TryPop(), nullptr);
  EXPECT_EQ(q.PendingCounts().gated, 1u);
  auto released = std::make_shared<Pod>(*gated);
  released->scheduling_gates.clear();
  q.Update(*gated, released);
  EXPECT_NE(q.TryPop(), nullptr);
}

TEST(SchedulingQueue, NominatedPods) {
  FakeClock clock;
  SchedulingQueue q(&clock, Options());
  EXPECT_TRUE(q.Empty());
  auto p = P("p", 5);
  q.AddNominatedPod(p, "n1");
  EXPECT_FALSE(q.Empty());
  EXPECT_EQ(q.NominatedPodsForNode("n1").size(), 1u);
  q.AddNominatedPod(p, "n2");  // moves
  EXPECT_TRUE(q.NominatedPodsForNode("n1").empty());
  q.DeleteNominatedPodIfExists(*p);
  EXPECT_TRUE(q.Empty());
}

}  // namespace
}  // namespace schedule
