#include "plugins/taint_toleration.h"

#include <gtest/gtest.h>

#include "testing/fixtures.h"

namespace schedule {
namespace {

using testing::Cluster;
using testing::MakePod;
using testing::SimpleNode;

PodPtr WithTolerations(const std::string& tolerations) {
  return MakePod("metadata: {name: p}\nspec:\n  tolerations: " + tolerations + "\n  containers: [{name: c, image: x}]\n");
}

TEST(TaintToleration, FilterTable) {
  struct Case {
    const char* name;
    std::string taints;
    std::string tolerations;
    bool fits;
  };
  std::vector<Case> cases = {
      {"no taints", "[]", "[]", true},
      {"untolerated NoSchedule", "[{key: dedicated, value: user1, effect: NoSchedule}]", "[]", false},
      {"tolerated by key/value/effect", "[{key: dedicated, value: user1, effect: NoSchedule}]",
       "[{key: dedicated, operator: Equal, value: user1, effect: NoSchedule}]", true},
      {"value differs", "[{key: dedicated, value: user1, effect: NoSchedule}]",
       "[{key: dedicated, operator: Equal, value: user2, effect: NoSchedule}]", false},
      {"Exists tolerates any value", "[{key: dedicated, value: user1, effect: NoSchedule}]",
       "[{key: dedicated, operator: Exists, effect: NoSchedule}]", true},
      {"empty effect tolerates every effect", "[{key: dedicated, value: user1, effect: NoExecute}]",
       "[{key: dedicated, operator: Equal, value: user1}]", true},
      {"empty key with Exists tolerates everything", "[{key: a, value: b, effect: NoExecute}]", "[{operator: Exists}]",
       true},
      {"PreferNoSchedule is not filtered", "[{key: a, value: b, effect: PreferNoSchedule}]", "[]", true},
      {"NoExecute untolerated", "[{key: a, value: b, effect: NoExecute}]", "[{key: a, operator: Exists, effect: NoSchedule}]",
       false},
  };
  for (const auto& c : cases) {
    Cluster cl({SimpleNode("n1", "4", "8Gi", {}, "{taints: " + c.taints + "}")});
    Status s = cl.Filter("TaintToleration", *WithTolerations(c.tolerations)).at("n1");
    EXPECT_EQ(s.IsSuccess(), c.fits) << c.name;
    if (!c.fits) {
      EXPECT_EQ(s.code(), Code::kUnschedulableAndUnresolvable) << c.name;
      EXPECT_EQ(s.Message(), "node(s) had untolerated taint(s)") << c.name;
    }
  }
}

TEST(TaintToleration, ExplainShowsTheTaint) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {}, "{taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}")});
  auto pod = WithTolerations("[]");
  cl.Filter("TaintToleration", *pod);
  auto* p = cl.Plugin<TaintToleration>("TaintToleration");
  EXPECT_EQ(p->Explain(cl.state(), *pod, *cl.snapshot().Get("n1")),
            "untolerated taint {dedicated: gpu} effect NoSchedule");
}

// Upstream's "the more intolerable taints a node has, the lower its score".
TEST(TaintToleration, ScorePrefersFewerUntoleratedPreferNoScheduleTaints) {
  Cluster cl({SimpleNode("n0", "4", "8Gi"),
              SimpleNode("n1", "4", "8Gi", {}, "{taints: [{key: a, value: x, effect: PreferNoSchedule}]}"),
              SimpleNode("n2", "4", "8Gi", {},
                         "{taints: [{key: a, value: x, effect: PreferNoSchedule}, {key: b, value: y, effect: PreferNoSchedule}]}")});
  auto scores = cl.Score("TaintToleration", *WithTolerations("[]"));
  EXPECT_EQ(scores["n0"], 100);
  EXPECT_EQ(scores["n1"], 50);
  EXPECT_EQ(scores["n2"], 0);
  auto tolerating = cl.Score("TaintToleration", *WithTolerations("[{key: a, operator: Exists, effect: PreferNoSchedule}]"));
  EXPECT_EQ(tolerating["n1"], 100);
  EXPECT_EQ(tolerating["n2"], 0);
}

TEST(NodeUnschedulable, RejectsCordonedNodesUnlessTolerated) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {}, "{unschedulable: true}")});
  Status s = cl.Filter("NodeUnschedulable", *WithTolerations("[]")).at("n1");
  EXPECT_EQ(s.code(), Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(s.Message(), "node(s) were unschedulable");
  auto tolerant = WithTolerations("[{key: node.kubernetes.io/unschedulable, operator: Exists, effect: NoSchedule}]");
  EXPECT_TRUE(cl.Filter("NodeUnschedulable", *tolerant).at("n1").IsSuccess());
}

TEST(NodeName, OnlyTheNamedNode) {
  Cluster cl({SimpleNode("n1"), SimpleNode("n2")});
  auto pod = MakePod("metadata: {name: p}\nspec: {nodeName: n2, containers: [{name: c, image: x}]}");
  auto r = cl.Filter("NodeName", *pod);
  EXPECT_EQ(r["n1"].Message(), "node(s) didn't match the requested node name");
  EXPECT_TRUE(r["n2"].IsSuccess());
}

TEST(NodePorts, HostPortConflicts) {
  auto holder = MakePod(R"(
metadata: {name: holder}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 80, hostPort: 8080, hostIP: 10.0.0.1}]}]})");
  Cluster cl({SimpleNode("n1")}, {testing::OnNode(holder, "n1")});
  auto want = [](const std::string& port) {
    return MakePod("metadata: {name: p}\nspec: {containers: [{name: c, image: x, ports: [" + port + "]}]}");
  };
  EXPECT_FALSE(cl.Filter("NodePorts", *want("{containerPort: 1, hostPort: 8080}")).at("n1").IsSuccess());  // 0.0.0.0 vs 10.0.0.1
  EXPECT_FALSE(cl.Filter("NodePorts", *want("{containerPort: 1, hostPort: 8080, hostIP: 10.0.0.1}")).at("n1").IsSuccess());
  EXPECT_TRUE(cl.Filter("NodePorts", *want("{containerPort: 1, hostPort: 8080, hostIP: 10.0.0.2}")).at("n1").IsSuccess());
  EXPECT_TRUE(cl.Filter("NodePorts", *want("{containerPort: 1, hostPort: 8080, protocol: UDP}")).at("n1").IsSuccess());
  Status s = cl.Filter("NodePorts", *want("{containerPort: 1, hostPort: 8080}")).at("n1");
  EXPECT_EQ(s.code(), Code::kUnschedulable);
  EXPECT_EQ(s.Message(), "node(s) didn't have free ports for the requested pod ports");
}

}  // namespace
}  // namespace schedule
