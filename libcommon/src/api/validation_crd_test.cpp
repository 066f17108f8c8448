#include <gtest/gtest.h>

#include "common/api/validation.h"

namespace common::api {
namespace {

Json J(const char* s) { return Json::parse(s); }

Json Crd() {
  return J(R"({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "crontabs.stable.example.com"},
    "spec": {"group": "stable.example.com", "scope": "Namespaced",
      "names": {"plural": "crontabs", "singular": "crontab", "kind": "CronTab", "listKind": "CronTabList",
                "shortNames": ["ct"]},
      "conversion": {"strategy": "None"},
      "versions": [{"name": "v1", "served": true, "storage": true,
        "schema": {"openAPIV3Schema": {"type": "object", "properties": {
          "spec": {"type": "object", "properties": {
            "cronSpec": {"type": "string"},
            "replicas": {"type": "integer", "default": 1, "minimum": 0},
            "port": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
            "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                      "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}},
            "raw": {"type": "object", "x-kubernetes-embedded-resource": true,
                    "x-kubernetes-preserve-unknown-fields": true}}},
          "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}},
        "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas",
                                                 "statusReplicasPath": ".status.replicas"}},
        "additionalPrinterColumns": [{"name": "Spec", "type": "string", "jsonPath": ".spec.cronSpec"}]}]}})");
}

std::vector<std::string> Errors(const Json& crd, const Json* old = nullptr) {
  const ResourceInfo* ri = FindResource("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  std::vector<std::string> out;
  for (const FieldError& e : Validate(*ri, crd, old)) out.push_back(e.ToString());
  return out;
}

const char* kSchema = "spec.versions[0].schema.openAPIV3Schema";

TEST(ValidateCrd, ValidDefinition) {
  EXPECT_TRUE(Errors(Crd()).empty()) << ::testing::PrintToString(Errors(Crd()));
}

TEST(ValidateCrd, NamesGroupScopeVersions) {
  Json c = Crd();
  c["metadata"]["name"] = "crontab.stable.example.com";
  EXPECT_EQ(Errors(c), std::vector<std::string>{
                           "metadata.name: Invalid value: \"crontab.stable.example.com\": must be "
                           "spec.names.plural+\".\"+spec.group"});
  c = Crd();
  c["metadata"]["name"] = "crontabs.example";
  c["spec"]["group"] = "example";
  c["spec"]["scope"] = "Global";
  c["spec"]["names"]["kind"] = "Cron_Tab";
  c["spec"]["names"]["listKind"] = "Cron_Tab";
  c["spec"]["versions"][0]["storage"] = false;
  std::vector<std::string> errs = Errors(c);
  EXPECT_EQ(errs, (std::vector<std::string>{
                      "spec.group: Invalid value: \"example\": should be a domain with at least one dot",
                      "spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"",
                      "spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: "
                      "must have exactly one version marked as storage version",
                      "spec.names.kind: Invalid value: \"Cron_Tab\": may have mixed case, but should "
                      "otherwise match: a DNS-1035 label must consist of lower case alphanumeric "
                      "characters or '-', start with an alphabetic character, and end with an "
                      "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
                      "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
                      "spec.names.listKind: Invalid value: \"Cron_Tab\": may have mixed case, but should "
                      "otherwise match: a DNS-1035 label must consist of lower case alphanumeric "
                      "characters or '-', start with an alphabetic character, and end with an "
                      "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
                      "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
                      "spec.names.listKind: Invalid value: \"Cron_Tab\": kind and listKind may not be the same"}));
  c = Crd();
  c["spec"]["versions"].push_back(c["spec"]["versions"][0]);
  c["spec"]["versions"][1]["storage"] = false;
  errs = Errors(c);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("must contain unique version names"), std::string::npos);
  c = Crd();
  c["spec"]["versions"][0].erase("schema");
  EXPECT_EQ(Errors(c), std::vector<std::string>{std::string(kSchema) + ": Required value: schemas are required"});
}

