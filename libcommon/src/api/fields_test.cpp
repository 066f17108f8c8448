#include "common/api/fields.h"

#include <gtest/gtest.h>

namespace common::api {
namespace {

TEST(Fields, PodSelectableFields) {
  const ResourceInfo* pods = FindResource("", "v1", "pods");
  Json pod = Json::parse(R"({"metadata":{"name":"p","namespace":"ns"},"spec":{"nodeName":"n1","restartPolicy":"Always",
      "hostNetwork":true},"status":{"phase":"Running","podIPs":[{"ip":"10.0.0.5"}]}})");
  EXPECT_EQ(FieldValue(*pods, pod, "metadata.name"), "p");
  EXPECT_EQ(FieldValue(*pods, pod, "metadata.namespace"), "ns");
  EXPECT_EQ(FieldValue(*pods, pod, "spec.nodeName"), "n1");
  EXPECT_EQ(FieldValue(*pods, pod, "spec.hostNetwork"), "true");
  EXPECT_EQ(FieldValue(*pods, pod, "status.phase"), "Running");
  EXPECT_EQ(FieldValue(*pods, pod, "status.podIP"), "10.0.0.5");
  EXPECT_EQ(FieldValue(*pods, pod, "spec.schedulerName"), "");
  EXPECT_EQ(FieldValue(*pods, pod, "spec.containers"), std::nullopt);
}

TEST(Fields, OtherKinds) {
  Json ev = Json::parse(R"({"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p","uid":"u"},
      "reason":"Started","type":"Normal","source":{"component":"kubelet"}})");
  const ResourceInfo* events = FindResource("", "v1", "events");
  EXPECT_EQ(FieldValue(*events, ev, "involvedObject.kind"), "Pod");
  EXPECT_EQ(FieldValue(*events, ev, "involvedObject.uid"), "u");
  EXPECT_EQ(FieldValue(*events, ev, "source"), "kubelet");
  EXPECT_EQ(FieldValue(*events, ev, "reason"), "Started");
  Json node = Json::parse(R"({"metadata":{"name":"n"},"spec":{"unschedulable":true}})");
  EXPECT_EQ(FieldValue(*FindResource("", "v1", "nodes"), node, "spec.unschedulable"), "true");
  EXPECT_EQ(FieldValue(*FindResource("", "v1", "nodes"), node, "metadata.namespace"), "");
  Json secret = Json::parse(R"({"metadata":{"name":"s"},"type":"Opaque"})");
  EXPECT_EQ(FieldValue(*FindResource("", "v1", "secrets"), secret, "type"), "Opaque");
  EXPECT_EQ(FieldValue(*FindResource("", "v1", "configmaps"), secret, "type"), std::nullopt);
}

}  // namespace
}  // namespace common::api
