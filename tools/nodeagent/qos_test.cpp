#include "qos.h"

#include <gtest/gtest.h>

namespace nodeagent {
namespace {

PodSpec Pod(const std::string& json) {
  auto p = ParsePod(*common::ParseJson(json));
  EXPECT_TRUE(p.ok()) << p.status().message();
  return *p;
}

TEST(Qos, Classes) {
  EXPECT_EQ(PodQos(Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c"}]}})")),
            QosClass::kBestEffort);
  // A limit alone implies an equal request: Guaranteed.
  EXPECT_EQ(PodQos(Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c",
      "resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]}})")),
            QosClass::kGuaranteed);
  EXPECT_EQ(PodQos(Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c",
      "resources":{"requests":{"cpu":"500m","memory":"1Gi"},"limits":{"cpu":"1","memory":"1Gi"}}}]}})")),
            QosClass::kBurstable);
  // Only a cpu limit: not Guaranteed.
  EXPECT_EQ(PodQos(Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c",
      "resources":{"limits":{"cpu":"1"}}}]}})")),
            QosClass::kBurstable);
  // One BestEffort container spoils Guaranteed.
  EXPECT_EQ(PodQos(Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c",
      "resources":{"limits":{"cpu":"1","memory":"1Gi"}}},{"name":"d"}]}})")),
            QosClass::kBurstable);
  // Extended resources do not count.
  EXPECT_EQ(PodQos(Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c",
      "resources":{"limits":{"example.com/gpu":"1"}}}]}})")),
            QosClass::kBestEffort);
  // Init containers count too.
  EXPECT_EQ(PodQos(Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c",
      "resources":{"limits":{"cpu":"1","memory":"1Gi"}}}],"initContainers":[{"name":"i"}]}})")),
            QosClass::kBurstable);
  EXPECT_STREQ(QosName(QosClass::kBurstable), "Burstable");
}

TEST(Qos, OomScoreAdj) {
  int64_t cap = int64_t{4} << 30;  // 4Gi node
  PodSpec g = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c",
      "resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]}})");
  EXPECT_EQ(ContainerOomScoreAdj(g, g.containers[0], cap), -997);
  PodSpec be = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[{"name":"c"}]}})");
  EXPECT_EQ(ContainerOomScoreAdj(be, be.containers[0], cap), 1000);
  PodSpec b = Pod(R"({"metadata":{"name":"a"},"spec":{"containers":[
      {"name":"c","resources":{"requests":{"memory":"1Gi"}}},
      {"name":"d","resources":{"requests":{"cpu":"1"}}},
      {"name":"e","resources":{"requests":{"memory":"4Gi"}}},
      {"name":"f","resources":{"requests":{"memory":"1Mi"}}}]}})");
  EXPECT_EQ(ContainerOomScoreAdj(b, b.containers[0], cap), 750);  // 1000 - 1000/4
  EXPECT_EQ(ContainerOomScoreAdj(b, b.containers[1], cap), 999);  // 1000 becomes 999
  EXPECT_EQ(ContainerOomScoreAdj(b, b.containers[2], cap), 3);    // clamped above Guaranteed
  EXPECT_EQ(ContainerOomScoreAdj(b, b.containers[3], cap), 999);  // 1000 - 0 (integer division)
  PodSpec crit = b;
  crit.priority_class_name = "system-node-critical";
  EXPECT_EQ(ContainerOomScoreAdj(crit, crit.containers[0], cap), -997);
}

}  // namespace
}  // namespace nodeagent
