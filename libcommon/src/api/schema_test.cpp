#include "schema.h"

#include <gtest/gtest.h>

#include "common/api/validation.h"

namespace common::api {
namespace {

TEST(Schema, EveryBuiltinResourceHasASchema) {
  for (const ResourceInfo& ri : BuiltinResources()) {
    if (ri.resource == "bindings" || ri.resource == "componentstatuses") continue;
    EXPECT_NE(schema::ForResource(ri), nullptr) << ri.gv().String() << " " << ri.kind;
  }
}

TEST(Schema, EveryReferencedTypeIsDefined) {
  for (const auto& [name, t] : schema::Types())
    for (const schema::Field& f : t.fields)
      if (!schema::IsPrimitive(f.type)) {
        EXPECT_NE(schema::Find(f.type), nullptr) << name << "." << f.name << " -> " << f.type;
      }
}

TEST(Schema, PatchMetadata) {
  const schema::TypeDef* spec = schema::Find("io.k8s.api.core.v1.PodSpec");
  ASSERT_NE(spec, nullptr);
  const schema::Field* c = spec->FindField("containers");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->patch_merge_key, "name");
  EXPECT_EQ(c->patch_strategy, "merge");
  EXPECT_TRUE(c->required);
  EXPECT_EQ(spec->FindField("volumes")->patch_strategy, "merge,retainKeys");
}

TEST(UnknownFields, ReportsPathsLikeStrictDecoding) {
  const ResourceInfo* pods = FindResource("", "v1", "pods");
  Json pod = Json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"b"},"bogus":1},
      "spec":{"containers":[{"name":"c","image":"x","imagePullPolice":"Always","resources":{"limits":{"cpu":"1"}}}],
      "volumes":[{"name":"v","emptyDir":{"medium":"Memory","sized":1}}]}})");
  EXPECT_EQ(UnknownFields(*pods, pod),
            (std::vector<std::string>{"metadata.bogus", "spec.containers[0].imagePullPolice",
                                      "spec.volumes[0].emptyDir.sized"}));
  const ResourceInfo* deploy = FindResource("apps", "v1", "deployments");
  Json d = Json::parse(R"({"spec":{"replica":3,"template":{"spec":{"containers":[{"name":"c","image":"x"}]}}}})");
  EXPECT_EQ(UnknownFields(*deploy, d), (std::vector<std::string>{"spec.replica"}));
  const ResourceInfo* crd = FindResource("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  Json c = Json::parse(R"({"spec":{"group":"x","versions":[{"name":"v1","served":true,"storage":true,
      "schema":{"openAPIV3Schema":{"type":"object","anything":{"goes":1},
        "properties":{"spec":{"typ":"string","items":{"type":"string","bogus":1},"additionalProperties":true,
                              "default":{"any":"thing"},"x-kubernetes-validations":[{"rule":"self.a > 0","mesage":"x"}]}}}},
      "subresources":{"status":{"extra":1}}}]}})");
  // A CRD's schema is typed (JSONSchemaProps), so typos in it are unknown
  // fields, as upstream's strict decoding reports them.
  EXPECT_EQ(UnknownFields(*crd, c),
            (std::vector<std::string>{
                "spec.versions[0].schema.openAPIV3Schema.anything",
                "spec.versions[0].schema.openAPIV3Schema.properties.spec.typ",
                "spec.versions[0].schema.openAPIV3Schema.properties.spec.items.bogus",
                "spec.versions[0].schema.openAPIV3Schema.properties.spec.x-kubernetes-validations[0].mesage",
                "spec.versions[0].subresources.status.extra"}));
}

}  // namespace
}  // namespace common::api
