#include "common/api/openapi.h"

#include <gtest/gtest.h>

#include <functional>

#include "openapi_internal.h"

namespace common::api {
namespace {

const Json kCrd = Json::parse(R"({
  "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
  "metadata": {"name": "crontabs.stable.example.com"},
  "spec": {"group": "stable.example.com", "scope": "Namespaced",
    "names": {"plural": "crontabs", "singular": "crontab", "kind": "CronTab", "listKind": "CronTabList"},
    "versions": [
      {"name": "v1", "served": true, "storage": true,
       "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"}},
       "schema": {"openAPIV3Schema": {"type": "object",
         "properties": {"spec": {"type": "object", "required": ["cronSpec", "image"],
           "properties": {"cronSpec": {"type": "string"}, "image": {"type": "string", "nullable": true},
                          "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                                    "properties": {"a": {"type": "string"}}},
                          "port": {"x-kubernetes-int-or-string": true,
                                   "anyOf": [{"type": "integer"}, {"type": "string"}]}}}}}}},
      {"name": "v1beta1", "served": false, "storage": false}]}})");

Json Parse(const std::string& s) { return Json::parse(s); }

// Every "$ref" in `doc` names a definition the document has.
void ExpectRefsResolve(const Json& doc, const std::string& prefix, const Json& defs) {
  std::function<void(const Json&)> walk = [&](const Json& v) {
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (it.key() == "properties" && it.value().is_object()) {
          // Property names are data (JSONSchemaProps has one named "$ref").
          for (const Json& p : it.value()) walk(p);
        } else if (it.key() == "$ref") {
          std::string ref = it.value().get<std::string>();
          ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
          EXPECT_TRUE(defs.contains(ref.substr(prefix.size()))) << ref;
        } else {
          walk(it.value());
        }
      }
    } else if (v.is_array()) {
      for (const Json& e : v) walk(e);
    }
  };
  walk(doc);
}

const Json* FindParam(const Json& op, const std::string& name) {
  for (const Json& p : op["parameters"])
    if (p["name"] == name) return &p;
  return nullptr;
}

TEST(OpenApiV3, CoreDocumentHasPatchOperationsWithFieldValidation) {
  Json doc = Parse(OpenApiV3("api/v1", BuiltinResources(), {}));
  EXPECT_EQ(doc["openapi"], "3.0.0");
  const Json& item = doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}"];
  ASSERT_TRUE(item.is_object());
  const Json& patch = item["patch"];
  EXPECT_EQ(patch["operationId"], "patchCoreV1NamespacedPod");
  EXPECT_EQ(patch["x-kubernetes-action"], "patch");
  EXPECT_EQ(patch["x-kubernetes-group-version-kind"],
            Parse(R"({"group":"","version":"v1","kind":"Pod"})"));
  // kubectl's query-param verifier reads the operation's own parameters.
  ASSERT_NE(FindParam(patch, "fieldValidation"), nullptr);
  EXPECT_EQ((*FindParam(patch, "fieldValidation"))["in"], "query");
  EXPECT_TRUE(patch["requestBody"]["content"].contains("application/strategic-merge-patch+json"));
  EXPECT_EQ(patch["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/io.k8s.api.core.v1.Pod");
  // Path-level parameters: name, namespace, pretty.
  ASSERT_EQ(item["parameters"].size(), 3u);
  EXPECT_EQ(item["parameters"][0]["name"], "name");
  EXPECT_EQ(item["parameters"][0]["in"], "path");
  EXPECT_EQ(item["parameters"][0]["required"], true);
  EXPECT_EQ(item["parameters"][1]["name"], "namespace");

  const Json& coll = doc["paths"]["/api/v1/namespaces/{namespace}/pods"];
  EXPECT_EQ(coll["get"]["operationId"], "listCoreV1NamespacedPod");
  EXPECT_EQ(coll["get"]["x-kubernetes-action"], "list");
  EXPECT_EQ(coll["post"]["operationId"], "createCoreV1NamespacedPod");
  EXPECT_EQ(coll["delete"]["operationId"], "deleteCoreV1CollectionNamespacedPod");
  EXPECT_EQ(doc["paths"]["/api/v1/pods"]["get"]["operationId"], "listCoreV1PodForAllNamespaces");
  EXPECT_EQ(doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/status"]["patch"]["operationId"],
            "patchCoreV1NamespacedPodStatus");
  const Json& eviction = doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/eviction"]["post"];
  EXPECT_EQ(eviction["operationId"], "createCoreV1NamespacedPodEviction");
  EXPECT_EQ(eviction["x-kubernetes-group-version-kind"]["group"], "policy");
  EXPECT_EQ(doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/log"]["get"]["operationId"],
            "readCoreV1NamespacedPodLog");
  EXPECT_EQ(doc["paths"]["/api/v1/namespaces/{namespace}/pods/{name}/exec"]["post"]["operationId"],
            "connectCoreV1PostNamespacedPodExec");
  // Cluster-scoped: no namespace, no ForAllNamespaces list.
  EXPECT_EQ(doc["paths"]["/api/v1/nodes/{name}"]["get"]["operationId"], "readCoreV1Node");
  EXPECT_EQ(doc["paths"]["/api/v1/nodes/{name}"]["parameters"].size(), 2u);
  // Namespaces have no deletecollection.
  EXPECT_FALSE(doc["paths"]["/api/v1/namespaces"].contains("delete"));
  EXPECT_EQ(doc["paths"]["/api/v1/namespaces/{name}/finalize"]["put"]["operationId"],
            "replaceCoreV1NamespaceFinalize");
  // Create-only bindings: a POST and nothing else.
  const Json& bindings = doc["paths"]["/api/v1/namespaces/{namespace}/bindings"];
  EXPECT_TRUE(bindings.contains("post"));
  EXPECT_FALSE(bindings.contains("get"));
  EXPECT_FALSE(doc["paths"].contains("/api/v1/namespaces/{namespace}/bindings/{name}"));
  EXPECT_EQ(doc["paths"]["/api/v1/"]["get"]["operationId"], "getCoreV1APIResources");

  const Json& schemas = doc["components"]["schemas"];
  ExpectRefsResolve(doc, "#/components/schemas/", schemas);
  // Other groups' documents are not mixed in, but what core refers to is.
  EXPECT_FALSE(schemas.contains("io.k8s.api.apps.v1.Deployment"));
  EXPECT_TRUE(schemas.contains("io.k8s.api.policy.v1.Eviction"));
  EXPECT_TRUE(schemas.contains("io.k8s.apimachinery.pkg.apis.meta.v1.Status"));
}

