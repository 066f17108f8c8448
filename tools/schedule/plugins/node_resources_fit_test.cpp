#include "plugins/node_resources_fit.h"

#include <gtest/gtest.h>

#include "plugins/balanced_allocation.h"
#include "testing/fixtures.h"

namespace schedule {
namespace {

using testing::Cluster;
using testing::MakeNode;
using testing::MakePod;
using testing::OnNode;

PodPtr Requests(const std::string& name, const std::string& cpu, const std::string& mem, const std::string& extra = "") {
  return MakePod("metadata: {name: " + name + "}\nspec:\n  containers:\n  - name: c\n    image: x\n"
                 "    resources: {requests: {cpu: \"" + cpu + "\", memory: \"" + mem + "\"" + extra + "}}\n");
}

NodePtr Sized(const std::string& name, const std::string& cpu, const std::string& mem, const std::string& pods = "110",
              const std::string& extra = "") {
  return MakeNode("metadata: {name: " + name + "}\nstatus: {allocatable: {cpu: \"" + cpu + "\", memory: \"" + mem +
                  "\", pods: \"" + pods + "\"" + extra + "}}\n");
}

TEST(NodeResourcesFit, FilterTable) {
  struct Case {
    const char* name;
    PodPtr pod;
    std::vector<PodPtr> existing;
    Code code;
    std::vector<std::string> reasons;
  };
  std::vector<Case> cases = {
      {"fits on an empty node", Requests("p", "1", "1Gi"), {}, Code::kSuccess, {}},
      {"fits exactly", Requests("p", "2", "4Gi"), {OnNode(Requests("e", "2", "4Gi"), "n1")}, Code::kSuccess, {}},
      {"cpu short", Requests("p", "3", "1Gi"), {OnNode(Requests("e", "2", "1Gi"), "n1")}, Code::kUnschedulable,
       {"Insufficient cpu"}},
      {"cpu and memory short, both reported", Requests("p", "3", "5Gi"), {OnNode(Requests("e", "2", "4Gi"), "n1")},
       Code::kUnschedulable, {"Insufficient cpu", "Insufficient memory"}},
      {"bigger than the node: preemption cannot help", Requests("p", "5", "1Gi"), {}, Code::kUnschedulableAndUnresolvable,
       {"Insufficient cpu"}},
      {"extended resource missing on the node", Requests("p", "1", "1Gi", ", example.com/foo: \"1\""), {},
       Code::kUnschedulableAndUnresolvable, {"Insufficient example.com/foo"}},
  };
  for (const auto& c : cases) {
    Cluster cl({Sized("n1", "4", "8Gi")}, c.existing);
    Status s = cl.Filter("NodeResourcesFit", *c.pod).at("n1");
    EXPECT_EQ(s.code(), c.code) << c.name << ": " << s.Message();
    EXPECT_EQ(s.reasons(), c.reasons) << c.name;
  }
}

TEST(NodeResourcesFit, TooManyPodsEvenForZeroRequests) {
  auto be = MakePod("metadata: {name: be}\nspec: {containers: [{name: c, image: x}]}");
  Cluster cl({Sized("n1", "4", "8Gi", "1")}, {OnNode(MakePod("metadata: {name: e}\nspec: {containers: [{name: c, image: x}]}"), "n1")});
  Status s = cl.Filter("NodeResourcesFit", *be).at("n1");
  EXPECT_EQ(s.code(), Code::kUnschedulable);
  EXPECT_EQ(s.reasons(), std::vector<std::string>{"Too many pods"});
}

TEST(NodeResourcesFit, IgnoredResourcesAreNotChecked) {
  auto cfg = ParseConfiguration(R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args: {ignoredResources: [example.com/foo], ignoredResourceGroups: [other.io]}
)");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  Cluster cl({Sized("n1", "4", "8Gi")}, {}, *cfg);
  auto pod = Requests("p", "1", "1Gi", ", example.com/foo: \"1\", other.io/bar: \"3\"");
  EXPECT_TRUE(cl.Filter("NodeResourcesFit", *pod).at("n1").IsSuccess());
}

// Upstream's least_allocated_test "nothing scheduled, resources requested,
// differently sized nodes": cpu (4000-3000)/4000=25, memory 50 -> 37; 50/50 -> 50.
TEST(NodeResourcesFit, LeastAllocatedScores) {
  Cluster cl({Sized("node1", "4", "10000"), Sized("node2", "6", "10000")});
  auto scores = cl.Score("NodeResourcesFit", *Requests("p", "3", "5000"));
  EXPECT_EQ(scores["node1"], 37);
  EXPECT_EQ(scores["node2"], 50);
}

TEST(NodeResourcesFit, MostAllocatedScores) {
  auto cfg = ParseConfiguration(R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args: {scoringStrategy: {type: MostAllocated}}
)");
  ASSERT_TRUE(cfg.ok());
  Cluster cl({Sized("node1", "4", "10000"), Sized("node2", "6", "10000")}, {}, *cfg);
  auto scores = cl.Score("NodeResourcesFit", *Requests("p", "3", "5000"));
  EXPECT_EQ(scores["node1"], 62);  // cpu 75, memory 50
  EXPECT_EQ(scores["node2"], 50);
}

TEST(NodeResourcesFit, RequestedToCapacityRatioScores) {
  auto cfg = ParseConfiguration(R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args:
      scoringStrategy:
        type: RequestedToCapacityRatio
        resources: [{name: cpu, weight: 2}, {name: memory, weight: 1}]
        requestedToCapacityRatio: {shape: [{utilization: 0, score: 10}, {utilization: 100, score: 0}]}
)");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  Cluster cl({Sized("node1", "4", "10000"), Sized("node2", "6", "10000")}, {}, *cfg);
  auto scores = cl.Score("NodeResourcesFit", *Requests("p", "3", "5000"));
  // node1: cpu 75% -> 25, memory 50% -> 50: round((25*2+50)/3) = 33.
  EXPECT_EQ(scores["node1"], 33);
  // node2: 50 and 50.
  EXPECT_EQ(scores["node2"], 50);
}

TEST(NodeResourcesFit, ScoringCountsDefaultsForRequestlessPods) {
  // A pod without requests counts 100m / 200Mi when scoring, so nodes fill evenly.
  Cluster cl({Sized("node1", "1", "1000Mi")}, {});
  auto scores = cl.Score("NodeResourcesFit", *MakePod("metadata: {name: be}\nspec: {containers: [{name: c, image: x}]}"));
  EXPECT_EQ(scores["node1"], (90 + 80) / 2);
}

TEST(NodeResourcesFit, BadScoringStrategyNamesField) {
  auto cfg = ParseConfiguration(R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: NodeResourcesFit
    args: {scoringStrategy: {type: Fastest}}
)");
  ASSERT_TRUE(cfg.ok());
  ObjectStore store;
  Parallelizer par(1);
  FrameworkDeps deps{&DefaultRegistry(), &store, &par, nullptr, nullptr};
  auto fw = Framework::Create(cfg->profiles[0], deps);
  ASSERT_FALSE(fw.ok());
  EXPECT_EQ(fw.status().message(),
            "profiles[0].pluginConfig[0].args.scoringStrategy.type: Unsupported value: \"Fastest\": supported values: "
            "\"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\"");
}

// Upstream's balanced_allocation_test: fractions 0.75 / 0.5 -> 1 - 0.125 -> 87; equal fractions -> 100.
TEST(BalancedAllocation, Scores) {
  Cluster cl({Sized("node1", "4", "10000"), Sized("node2", "6", "10000")});
  auto scores = cl.Score("NodeResourcesBalancedAllocation", *Requests("p", "3", "5000"));
  EXPECT_EQ(scores["node1"], 87);
  EXPECT_EQ(scores["node2"], 100);
}

TEST(BalancedAllocation, SkipsBestEffortPods) {
  Cluster cl({Sized("node1", "4", "10000")});
  auto scores = cl.Score("NodeResourcesBalancedAllocation", *MakePod("metadata: {name: be}\nspec: {containers: [{name: c, image: x}]}"));
  EXPECT_TRUE(scores.empty());
}

}  // namespace
}  // namespace schedule
