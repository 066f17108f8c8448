#include <gtest/gtest.h>

#include "common/api/custom.h"
#include "common/api/defaults.h"

namespace common::api {
namespace {

Json Decoded(const char* api_version, const char* kind, const char* text) {
  const ResourceInfo* ri = FindKind(api_version, kind);
  Json obj = Json::parse(text);
  DropNulls(*ri, obj);
  return obj;
}

TEST(DropNulls, NullMembersAreDroppedAndThenDefaulted) {
  Json d = Decoded("apps/v1", "Deployment", R"({"metadata":{"name":"d","labels":null,"annotations":{"a":null}},
      "spec":{"replicas":null,"paused":null,"selector":{"matchLabels":{"app":"a"}},
      "template":{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"c","image":"x","args":["a",null],
      "resources":{"limits":{"cpu":null}},"env":null}],"volumes":[null]}}}})");
  EXPECT_FALSE(d["metadata"].contains("labels"));
  EXPECT_EQ(d["metadata"]["annotations"]["a"], "");  // map[string]string element: ""
  EXPECT_FALSE(d["spec"].contains("replicas"));
  EXPECT_FALSE(d["spec"].contains("paused"));
  const Json& c = d["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(c["args"], Json::parse(R"(["a",""])"));
  EXPECT_EQ(c["resources"]["limits"]["cpu"], "0");  // a zero Quantity
  EXPECT_FALSE(c.contains("env"));
  EXPECT_EQ(d["spec"]["template"]["spec"]["volumes"][0], Json::object());
  ApplyDefaults(*FindKind("apps/v1", "Deployment"), d);
  EXPECT_EQ(d["spec"]["replicas"], 1);
}

TEST(DropNulls, FreeFormJsonKeepsItsNulls) {
  Json crd = Decoded("apiextensions.k8s.io/v1", "CustomResourceDefinition",
                     R"({"metadata":{"name":"a.b.c","finalizers":null},"spec":{"group":"b.c","versions":[{"name":"v1",
      "schema":{"openAPIV3Schema":{"type":"object","description":null,"properties":{"x":{"type":"object","nullable":true,
      "default":{"k":null},"enum":[null,{"k":1}]}}}}}]}})");
  EXPECT_FALSE(crd["metadata"].contains("finalizers"));
  const Json& s = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
  EXPECT_FALSE(s.contains("description"));
  EXPECT_EQ(s["properties"]["x"]["default"], Json::parse(R"({"k":null})"));
  EXPECT_EQ(s["properties"]["x"]["enum"], Json::parse(R"([null,{"k":1}])"));
}

TEST(DropNulls, CustomResourcesDropNonNullableNulls) {
  Json version = Json::parse(R"({"name":"v1","schema":{"openAPIV3Schema":{"type":"object","properties":{
      "spec":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string","nullable":true},
      "c":{"type":"integer","default":3},"m":{"type":"object","additionalProperties":{"type":"string"}},
      "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}}})");
  Json obj = Json::parse(R"({"apiVersion":"x/v1","kind":"X","metadata":{"name":"n","labels":null},
      "spec":{"a":null,"b":null,"c":null,"m":{"k":null},"free":{"z":null}}})");
  PruneCustom(version, obj);
  ApplyCustomDefaults(version, obj);
  EXPECT_FALSE(obj["metadata"].contains("labels"));
  const Json& spec = obj["spec"];
  EXPECT_FALSE(spec.contains("a"));
  EXPECT_TRUE(spec.contains("b") && spec["b"].is_null());
  EXPECT_EQ(spec["c"], 3);
  EXPECT_FALSE(spec["m"].contains("k"));
  EXPECT_TRUE(spec["free"].contains("z"));
}

}  // namespace
}  // namespace common::api
