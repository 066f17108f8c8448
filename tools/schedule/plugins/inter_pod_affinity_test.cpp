#include "plugins/inter_pod_affinity.h"

#include <gtest/gtest.h>

#include "testing/fixtures.h"

namespace schedule {
namespace {

using testing::Cluster;
using testing::MakePod;
using testing::OnNode;
using testing::SimpleNode;

PodPtr Labeled(const std::string& name, const std::string& labels, const std::string& affinity = "",
               const std::string& ns = "default") {
  return MakePod("metadata: {name: " + name + ", namespace: " + ns + ", labels: " + labels + "}\nspec:\n" +
                 (affinity.empty() ? "" : "  affinity: " + affinity + "\n") + "  containers: [{name: c, image: x}]\n");
}

std::vector<NodePtr> ThreeNodesTwoZones() {
  return {SimpleNode("n1", "4", "8Gi", {{"zone", "z1"}}), SimpleNode("n2", "4", "8Gi", {{"zone", "z1"}}),
          SimpleNode("n3", "4", "8Gi", {{"zone", "z2"}})};
}

TEST(InterPodAffinity, RequiredAffinityByZone) {
  Cluster cl(ThreeNodesTwoZones(), {OnNode(Labeled("db", "{app: db}"), "n1")});
  auto pod = Labeled("web", "{app: web}",
                     "{podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: db}}, topologyKey: zone}]}}");
  auto r = cl.Filter("InterPodAffinity", *pod);
  EXPECT_TRUE(r["n1"].IsSuccess());
  EXPECT_TRUE(r["n2"].IsSuccess());  // same zone as the db pod
  EXPECT_EQ(r["n3"].code(), Code::kUnschedulableAndUnresolvable);
  EXPECT_EQ(r["n3"].Message(), "node(s) didn't match pod affinity rules");
}

TEST(InterPodAffinity, RequiredAffinityNeedsTheTopologyLabel) {
  Cluster cl({SimpleNode("n1", "4", "8Gi", {{"zone", "z1"}}), SimpleNode("nolabel")},
             {OnNode(Labeled("db", "{app: db}"), "n1")});
  auto pod = Labeled("web", "{app: web}",
                     "{podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: db}}, topologyKey: zone}]}}");
  auto r = cl.Filter("InterPodAffinity", *pod);
  EXPECT_FALSE(r["nolabel"].IsSuccess());
}

TEST(InterPodAffinity, FirstPodOfASelfAffineGroupIsAllowed) {
  Cluster cl(ThreeNodesTwoZones());
  auto pod = Labeled("first", "{app: cache}",
                     "{podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: cache}}, topologyKey: zone}]}}");
  for (const auto& [node, s] : cl.Filter("InterPodAffinity", *pod)) EXPECT_TRUE(s.IsSuccess()) << node;
  // A pod that does not match its own terms is not.
  auto other = Labeled("other", "{app: web}",
                       "{podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: cache}}, topologyKey: zone}]}}");
  for (const auto& [node, s] : cl.Filter("InterPodAffinity", *other)) EXPECT_FALSE(s.IsSuccess()) << node;
}

TEST(InterPodAffinity, RequiredAntiAffinityByHostname) {
  Cluster cl(ThreeNodesTwoZones(), {OnNode(Labeled("a1", "{app: a}"), "n1")});
  auto pod = Labeled("a2", "{app: a}",
                     "{podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: a}}, topologyKey: kubernetes.io/hostname}]}}");
  auto r = cl.Filter("InterPodAffinity", *pod);
  EXPECT_EQ(r["n1"].code(), Code::kUnschedulable);
  EXPECT_EQ(r["n1"].Message(), "node(s) didn't match pod anti-affinity rules");
  EXPECT_TRUE(r["n2"].IsSuccess());
  EXPECT_TRUE(r["n3"].IsSuccess());
}

TEST(InterPodAffinity, ExistingPodsAntiAffinityIsRespected) {
  auto guard = Labeled("guard", "{app: guard}",
                       "{podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {team: noisy}}, topologyKey: zone}]}}");
  Cluster cl(ThreeNodesTwoZones(), {OnNode(guard, "n1")});
  auto r = cl.Filter("InterPodAffinity", *Labeled("noisy", "{team: noisy}"));
  EXPECT_EQ(r["n1"].Message(), "node(s) didn't satisfy existing pods anti-affinity rules");
  EXPECT_EQ(r["n2"].Message(), "node(s) didn't satisfy existing pods anti-affinity rules");  // same zone
  EXPECT_TRUE(r["n3"].IsSuccess());
  // Pods the term does not select are unaffected.
  for (const auto& [node, s] : cl.Filter("InterPodAffinity", *Labeled("quiet", "{team: quiet}")))
    EXPECT_TRUE(s.IsSuccess()) << node;
}

TEST(InterPodAffinity, TermsOnlyMatchTheirNamespaces) {
  Cluster cl(ThreeNodesTwoZones(), {OnNode(Labeled("a1", "{app: a}", "", "other"), "n1")});
  auto pod = Labeled("a2", "{app: a}",
                     "{podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: a}}, topologyKey: kubernetes.io/hostname}]}}");
  EXPECT_TRUE(cl.Filter("InterPodAffinity", *pod).at("n1").IsSuccess());
  auto listed = Labeled("a3", "{app: a}",
                        "{podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: a}}, namespaces: [other], topologyKey: kubernetes.io/hostname}]}}");
  EXPECT_FALSE(cl.Filter("InterPodAffinity", *listed).at("n1").IsSuccess());
  // An empty namespaceSelector selects every namespace.
  auto all = Labeled("a4", "{app: a}",
                     "{podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: a}}, namespaceSelector: {}, topologyKey: kubernetes.io/hostname}]}}");
  EXPECT_FALSE(cl.Filter("InterPodAffinity", *all).at("n1").IsSuccess());
}

TEST(InterPodAffinity, PreferredAffinityScoresByZone) {
  Cluster cl(ThreeNodesTwoZones(), {OnNode(Labeled("db", "{app: db}"), "n3")});
  auto pod = Labeled("web", "{app: web}",
                     "{podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 5, podAffinityTerm: {labelSelector: {matchLabels: {app: db}}, topologyKey: zone}}]}}");
  auto scores = cl.Score("InterPodAffinity", *pod);
  EXPECT_EQ(scores["n3"], 100);
  EXPECT_EQ(scores["n1"], 0);
  EXPECT_EQ(scores["n2"], 0);
}

TEST(InterPodAffinity, PreferredAntiAffinityAndExistingPodsTerms) {
  // An existing pod prefers to avoid "app: web" pods in its zone.
  auto shy = Labeled("shy", "{app: shy}",
                     "{podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 10, podAffinityTerm: {labelSelector: {matchLabels: {app: web}}, topologyKey: zone}}]}}");
  Cluster cl(ThreeNodesTwoZones(), {OnNode(shy, "n1")});
  auto scores = cl.Score("InterPodAffinity", *Labeled("web", "{app: web}"));
  EXPECT_EQ(scores["n1"], 0);
  EXPECT_EQ(scores["n2"], 0);
  EXPECT_EQ(scores["n3"], 100);
}

TEST(InterPodAffinity, PreemptionExtensionsRemoveAndAddPods) {
  auto victim = OnNode(Labeled("a1", "{app: a}"), "n1");
  Cluster cl(ThreeNodesTwoZones(), {victim});
  auto pod = Labeled("a2", "{app: a}",
                     "{podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: a}}, topologyKey: kubernetes.io/hostname}]}}");
  auto* p = cl.Plugin<InterPodAffinity>("InterPodAffinity");
  CycleState& st = cl.state();
  cl.fw().InitCycleState(st);
  PreFilterResult r;
  ASSERT_TRUE(p->PreFilter(st, *pod, &r).IsSuccess());
  NodeInfo copy = *cl.snapshot().Get("n1");
  EXPECT_FALSE(p->Filter(st, *pod, copy).IsSuccess());
  copy.RemovePod(*victim);
  ASSERT_TRUE(p->RemovePod(st, *pod, *victim, copy).IsSuccess());
  EXPECT_TRUE(p->Filter(st, *pod, copy).IsSuccess());
  copy.AddPod(victim);
  ASSERT_TRUE(p->AddPod(st, *pod, victim, copy).IsSuccess());
  EXPECT_FALSE(p->Filter(st, *pod, copy).IsSuccess());
}

}  // namespace
}  // namespace schedule
