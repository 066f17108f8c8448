#include "plugins/pod_topology_spread.h"

#include <gtest/gtest.h>

#include "testing/fixtures.h"

namespace schedule {
namespace {

using testing::Cluster;
using testing::MakePod;
using testing::OnNode;
using testing::SimpleNode;

PodPtr Foo(const std::string& name) {
  return MakePod("metadata: {name: " + name + ", labels: {foo: bar}}\nspec: {containers: [{name: c, image: x}]}");
}

PodPtr Spread(const std::string& constraint, const std::string& extra_spec = "") {
  return MakePod("metadata: {name: incoming, labels: {foo: bar}}\nspec:\n  topologySpreadConstraints: [" + constraint +
                 "]\n" + extra_spec + "  containers: [{name: c, image: x}]\n");
}

// zone1: n1 (1 matching pod), n2 (0); zone2: n3 (2 matching pods).
Cluster TwoZones() {
  return Cluster({SimpleNode("n1", "4", "8Gi", {{"zone", "z1"}}), SimpleNode("n2", "4", "8Gi", {{"zone", "z1"}}),
                  SimpleNode("n3", "4", "8Gi", {{"zone", "z2"}})},
                 {OnNode(Foo("a"), "n1"), OnNode(Foo("b"), "n3"), OnNode(Foo("c"), "n3")});
}

TEST(PodTopologySpread, MaxSkewAgainstTheGlobalMinimum) {
  Cluster cl = TwoZones();
  auto r = cl.Filter("PodTopologySpread",
                     *Spread("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {foo: bar}}}"));
  EXPECT_TRUE(r["n1"].IsSuccess());  // z1: 1 + 1 - 1 = 1
  EXPECT_TRUE(r["n2"].IsSuccess());
  EXPECT_EQ(r["n3"].code(), Code::kUnschedulable);  // z2: 2 + 1 - 1 = 2 > 1
  EXPECT_EQ(r["n3"].Message(), "node(s) didn't match pod topology spread constraints");
}

TEST(PodTopologySpread, MissingTopologyLabel) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"zone", "z1"}}), SimpleNode("nolabel")});
  auto r = cl.Filter("PodTopologySpread",
                     *Spread("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {foo: bar}}}"));
  EXPECT_EQ(r["nolabel"].code(), Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(r["nolabel"].Message(), "node(s) didn't match pod topology spread constraints (missing required label)");
}

TEST(PodTopologySpread, MinDomainsTreatsTheMinimumAsZero) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"zone", "z1"}}), SimpleNode("n3", "4", "8Gi", {{"zone", "z2"}})},
             {OnNode(Foo("a"), "n1"), OnNode(Foo("b"), "n3")});
  auto r = cl.Filter("PodTopologySpread",
                     *Spread("{maxSkew: 1, minDomains: 3, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {foo: bar}}}"));
  // Only 2 of the 3 required domains exist: global minimum 0, so 1 + 1 - 0 > 1 everywhere.
  EXPECT_FALSE(r["n1"].IsSuccess());
  EXPECT_FALSE(r["n3"].IsSuccess());
  auto ok = cl.Filter("PodTopologySpread",
                      *Spread("{maxSkew: 1, minDomains: 2, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {foo: bar}}}"));
  EXPECT_TRUE(ok["n1"].IsSuccess());
}

TEST(PodTopologySpread, NodeAffinityPolicyHonorIgnoresExcludedDomains) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"zone", "z1"}, {"pool", "a"}}), SimpleNode("n3", "4", "8Gi", {{"zone", "z2"}})},
             {OnNode(Foo("a"), "n1"), OnNode(Foo("b"), "n1")});
  std::string sel = "  nodeSelector: {pool: a}\n";
  auto honor = cl.Filter("PodTopologySpread",
                         *Spread("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {foo: bar}}}", sel));
  EXPECT_TRUE(honor["n1"].IsSuccess());  // only z1 counts: 2 + 1 - 2 = 1
  auto ignore = cl.Filter("PodTopologySpread",
                          *Spread("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, nodeAffinityPolicy: Ignore, labelSelector: {matchLabels: {foo: bar}}}", sel));
  EXPECT_FALSE(ignore["n1"].IsSuccess());  // z2 counts with 0: 2 + 1 - 0 = 3
}

TEST(PodTopologySpread, NodeTaintsPolicyHonorSkipsTaintedNodes) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"zone", "z1"}}),
              SimpleNode("n3", "4", "8Gi", {{"zone", "z2"}}, "{taints: [{key: k, value: v, effect: NoSchedule}]}")},
             {OnNode(Foo("a"), "n1")});
  auto ignore = cl.Filter("PodTopologySpread",
                          *Spread("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {foo: bar}}}"));
  EXPECT_FALSE(ignore["n1"].IsSuccess());  // z2 (tainted) counts as an empty domain
  auto honor = cl.Filter("PodTopologySpread",
                         *Spread("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {foo: bar}}}"));
  EXPECT_TRUE(honor["n1"].IsSuccess());
}

TEST(PodTopologySpread, ScheduleAnywayScoresEmptierDomainsHigher) {
  Cluster cl = TwoZones();
  auto scores = cl.Score("PodTopologySpread",
                         *Spread("{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {foo: bar}}}"));
  // raw: z1 = round(1*ln4) = 1, z2 = round(2*ln4) = 3; normalized 100*(max+min-s)/max.
  EXPECT_EQ(scores["n1"], 100);
  EXPECT_EQ(scores["n2"], 100);
  EXPECT_EQ(scores["n3"], 33);
}

TEST(PodTopologySpread, SystemDefaultsUseTheServiceSelector) {
  Cluster cl = TwoZones();
  auto plain = Foo("incoming");
  EXPECT_TRUE(cl.Score("PodTopologySpread", *plain).empty());  // no Service: no default spreading
  ASSERT_TRUE(cl.store().Upsert(testing::Yaml("kind: Service\nmetadata: {name: svc}\nspec: {selector: {foo: bar}}")).ok());
  auto scores = cl.Score("PodTopologySpread", *plain);
  ASSERT_FALSE(scores.empty());
  EXPECT_GT(scores["n2"], scores["n3"]);
}

TEST(PodTopologySpread, DefaultingTypeListNeedsNoSelector) {
  auto cfg = ParseConfiguration(R"(
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- pluginConfig:
  - name: PodTopologySpread
    args:
      defaultingType: System
      defaultConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway}]
)");
  ASSERT_TRUE(cfg.ok());
  ObjectStore store;
  Parallelizer par(1);
  FrameworkDeps deps{&DefaultRegistry(), &store, &par, nullptr, nullptr};
  auto fw = Framework::Create(cfg->profiles[0], deps);
  ASSERT_FALSE(fw.ok());
  EXPECT_NE(fw.status().message().find("profiles[0].pluginConfig[0].args.defaultConstraints"), std::string::npos);
}

}  // namespace
}  // namespace schedule
