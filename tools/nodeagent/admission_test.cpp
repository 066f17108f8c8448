#include "admission.h"

#include <gtest/gtest.h>

namespace nodeagent {
namespace {

PodSpec Pod(const std::string& json) {
  auto p = ParsePod(*common::ParseJson(json));
  EXPECT_TRUE(p.ok()) << p.status().message();
  return *p;
}

NodeState Node() {
  NodeState n;
  n.name = "n1";
  n.labels = {{"kubernetes.io/hostname", "n1"}, {"disk", "ssd"}, {"cores", "8"}};
  n.allocatable = {{"cpu", *common::Quantity::Parse("2")},
                   {"memory", *common::Quantity::Parse("1Gi")},
                   {"pods", *common::Quantity::Parse("3")}};
  return n;
}

TEST(Admission, ResourcesUseUpstreamReasonsAndMessages) {
  PodSpec big = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c",
      "resources":{"requests":{"cpu":"1500m"}}}]}})");
  PodSpec more = Pod(R"({"metadata":{"name":"b"},"spec":{"containers":[{"name":"c",
      "resources":{"requests":{"cpu":"1","memory":"100Mi"}}}]}})");
  Admission a = AdmitPod(more, {&big}, Node(), false);
  EXPECT_FALSE(a.admitted);
  EXPECT_EQ(a.reason, "OutOfcpu");
  EXPECT_EQ(a.message, "Node didn't have enough resource: cpu, requested: 1000, used: 1500, capacity: 2000");
  PodSpec mem = Pod(R"({"metadata":{"name":"m"},"spec":{"containers":[{"name":"c",
      "resources":{"requests":{"memory":"2Gi"}}}]}})");
  a = AdmitPod(mem, {}, Node(), false);
  EXPECT_EQ(a.reason, "OutOfmemory");
  EXPECT_EQ(a.message, "Node didn't have enough resource: memory, requested: 2147483648, used: 0, capacity: 1073741824");
  PodSpec gpu = Pod(R"({"metadata":{"name":"g"},"spec":{"containers":[{"name":"c",
      "resources":{"limits":{"example.com/gpu":"1"}}}]}})");
  EXPECT_EQ(AdmitPod(gpu, {}, Node(), false).reason, "OutOfexample.com/gpu");
  PodSpec small = Pod(R"({"metadata":{"name":"s"},"spec":{"containers":[{"name":"c"}]}})");
  EXPECT_TRUE(AdmitPod(small, {&big}, Node(), false).admitted);
  a = AdmitPod(small, {&big, &small, &small}, Node(), false);
  EXPECT_EQ(a.reason, "OutOfpods");
  EXPECT_EQ(a.message, "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3");
  AdmittedPod sbig = SummarizeForAdmission(big);
  EXPECT_EQ(AdmitPodAgainst(more, {&sbig}, Node(), false).reason, "OutOfcpu");
  EXPECT_TRUE(AdmitPodAgainst(small, {&sbig}, Node(), false).admitted);
}

TEST(Admission, NodeAffinityAndSelector) {
  PodSpec sel = Pod(R"({"metadata":{"name":"a"},"spec":{"nodeSelector":{"disk":"hdd"},"containers":[{"name":"c"}]}})");
  Admission a = AdmitPod(sel, {}, Node(), false);
  EXPECT_EQ(a.reason, "NodeAffinity");
  EXPECT_EQ(a.message, "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector");
  PodSpec aff = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c"}],"affinity":{"nodeAffinity":
    {"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
      {"matchExpressions":[{"key":"disk","operator":"In","values":["nvme"]}]},
      {"matchExpressions":[{"key":"cores","operator":"Gt","values":["4"]},
                           {"key":"gpu","operator":"DoesNotExist"}]}]}}}}})");
  EXPECT_TRUE(AdmitPod(aff, {}, Node(), false).admitted);
  PodSpec field = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c"}],"affinity":{"nodeAffinity":
    {"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
      {"matchFields":[{"key":"metadata.name","operator":"NotIn","values":["n1"]}]}]}}}}})");
  EXPECT_FALSE(AdmitPod(field, {}, Node(), false).admitted);
  PodSpec wrong = Pod(R"({"metadata":{"name":"a"},"spec":{"nodeName":"n2","containers":[{"name":"c"}]}})");
  EXPECT_EQ(AdmitPod(wrong, {}, Node(), false).reason, "NodeName");
}

TEST(Admission, HostPortsAndTaints) {
  PodSpec p80 = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"hostPort":8080}]}]}})");
  PodSpec p80b = Pod(R"({"metadata":{"name":"b"},"spec":{"containers":[{"name":"c","ports":[{"containerPort":81,"hostPort":8080,"hostIP":"127.0.0.1"}]}]}})");
  PodSpec udp = Pod(R"({"metadata":{"name":"u"},"spec":{"containers":[{"name":"c","ports":[{"containerPort":81,"hostPort":8080,"protocol":"UDP"}]}]}})");
  EXPECT_EQ(AdmitPod(p80b, {&p80}, Node(), false).reason, "NodePorts");
  EXPECT_TRUE(AdmitPod(udp, {&p80}, Node(), false).admitted);
  // The agent keeps summaries of admitted pods, not their specs: the same answers.
  AdmittedPod s80 = SummarizeForAdmission(p80);
  ASSERT_EQ(s80.host_ports.size(), 1u);
  EXPECT_EQ(s80.host_ports[0], std::make_tuple(std::string("TCP"), std::string("0.0.0.0"), 8080));
  EXPECT_EQ(AdmitPodAgainst(p80b, {&s80}, Node(), false).reason, "NodePorts");
  EXPECT_TRUE(AdmitPodAgainst(udp, {&s80}, Node(), false).admitted);
  NodeState tainted = Node();
  tainted.taints = {{"maint", "", "NoExecute"}, {"soft", "x", "NoSchedule"}};
  PodSpec plain = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c"}]}})");
  Admission a = AdmitPod(plain, {}, tainted, false);
  EXPECT_EQ(a.reason, "TaintToleration");
  EXPECT_EQ(a.message, "Predicate TaintToleration failed: node(s) had untolerated taint {maint: }");
  EXPECT_TRUE(AdmitPod(plain, {}, tainted, true).admitted);  // static pods are not checked
  PodSpec tol = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c"}],
      "tolerations":[{"key":"maint","operator":"Exists","effect":"NoExecute"}]}})");
  EXPECT_TRUE(AdmitPod(tol, {}, tainted, false).admitted);
}

TEST(Admission, MemoryPressureRejectsBestEffortOnly) {
  NodeState n = Node();
  n.memory_pressure = true;
  PodSpec be = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c"}]}})");
  PodSpec bu = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c","resources":{"requests":{"memory":"1Mi"}}}]}})");
  Admission a = AdmitPod(be, {}, n, false);
  EXPECT_EQ(a.reason, "Evicted");
  EXPECT_EQ(a.message, "The node had condition: [MemoryPressure]. ");
  EXPECT_TRUE(AdmitPod(bu, {}, n, false).admitted);
}

}  // namespace
}  // namespace nodeagent