TEST(OpenApiV3, DefinitionsCarryPatchAndListMetadata) {
  Json doc = Parse(OpenApiV3("api/v1", BuiltinResources(), {}));
  const Json& schemas = doc["components"]["schemas"];
  const Json& pod = schemas["io.k8s.api.core.v1.Pod"];
  EXPECT_EQ(pod["type"], "object");
  EXPECT_EQ(pod["x-kubernetes-group-version-kind"],
            Parse(R"([{"group":"","kind":"Pod","version":"v1"}])"));
  EXPECT_EQ(pod["properties"]["spec"]["allOf"][0]["$ref"],
            "#/components/schemas/io.k8s.api.core.v1.PodSpec");
  EXPECT_EQ(pod["properties"]["kind"]["type"], "string");
  const Json& containers = schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
  EXPECT_EQ(containers["type"], "array");
  EXPECT_EQ(containers["items"]["$ref"], "#/components/schemas/io.k8s.api.core.v1.Container");
  EXPECT_EQ(containers["x-kubernetes-patch-merge-key"], "name");
  EXPECT_EQ(containers["x-kubernetes-patch-strategy"], "merge");
  EXPECT_EQ(containers["x-kubernetes-list-type"], "map");
  EXPECT_EQ(containers["x-kubernetes-list-map-keys"], Parse(R"(["name"])"));
  EXPECT_EQ(schemas["io.k8s.api.core.v1.PodSpec"]["required"], Parse(R"(["containers"])"));
  EXPECT_EQ(schemas["io.k8s.api.core.v1.PodSpec"]["properties"]["nodeSelector"]["additionalProperties"]["type"],
            "string");
  EXPECT_EQ(schemas["io.k8s.api.core.v1.Container"]["properties"]["imagePullPolicy"]["enum"],
            Parse(R"(["Always","IfNotPresent","Never"])"));
  // Scalars as kube-openapi writes them in v3.
  EXPECT_EQ(schemas["io.k8s.apimachinery.pkg.api.resource.Quantity"]["oneOf"],
            Parse(R"([{"type":"string"},{"type":"number"}])"));
  EXPECT_EQ(schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]["format"], "int-or-string");
  EXPECT_EQ(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]["format"], "date-time");
  const Json& list = schemas["io.k8s.api.core.v1.PodList"];
  EXPECT_EQ(list["required"], Parse(R"(["items"])"));
  EXPECT_EQ(list["properties"]["items"]["items"]["$ref"], "#/components/schemas/io.k8s.api.core.v1.Pod");
  EXPECT_EQ(list["x-kubernetes-group-version-kind"][0]["kind"], "PodList");
}