TEST(ValidateCrd, StructuralSchemaRules) {
  Json c = Crd();
  Json& props = c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"];
  props["untyped"] = J(R"({"properties": {"a": {"type": "string"}}})");
  props["list"] = J(R"({"type": "array", "items": {"properties": {}}})");
  props["both"] = J(R"({"type": "object", "properties": {"a": {"type": "string"}},
                        "additionalProperties": {"type": "string"}})");
  props["uniq"] = J(R"({"type": "array", "uniqueItems": true, "items": {"type": "string"}})");
  props["ref"] = J(R"({"$ref": "#/definitions/x", "type": "string"})");
  props["maplist"] = J(R"({"type": "array", "x-kubernetes-list-type": "map", "items": {"type": "object"}})");
  props["badDefault"] = J(R"({"type": "integer", "default": "one"})");
  props["metadata"] = J(R"({"type": "object", "properties": {"labels": {"type": "object"}}})");
  std::string s = kSchema;
  EXPECT_EQ(Errors(c), (std::vector<std::string>{
      s + ".properties[list].items.type: Required value: must not be empty for specified array items",
      s + ".properties[metadata]: Forbidden: must not specify anything other than name and "
          "generateName, but metadata is implicitly specified",
      s + ".properties[untyped].type: Required value: must not be empty for specified object fields",
      s + ".properties[both].additionalProperties: Forbidden: additionalProperties and properties "
          "are mutual exclusive",
      s + ".properties[maplist].x-kubernetes-list-map-keys: Required value: must not be empty if "
          "x-kubernetes-list-type is \"map\"",
      s + ".properties[ref].$ref: Forbidden: $ref is not supported",
      s + ".properties[uniq].uniqueItems: Forbidden: uniqueItems cannot be set to true since the "
          "runtime complexity becomes quadratic",
      s + ".properties[badDefault].default: Invalid value: \"string\": badDefault in body must be "
          "of type integer: \"string\""}));
  c = Crd();
  c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["type"] = "string";
  EXPECT_EQ(Errors(c), std::vector<std::string>{
                           s + ".type: Invalid value: \"string\": must be object at the root"});
}

TEST(ValidateCrd, ColumnsScaleAndConversion) {
  Json c = Crd();
  Json& v = c["spec"]["versions"][0];
  v["additionalPrinterColumns"] = J(R"([{"name": "A", "type": "money", "jsonPath": ".spec.a"},
                                        {"type": "string", "jsonPath": ".spec[", "format": "weird"}])");
  v["subresources"]["scale"] = J(R"({"specReplicasPath": ".status.replicas", "statusReplicasPath": ""})");
  c["spec"]["conversion"] = J(R"({"strategy": "Webhook"})");
  std::vector<std::string> errs = Errors(c);
  std::vector<std::string> want = {
      "spec.versions[0].subresources.scale.specReplicasPath: Invalid value: \".status.replicas\": "
      "should be a json path under .spec",
      "spec.versions[0].subresources.scale.statusReplicasPath: Required value",
      "spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: \"money\": supported "
      "values: \"array\", \"boolean\", \"date\", \"integer\", \"number\", \"object\", \"string\"",
      "spec.versions[0].additionalPrinterColumns[1].name: Required value",
      "spec.versions[0].additionalPrinterColumns[1].format: Unsupported value: \"weird\": supported "
      "values: \"int32\", \"int64\", \"float\", \"double\", \"byte\", \"date\", \"date-time\", \"password\"",
      "spec.conversion.webhook.clientConfig: Required value: required when strategy is set to Webhook",
      "spec.conversion.webhook.conversionReviewVersions: Required value: must include at least one of "
      "v1, v1beta1"};
  ASSERT_GE(errs.size(), want.size() + 1) << ::testing::PrintToString(errs);
  for (const std::string& w : want)
    EXPECT_NE(std::find(errs.begin(), errs.end(), w), errs.end()) << w << "\n" << ::testing::PrintToString(errs);
  bool json_path_error = false;
  for (const std::string& e : errs)
    json_path_error = json_path_error || e.rfind("spec.versions[0].additionalPrinterColumns[1].jsonPath: Invalid value: \".spec[\"", 0) == 0;
  EXPECT_TRUE(json_path_error) << ::testing::PrintToString(errs);
}

TEST(ValidateCrd, UpdateKeepsGroupPluralAndEstablishedKind) {
  Json old = Crd();
  old["status"] = J(R"({"conditions": [{"type": "Established", "status": "True"}],
                        "storedVersions": ["v1"], "acceptedNames": {"plural": "crontabs", "kind": "CronTab"}})");
  Json c = old;
  c["spec"]["scope"] = "Cluster";
  c["spec"]["names"]["kind"] = "Other";
  c["spec"]["names"]["listKind"] = "OtherList";
  EXPECT_EQ(Errors(c, &old), (std::vector<std::string>{
                                 "spec.scope: Invalid value: \"Cluster\": field is immutable",
                                 "spec.names.kind: Invalid value: \"Other\": field is immutable"}));
  c = old;
  c["spec"]["versions"][0]["name"] = "v2";
  EXPECT_EQ(Errors(c, &old), std::vector<std::string>{
                                 "status.storedVersions[0]: Invalid value: \"v1\": must appear in spec.versions"});
  // Not established yet: the kind may still change.
  old["status"]["conditions"] = Json::array();
  c = old;
  c["spec"]["names"]["kind"] = "Other";
  c["spec"]["names"]["listKind"] = "OtherList";
  EXPECT_TRUE(Errors(c, &old).empty()) << ::testing::PrintToString(Errors(c, &old));
}

}  // namespace
}  // namespace common::api
