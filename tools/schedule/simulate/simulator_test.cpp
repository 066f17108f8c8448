#include "simulate/simulator.h"

#include <gtest/gtest.h>

#include "testing/fixtures.h"

namespace schedule {
namespace {

using common::Json;
using testing::Yaml;

Json NodeJson(const std::string& name, const std::string& cpu, const std::string& extra = "") {
  return Yaml("kind: Node\nmetadata: {name: " + name + ", labels: {kubernetes.io/hostname: " + name + "}}\n" + extra +
              "status: {allocatable: {cpu: \"" + cpu + "\", memory: 8Gi, pods: \"110\"}}\n");
}

Json PodJson(const std::string& name, const std::string& cpu, int priority = 0, const std::string& node = "",
             const std::string& extra_spec = "", const std::string& labels = "{}") {
  return Yaml("kind: Pod\nmetadata: {name: " + name + ", labels: " + labels + "}\nspec:\n  priority: " +
              std::to_string(priority) + "\n" + (node.empty() ? "" : "  nodeName: " + node + "\n") + extra_spec +
              "  containers: [{name: c, image: x, resources: {requests: {cpu: \"" + cpu + "\"}}}]\n");
}

SimulationResult Simulate(std::vector<Json> nodes, std::vector<Json> existing, std::vector<Json> pods,
                          const std::string& explain = "") {
  Simulator sim;
  SimulatorInputs in;
  in.explain = explain;
  auto st = sim.LoadObjects(in, std::move(nodes), std::move(existing), std::move(pods));
  EXPECT_TRUE(st.ok()) << st.message();
  auto r = sim.Run();
  EXPECT_TRUE(r.ok());
  return *r;
}

const PodOutcome& Find(const SimulationResult& r, const std::string& name) {
  for (const auto& o : r.pods)
    if (o.pod->name == name) return o;
  static PodOutcome none;
  ADD_FAILURE() << "no outcome for " << name;
  return none;
}

TEST(Simulate, FailedSchedulingMessageFormat) {
  auto r = Simulate({NodeJson("n1", "2"), NodeJson("n2", "2"), NodeJson("n3", "2"),
                     NodeJson("t1", "8", "spec: {taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}\n"),
                     NodeJson("t2", "8", "spec: {taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}\n")},
                    {PodJson("busy1", "1500m", 0, "n1"), PodJson("busy2", "1500m", 0, "n2"), PodJson("busy3", "1500m", 0, "n3")},
                    {PodJson("big", "1")});
  const auto& o = Find(r, "big");
  EXPECT_EQ(o.phase, PodOutcome::Phase::kPending);
  // Sorted as strings, as upstream does; equal priorities leave no preemption victims.
  EXPECT_EQ(o.message,
            "0/5 nodes are available: 2 node(s) had untolerated taint(s), 3 Insufficient cpu. preemption: 0/5 nodes are "
            "available: 2 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.");
}

TEST(Simulate, NoNodes) {
  auto r = Simulate({}, {}, {PodJson("p", "1")});
  EXPECT_EQ(Find(r, "p").message, "no nodes available to schedule pods");
}

TEST(Simulate, PreemptsLowerPriorityPodAndBindsAfterwards) {
  auto r = Simulate({NodeJson("n1", "2"), NodeJson("n2", "2")},
                    {PodJson("low", "2", 0, "n1"), PodJson("high", "2", 1000, "n2")}, {PodJson("mid", "1", 100)});
  const auto& mid = Find(r, "mid");
  EXPECT_EQ(mid.phase, PodOutcome::Phase::kScheduled);
  EXPECT_EQ(mid.node, "n1");
  EXPECT_EQ(mid.attempts, 2);
  const auto& low = Find(r, "low");
  EXPECT_EQ(low.phase, PodOutcome::Phase::kPreempted);
  EXPECT_EQ(low.preempted_by, "default/mid");
}

TEST(Simulate, PreemptionPolicyNever) {
  auto r = Simulate({NodeJson("n1", "2")}, {PodJson("low", "2", 0, "n1")},
                    {PodJson("polite", "1", 100, "", "  preemptionPolicy: Never\n")});
  EXPECT_EQ(Find(r, "polite").message,
            "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
}

TEST(Simulate, PreemptionAvoidsPodDisruptionBudgetViolations) {
  auto r = Simulate(
      {NodeJson("n1", "2"), NodeJson("n2", "2")},
      {PodJson("guarded", "2", 0, "n1", "", "{app: db}"), PodJson("free", "2", 0, "n2", "", "{app: batch}"),
       Yaml("kind: PodDisruptionBudget\nmetadata: {name: db}\nspec: {minAvailable: 1, selector: {matchLabels: {app: db}}}")},
      {PodJson("urgent", "1", 100)});
  EXPECT_EQ(Find(r, "urgent").node, "n2");
  EXPECT_EQ(Find(r, "free").phase, PodOutcome::Phase::kPreempted);
}

TEST(Simulate, PreemptionPrefersTheLowestPriorityVictims) {
  auto r = Simulate({NodeJson("n1", "2"), NodeJson("n2", "2")},
                    {PodJson("p50", "2", 50, "n1"), PodJson("p10", "2", 10, "n2")}, {PodJson("urgent", "1", 100)});
  EXPECT_EQ(Find(r, "urgent").node, "n2");
  EXPECT_EQ(Find(r, "p10").phase, PodOutcome::Phase::kPreempted);
}

TEST(Simulate, QueueOrderIsPriorityThenArrival) {
  // One slot: the higher-priority pod, though listed second, gets it.
  auto r = Simulate({NodeJson("n1", "1")}, {}, {PodJson("first", "1", 0), PodJson("second", "1", 10)});
  EXPECT_EQ(Find(r, "second").node, "n1");
  EXPECT_EQ(Find(r, "first").phase, PodOutcome::Phase::kPending);
}

TEST(Simulate, ExplainRecordsEveryNode) {
  auto r = Simulate({NodeJson("n1", "2"), NodeJson("n2", "4")}, {}, {PodJson("p", "3")}, "p");
  ASSERT_TRUE(r.detail);
  ASSERT_EQ(r.detail->nodes.size(), 2u);
  for (const auto& n : r.detail->nodes) {
    if (n.node == "n1") {
      ASSERT_EQ(n.rejections.size(), 1u);
      EXPECT_EQ(n.rejections[0].plugin, "NodeResourcesFit");
      EXPECT_EQ(n.rejections[0].detail, "cpu: requested 3, in use 0 of 2");
    } else {
      EXPECT_TRUE(n.feasible);
    }
  }
}

TEST(Simulate, PendingPodsFromClusterInputWhenNoPodsGiven) {
  Simulator sim;
  SimulatorInputs in;
  ASSERT_TRUE(sim.LoadObjects(in, {NodeJson("n1", "2"), PodJson("pending", "1")}, {}, {}).ok());
  auto r = sim.Run();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pods.size(), 1u);
  EXPECT_EQ(r->pods[0].node, "n1");
}

TEST(Simulate, UnknownPriorityClassIsAnInputError) {
  Simulator sim;
  SimulatorInputs in;
  auto st = sim.LoadObjects(in, {NodeJson("n1", "2")}, {},
                            {Yaml("kind: Pod\nmetadata: {name: p}\nspec: {priorityClassName: gold, containers: [{name: c, image: x}]}")});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "pods: Pod \"default/p\": spec.priorityClassName: no PriorityClass with name gold was found");
}

TEST(Simulate, PriorityClassResolves) {
  auto r = Simulate({NodeJson("n1", "1")},
                    {Yaml("kind: PriorityClass\nmetadata: {name: gold}\nvalue: 1000")},
                    {PodJson("plain", "1"),
                     Yaml("kind: Pod\nmetadata: {name: vip}\nspec: {priorityClassName: gold, containers: [{name: c, image: x, resources: {requests: {cpu: \"1\"}}}]}")});
  EXPECT_EQ(Find(r, "vip").node, "n1");
}

}  // namespace
}  // namespace schedule