TEST(OpenApiV3, GroupDocumentsAndSubresourceKinds) {
  Json apps = Parse(OpenApiV3("apis/apps/v1", BuiltinResources(), {}));
  const Json& scale = apps["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
  EXPECT_EQ(scale["patch"]["operationId"], "patchAppsV1NamespacedDeploymentScale");
  EXPECT_EQ(scale["patch"]["x-kubernetes-group-version-kind"],
            Parse(R"({"group":"autoscaling","version":"v1","kind":"Scale"})"));
  EXPECT_TRUE(apps["components"]["schemas"].contains("io.k8s.api.autoscaling.v1.Scale"));
  ExpectRefsResolve(apps, "#/components/schemas/", apps["components"]["schemas"]);

  Json rbac = Parse(OpenApiV3("apis/rbac.authorization.k8s.io/v1", BuiltinResources(), {}));
  EXPECT_EQ(rbac["paths"]["/apis/rbac.authorization.k8s.io/v1/clusterroles"]["get"]["operationId"],
            "listRbacAuthorizationV1ClusterRole");
  EXPECT_EQ(rbac["paths"]["/apis/rbac.authorization.k8s.io/v1/clusterroles"]["get"]["tags"][0],
            "rbacAuthorization_v1");
  // Both served HPA versions have their own document.
  Json v1 = Parse(OpenApiV3("apis/autoscaling/v1", BuiltinResources(), {}));
  Json v2 = Parse(OpenApiV3("apis/autoscaling/v2", BuiltinResources(), {}));
  EXPECT_TRUE(v1["components"]["schemas"].contains("io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler"));
  EXPECT_TRUE(v2["components"]["schemas"].contains("io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler"));
  for (const GroupVersion& gv : BuiltinGroupVersions()) {
    std::string path = gv.group.empty() ? "api/" + gv.version : "apis/" + gv.String();
    std::string text = OpenApiV3(path, BuiltinResources(), {});
    ASSERT_FALSE(text.empty()) << path;
    Json doc = Parse(text);
    ExpectRefsResolve(doc, "#/components/schemas/", doc["components"]["schemas"]);
  }
}

TEST(OpenApiV3, UnknownPathsHaveNoDocument) {
  EXPECT_EQ(OpenApiV3("apis/nosuch.example.com/v1", BuiltinResources(), {}), "");
  EXPECT_EQ(OpenApiV3("api/v2", BuiltinResources(), {}), "");
  EXPECT_EQ(OpenApiV3("apis/apps", BuiltinResources(), {}), "");
  EXPECT_EQ(OpenApiV3("", BuiltinResources(), {}), "");
  EXPECT_EQ(OpenApiV3("apis/apps/v1/extra", BuiltinResources(), {}), "");
}

TEST(OpenApiV3, IndexNamesEachDocumentByItsHash) {
  Json index = OpenApiV3Index(BuiltinGroupVersions(), {kCrd});
  const Json& paths = index["paths"];
  ASSERT_TRUE(paths.contains("api/v1"));
  ASSERT_TRUE(paths.contains("apis/apps/v1"));
  ASSERT_TRUE(paths.contains("apis/stable.example.com/v1"));
  EXPECT_FALSE(paths.contains("apis/stable.example.com/v1beta1"));  // not served
  std::string doc = OpenApiV3("api/v1", BuiltinResources(), {kCrd});
  EXPECT_EQ(paths["api/v1"]["serverRelativeURL"], "/openapi/v3/api/v1?hash=" + OpenApiHash(doc));
  EXPECT_EQ(OpenApiHash(doc).size(), 128u);
  EXPECT_EQ(OpenApiHash("abc").substr(0, 16), "DDAF35A193617ABA");  // SHA-512("abc")
}

TEST(OpenApiV3, CustomResourceDocument) {
  std::string text = OpenApiV3("apis/stable.example.com/v1", BuiltinResources(), {kCrd});
  ASSERT_FALSE(text.empty());
  Json doc = Parse(text);
  const Json& schemas = doc["components"]["schemas"];
  ExpectRefsResolve(doc, "#/components/schemas/", schemas);
  const Json& ct = schemas["com.example.stable.v1.CronTab"];
  EXPECT_EQ(ct["x-kubernetes-group-version-kind"],
            Parse(R"([{"group":"stable.example.com","kind":"CronTab","version":"v1"}])"));
  EXPECT_EQ(ct["properties"]["metadata"]["allOf"][0]["$ref"],
            "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  EXPECT_EQ(ct["properties"]["apiVersion"]["type"], "string");
  // v3 keeps what the CRD says.
  EXPECT_EQ(ct["properties"]["spec"]["properties"]["image"]["nullable"], true);
  EXPECT_TRUE(ct["properties"]["spec"]["properties"]["port"].contains("anyOf"));
  EXPECT_EQ(schemas["com.example.stable.v1.CronTabList"]["x-kubernetes-group-version-kind"][0]["kind"],
            "CronTabList");
  const Json& item = doc["paths"]["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"];
  EXPECT_EQ(item["patch"]["operationId"], "patchStableExampleComV1NamespacedCronTab");
  ASSERT_NE(FindParam(item["patch"], "fieldValidation"), nullptr);
  EXPECT_TRUE(doc["paths"].contains(
      "/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status"));
  EXPECT_EQ(doc["paths"]["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale"]
                ["get"]["x-kubernetes-group-version-kind"]["kind"],
            "Scale");
  // A CRD in a new version gets a new document (nothing stale is memoized).
  Json changed = kCrd;
  changed["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["description"] = "changed";
  Json doc2 = Parse(OpenApiV3("apis/stable.example.com/v1", BuiltinResources(), {changed}));
  EXPECT_EQ(doc2["components"]["schemas"]["com.example.stable.v1.CronTab"]["description"], "changed");
}

TEST(OpenApiV2, SwaggerDocument) {
  Json doc = Parse(OpenApiV2(BuiltinResources(), {kCrd}));
  EXPECT_EQ(doc["swagger"], "2.0");
  const Json& defs = doc["definitions"];
  ExpectRefsResolve(doc, "#/definitions/", defs);
  // v2 puts the reference beside the description.
  EXPECT_EQ(defs["io.k8s.api.core.v1.Pod"]["properties"]["spec"]["$ref"],
            "#/definitions/io.k8s.api.core.v1.PodSpec");
  EXPECT_EQ(defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"],
            Parse(R"({"description":"IntOrString is a type that can hold an int32 or a string.","type":"string","format":"int-or-string"})"));
  const Json& patch = doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
  EXPECT_EQ(patch["parameters"][0]["in"], "body");
  ASSERT_NE(FindParam(patch, "fieldValidation"), nullptr);
  EXPECT_EQ((*FindParam(patch, "fieldValidation"))["type"], "string");
  // CRD definitions lose what Swagger 2.0 cannot express (ToStructuralOpenAPIV2).
  const Json& spec = defs["com.example.stable.v1.CronTab"]["properties"]["spec"];
  EXPECT_EQ(spec["required"], Parse(R"(["cronSpec"])"));  // image is nullable
  EXPECT_FALSE(spec["properties"]["image"].contains("type"));
  EXPECT_FALSE(spec["properties"]["port"].contains("anyOf"));
  EXPECT_FALSE(spec["properties"]["extra"].contains("properties"));
  EXPECT_FALSE(spec["properties"]["extra"].contains("type"));
}

TEST(OpenApiV2, ProtobufEncodesTheDocument) {
  std::string pb = OpenApiV2Protobuf(BuiltinResources(), {});
  // Document{swagger = 1: "2.0", info = 2: {title = 1: "Kubernetes", ...}}.
  ASSERT_GT(pb.size(), 1000u);
  EXPECT_EQ(pb.substr(0, 5), std::string("\x0a\x03" "2.0", 5));
  EXPECT_EQ(pb[5], '\x12');
  EXPECT_NE(pb.find("io.k8s.api.core.v1.Pod"), std::string::npos);
  // Vendor extensions carry their YAML (JSON) text.
  EXPECT_NE(pb.find("[{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}]\n"), std::string::npos);
}

TEST(OpenApiNames, OperationGroupsAndTags) {
  EXPECT_EQ(openapi::OperationGroup("", "v1"), "CoreV1");
  EXPECT_EQ(openapi::OperationGroup("apps", "v1"), "AppsV1");
  EXPECT_EQ(openapi::OperationGroup("rbac.authorization.k8s.io", "v1"), "RbacAuthorizationV1");
  EXPECT_EQ(openapi::OperationGroup("flowcontrol.apiserver.k8s.io", "v1"), "FlowcontrolApiserverV1");
  EXPECT_EQ(openapi::OperationGroup("apiextensions.k8s.io", "v1"), "ApiextensionsV1");
  EXPECT_EQ(openapi::OperationGroup("autoscaling", "v2"), "AutoscalingV2");
  EXPECT_EQ(openapi::Tag("", "v1"), "core_v1");
  EXPECT_EQ(openapi::Tag("rbac.authorization.k8s.io", "v1"), "rbacAuthorization_v1");
  EXPECT_EQ(openapi::Tag("apps", "v1"), "apps_v1");
}

}  // namespace
}  // namespace common::api
