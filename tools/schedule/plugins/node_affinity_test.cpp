#include "plugins/node_affinity.h"

#include <gtest/gtest.h>

#include "testing/fixtures.h"

namespace schedule {
namespace {

using testing::Cluster;
using testing::MakePod;
using testing::SimpleNode;

PodPtr WithRequired(const std::string& terms) {
  return MakePod(
      "metadata: {name: p}\nspec:\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n"
      "        nodeSelectorTerms: " + terms + "\n  containers: [{name: c, image: x}]\n");
}

TEST(NodeAffinity, OperatorsTable) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"zone", "a"}, {"cores", "8"}}),
              SimpleNode("n2", "4", "8Gi", {{"zone", "b"}, {"cores", "2"}}),
              SimpleNode("n3", "4", "8Gi", {{"cores", "16"}})});
  struct Case {
    const char* name;
    std::string terms;
    std::set<std::string> fit;
  };
  std::vector<Case> cases = {
      {"In", "[{matchExpressions: [{key: zone, operator: In, values: [a, c]}]}]", {"n1"}},
      {"NotIn matches nodes without the label", "[{matchExpressions: [{key: zone, operator: NotIn, values: [a]}]}]",
       {"n2", "n3"}},
      {"Exists", "[{matchExpressions: [{key: zone, operator: Exists}]}]", {"n1", "n2"}},
      {"DoesNotExist", "[{matchExpressions: [{key: zone, operator: DoesNotExist}]}]", {"n3"}},
      {"Gt compares integers", "[{matchExpressions: [{key: cores, operator: Gt, values: [\"4\"]}]}]", {"n1", "n3"}},
      {"Lt compares integers", "[{matchExpressions: [{key: cores, operator: Lt, values: [\"8\"]}]}]", {"n2"}},
      {"expressions in a term are ANDed",
       "[{matchExpressions: [{key: zone, operator: Exists}, {key: cores, operator: Gt, values: [\"4\"]}]}]", {"n1"}},
      {"terms are ORed",
       "[{matchExpressions: [{key: zone, operator: In, values: [b]}]}, {matchExpressions: [{key: zone, operator: DoesNotExist}]}]",
       {"n2", "n3"}},
      {"an empty term matches nothing", "[{}]", {}},
      {"matchFields on metadata.name", "[{matchFields: [{key: metadata.name, operator: In, values: [n3]}]}]", {"n3"}},
      {"matchFields NotIn", "[{matchFields: [{key: metadata.name, operator: NotIn, values: [n3]}]}]", {"n1", "n2"}},
  };
  for (const auto& c : cases) {
    auto r = cl.Filter("NodeAffinity", *WithRequired(c.terms));
    for (const auto& [node, s] : r) {
      EXPECT_EQ(s.IsSuccess(), c.fit.count(node) == 1) << c.name << " on " << node;
      if (!s.IsSuccess()) {
        EXPECT_EQ(s.code(), Code::kUnschedulableAndUnresolvable);
        EXPECT_EQ(s.Message(), "node(s) didn't match Pod's node affinity/selector");
      }
    }
  }
}

TEST(NodeAffinity, NodeSelectorAndAffinityBothApply) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"zone", "a"}, {"disk", "ssd"}}), SimpleNode("n2", "4", "8Gi", {{"zone", "a"}})});
  auto pod = MakePod(R"(
metadata: {name: p}
spec:
  nodeSelector: {disk: ssd}
  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}}}
  containers: [{name: c, image: x}]
)");
  auto r = cl.Filter("NodeAffinity", *pod);
  EXPECT_TRUE(r["n1"].IsSuccess());
  EXPECT_FALSE(r["n2"].IsSuccess());
}

TEST(NodeAffinity, PreFilterNarrowsToNamedNodes) {
  Cluster cl({SimpleNode("n1"), SimpleNode("n2"), SimpleNode("n3")});
  auto pod = WithRequired(
      "[{matchFields: [{key: metadata.name, operator: In, values: [n1]}]}, {matchFields: [{key: metadata.name, operator: In, values: [n3]}]}]");
  auto* p = cl.Plugin<NodeAffinity>("NodeAffinity");
  CycleState st;
  cl.fw().InitCycleState(st);
  PreFilterResult r;
  ASSERT_TRUE(p->PreFilter(st, *pod, &r).IsSuccess());
  ASSERT_FALSE(r.AllNodes());
  EXPECT_EQ(*r.node_names, (std::set<std::string>{"n1", "n3"}));
  // Conflicting matchFields within one term: nothing can match.
  auto conflict = WithRequired(
      "[{matchFields: [{key: metadata.name, operator: In, values: [n1]}, {key: metadata.name, operator: In, values: [n2]}]}]");
  Status s = p->PreFilter(st, *conflict, &r);
  EXPECT_EQ(s.code(), Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(s.Message(), "pod affinity terms conflict");
}

TEST(NodeAffinity, SkipsPodsWithoutAffinity) {
  Cluster cl({SimpleNode("n1")});
  auto* p = cl.Plugin<NodeAffinity>("NodeAffinity");
  CycleState st;
  cl.fw().InitCycleState(st);
  PreFilterResult r;
  EXPECT_TRUE(p->PreFilter(st, *MakePod("metadata: {name: p}\nspec: {containers: [{name: c, image: x}]}"), &r).IsSkip());
}

TEST(NodeAffinity, PreferredTermsScoreByWeight) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"zone", "a"}, {"disk", "ssd"}}), SimpleNode("n2", "4", "8Gi", {{"zone", "a"}}),
              SimpleNode("n3")});
  auto pod = MakePod(R"(
metadata: {name: p}
spec:
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - {weight: 2, preference: {matchExpressions: [{key: zone, operator: In, values: [a]}]}}
      - {weight: 6, preference: {matchExpressions: [{key: disk, operator: In, values: [ssd]}]}}
  containers: [{name: c, image: x}]
)");
  auto scores = cl.Score("NodeAffinity", *pod);
  EXPECT_EQ(scores["n1"], 100);      // 8 of max 8
  EXPECT_EQ(scores["n2"], 25);       // 2 * 100 / 8
  EXPECT_EQ(scores["n3"], 0);
}

TEST(NodeAffinity, AddedAffinityFromArgs) {
  auto cfg = ParseConfiguration(R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: NodeAffinity
    args:
      addedAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms: [{matchExpressions: [{key: pool, operator: In, values: [batch]}]}]
)");
  ASSERT_TRUE(cfg.ok());
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"pool", "batch"}}), SimpleNode("n2")}, {}, *cfg);
  auto r = cl.Filter("NodeAffinity", *MakePod("metadata: {name: p}\nspec: {containers: [{name: c, image: x}]}"));
  EXPECT_TRUE(r["n1"].IsSuccess());
  EXPECT_EQ(r["n2"].Message(), "node(s) didn't match scheduler-enforced node affinity");
}

}  // namespace
}  // namespace schedule
