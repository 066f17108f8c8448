#include <gtest/gtest.h>

#include "common/api/patch.h"

namespace common::api {
namespace {

Json Smp(const char* kind_api, const char* kind, const char* doc, const char* patch) {
  auto r = ApplyStrategicMergePatch(*FindKind(kind_api, kind), Json::parse(doc), Json::parse(patch));
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : Json();
}

TEST(StrategicMerge, ContainersMergeByName) {
  Json got = Smp("v1", "Pod",
                 R"({"spec":{"containers":[{"name":"a","image":"x:1","ports":[{"containerPort":80}]},{"name":"b","image":"y"}]}})",
                 R"({"spec":{"containers":[{"name":"a","image":"x:2"},{"name":"c","image":"z"}]}})");
  // Upstream's order (normalizeElementOrder): the patch's elements keep the
  // patch's order and interleave with the server-only ones by the server's
  // order, so the new "c" lands before "b", which it is not ordered against.
  EXPECT_EQ(got, Json::parse(R"({"spec":{"containers":[{"name":"a","image":"x:2","ports":[{"containerPort":80}]},
      {"name":"c","image":"z"},{"name":"b","image":"y"}]}})"));
}

TEST(StrategicMerge, ElementOrderFollowsUpstream) {
  // A lone new element goes first (mergeSortedSlice takes the patch side
  // when the server order cannot compare the two).
  Json got = Smp("v1", "Pod", R"({"spec":{"containers":[{"name":"a"},{"name":"b"}]}})",
                 R"({"spec":{"containers":[{"name":"n"}]}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"containers":[{"name":"n"},{"name":"a"},{"name":"b"}]}})"));
  // Patch elements in reverse server order keep the patch order, the
  // server-only one keeps its place relative to the first of them.
  got = Smp("v1", "Pod", R"({"spec":{"containers":[{"name":"1"},{"name":"2"},{"name":"3"}]}})",
            R"({"spec":{"containers":[{"name":"3","image":"x"},{"name":"1","image":"y"}]}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"containers":[{"name":"2"},{"name":"3","image":"x"},{"name":"1","image":"y"}]}})"));
  // $setElementOrder (what kubectl apply sends) wins for the elements it names.
  got = Smp("v1", "Pod", R"({"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}})",
            R"({"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"a"},{"name":"d"}],
                        "containers":[{"name":"d","image":"new"}]}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"containers":[{"name":"b"},{"name":"c"},{"name":"a"},{"name":"d","image":"new"}]}})"));
  // Merging primitive lists (finalizers) orders the same way.
  got = Smp("v1", "Pod", R"({"metadata":{"finalizers":["a","b"]}})", R"({"metadata":{"finalizers":["b","c"]}})");
  EXPECT_EQ(got, Json::parse(R"({"metadata":{"finalizers":["a","b","c"]}})"));
}

TEST(StrategicMerge, PatchDeleteAndReplaceDirectives) {
  Json got = Smp("v1", "Pod", R"({"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}})",
                 R"({"spec":{"containers":[{"name":"a","$patch":"delete"}]}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"containers":[{"name":"b","image":"y"}]}})"));
  got = Smp("v1", "Pod", R"({"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}})",
            R"({"spec":{"containers":[{"name":"c","image":"z"},{"$patch":"replace"}]}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"containers":[{"name":"c","image":"z"}]}})"));
  got = Smp("v1", "Pod", R"({"spec":{"nodeSelector":{"a":"1","b":"2"}}})",
            R"({"spec":{"nodeSelector":{"c":"3","$patch":"replace"}}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"nodeSelector":{"c":"3"}}})"));
  got = Smp("v1", "Pod", R"({"spec":{"affinity":{"nodeAffinity":{}},"hostname":"h"}})",
            R"({"spec":{"affinity":{"$patch":"delete"}}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"hostname":"h"}})"));
}

TEST(StrategicMerge, ListsWithoutMergeKeyAreReplaced) {
  Json got = Smp("v1", "Pod", R"({"spec":{"containers":[{"name":"a","args":["1","2"]}],"tolerations":[{"key":"k"}]}})",
                 R"({"spec":{"containers":[{"name":"a","args":["3"]}],"tolerations":[{"key":"j"}]}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"containers":[{"name":"a","args":["3"]}],"tolerations":[{"key":"j"}]}})"));
}

TEST(StrategicMerge, NullDeletesAndLabelsMerge) {
  Json got = Smp("apps/v1", "Deployment",
                 R"({"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"replicas":3,"paused":true}})",
                 R"({"metadata":{"labels":{"b":null,"c":"3"}},"spec":{"replicas":5,"paused":null}})");
  EXPECT_EQ(got, Json::parse(R"({"metadata":{"labels":{"a":"1","c":"3"}},"spec":{"replicas":5}})"));
}

TEST(StrategicMerge, RetainKeysOnDeploymentStrategy) {
  // kubectl apply switching RollingUpdate -> Recreate sends $retainKeys.
  Json got = Smp("apps/v1", "Deployment",
                 R"({"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}}}})",
                 R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"strategy":{"type":"Recreate"}}})"));
}

TEST(StrategicMerge, PrimitiveListDirectives) {
  Json got = Smp("v1", "Pod", R"({"metadata":{"finalizers":["a","b","c"]}})",
                 R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"finalizers":["d"]}})");
  EXPECT_EQ(got, Json::parse(R"({"metadata":{"finalizers":["d","a","c"]}})"));
}

TEST(StrategicMerge, SetElementOrder) {
  Json got = Smp("v1", "Pod",
                 R"({"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}})",
                 R"({"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"3"}]}})");
  EXPECT_EQ(got, Json::parse(R"({"spec":{"containers":[{"name":"b","image":"2"},{"name":"a","image":"3"}]}})"));
}

TEST(StrategicMerge, ServicePortsMergeByPortAndEnvByName) {
  Json got = Smp("v1", "Service", R"({"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}})",
                 R"({"spec":{"ports":[{"port":443,"targetPort":8443}]}})");
  EXPECT_EQ(got["spec"]["ports"][1], Json::parse(R"({"port":443,"name":"https","targetPort":8443})"));
  got = Smp("apps/v1", "Deployment",
            R"({"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"A","value":"1"}]}]}}}})",
            R"({"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"B","value":"2"}]}]}}}})");
  EXPECT_EQ(got["spec"]["template"]["spec"]["containers"][0]["env"].size(), 2u);
}

TEST(StrategicMerge, Errors) {
  const ResourceInfo* pod = FindKind("v1", "Pod");
  auto r = ApplyStrategicMergePatch(*pod, Json::object(),
                                    Json::parse(R"({"spec":{"containers":[{"image":"x"}]}})"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not contain declared merge key: name"), std::string::npos);
  r = ApplyStrategicMergePatch(*pod, Json::object(), Json::parse(R"({"spec":{"$patch":"frob"}})"));
  ASSERT_FALSE(r.ok());
  ResourceInfo custom;
  custom.group = "example.com";
  custom.version = "v1";
  custom.kind = "Widget";
  r = ApplyStrategicMergePatch(custom, Json::object(), Json::object());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnsupportedMedia);
}

}  // namespace
}  // namespace common::api
