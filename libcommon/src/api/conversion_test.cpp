#include "common/api/conversion.h"

#include <gtest/gtest.h>

namespace common::api {
namespace {

TEST(Conversion, HpaV1CpuTargetIsOneV2Metric) {
  Json v1 = Json::parse(R"({"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"},
      "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":60},
      "status":{"currentReplicas":2,"desiredReplicas":2,"currentCPUUtilizationPercentage":30}})");
  auto v2 = Convert(v1, {"autoscaling", "v2"});
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ((*v2)["apiVersion"], "autoscaling/v2");
  EXPECT_EQ((*v2)["spec"]["metrics"], Json::parse(R"([{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}])"));
  EXPECT_EQ((*v2)["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"], 30);
  auto back = Convert(*v2, {"autoscaling", "v1"});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, v1);
}

TEST(Conversion, HpaV2ExtraMetricsSurviveAV1RoundTrip) {
  Json v2 = Json::parse(R"({"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"},
      "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,"metrics":[
        {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}},
        {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}},
        {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"10"}}}],
        "behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}}})");
  auto v1 = Convert(v2, {"autoscaling", "v1"});
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ((*v1)["spec"]["targetCPUUtilizationPercentage"], 50);
  EXPECT_FALSE((*v1)["spec"].contains("metrics"));
  const Json& ann = (*v1)["metadata"]["annotations"];
  EXPECT_TRUE(ann.contains("autoscaling.alpha.kubernetes.io/metrics"));
  EXPECT_TRUE(ann.contains("autoscaling.alpha.kubernetes.io/behavior"));
  auto back = Convert(*v1, {"autoscaling", "v2"});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, v2);
}

TEST(Conversion, SingleVersionKindsOnlyChangeApiVersion) {
  Json pod = Json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}})");
  auto out = Convert(pod, {"", "v1"});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, pod);
}

TEST(Conversion, EventsV1AndCoreEventsAreOneObject) {
  Json v1 = Json::parse(R"({"kind":"Event","apiVersion":"events.k8s.io/v1",
      "metadata":{"name":"e","namespace":"default"},"eventTime":"2024-01-02T03:04:05.000000Z",
      "series":{"count":2,"lastObservedTime":"2024-01-02T03:05:05.000000Z"},
      "reportingController":"kubix.io/reconcile","reportingInstance":"r-1","action":"Scheduling",
      "reason":"Scheduled","regarding":{"kind":"Pod","name":"p","namespace":"default"},
      "note":"assigned","type":"Normal","deprecatedSource":{"component":"x"},"deprecatedCount":3})");
  auto core = Convert(v1, {"", "v1"});
  ASSERT_TRUE(core.ok());
  EXPECT_EQ(*core, Json::parse(R"({"kind":"Event","apiVersion":"v1",
      "metadata":{"name":"e","namespace":"default"},
      "involvedObject":{"kind":"Pod","name":"p","namespace":"default"},"reason":"Scheduled",
      "message":"assigned","source":{"component":"x"},"count":3,"type":"Normal",
      "eventTime":"2024-01-02T03:04:05.000000Z",
      "series":{"count":2,"lastObservedTime":"2024-01-02T03:05:05.000000Z"},"action":"Scheduling",
      "reportingComponent":"kubix.io/reconcile","reportingInstance":"r-1"})"));
  auto back = Convert(*core, {"events.k8s.io", "v1"});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, v1);
  // Same-version requests only set apiVersion.
  EXPECT_EQ((*Convert(v1, {"events.k8s.io", "v1"})), v1);
}

}  // namespace
}  // namespace common::api
