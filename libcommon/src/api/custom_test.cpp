#include "common/api/custom.h"

#include <gtest/gtest.h>

#include "common/api/tables.h"
#include "common/timeutil.h"
#include "crd_internal.h"
#include "jsonpath.h"

namespace common::api {
namespace {

Json J(const char* s) { return Json::parse(s); }

// A CRD version in the shape of upstream's examples (CronTab), with one of
// each kind of schema rule.
const Json kVersion = J(R"({
  "name": "v1", "served": true, "storage": true,
  "subresources": {"status": {}},
  "schema": {"openAPIV3Schema": {"type": "object", "properties": {
    "spec": {"type": "object", "required": ["cronSpec"], "properties": {
      "cronSpec": {"type": "string", "pattern": "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$"},
      "image": {"type": "string", "maxLength": 5, "minLength": 2},
      "replicas": {"type": "integer", "minimum": 1, "maximum": 10, "default": 1},
      "ratio": {"type": "number", "maximum": 1, "exclusiveMaximum": true, "multipleOf": 0.25},
      "mode": {"type": "string", "enum": ["a", "b"], "default": "a"},
      "ip": {"type": "string", "format": "ipv4"},
      "when": {"type": "string", "format": "date-time"},
      "note": {"type": "string", "nullable": true},
      "port": {"x-kubernetes-int-or-string": true},
      "list": {"type": "array", "maxItems": 2, "minItems": 1, "items": {"type": "string"}},
      "set": {"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}},
      "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                "items": {"type": "object", "properties": {"name": {"type": "string"},
                                                           "port": {"type": "integer", "default": 80}}}},
      "labels": {"type": "object", "additionalProperties": {"type": "object",
                 "properties": {"v": {"type": "string"}}}},
      "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
      "template": {"type": "object", "x-kubernetes-embedded-resource": true,
                   "x-kubernetes-preserve-unknown-fields": true},
      "nested": {"type": "object", "default": {}, "properties": {
        "level": {"type": "string", "default": "info"}}}}},
    "status": {"type": "object", "properties": {"replicas": {"type": "integer"}}}}}},
  "additionalPrinterColumns": [
    {"name": "Spec", "type": "string", "jsonPath": ".spec.cronSpec", "description": "the schedule"},
    {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
    {"name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status"},
    {"name": "Labels", "type": "string", "jsonPath": ".spec.labels", "priority": 1},
    {"name": "Started", "type": "date", "jsonPath": ".status.started"}]})");

const Json kCrd = J(R"({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
  "metadata": {"name": "crontabs.stable.example.com"},
  "spec": {"group": "stable.example.com", "scope": "Namespaced",
    "names": {"plural": "crontabs", "singular": "crontab", "kind": "CronTab", "listKind": "CronTabList"},
    "versions": []}})");

ResourceInfo CronTabs() {
  Json crd = kCrd;
  crd["spec"]["versions"] = Json::array({kVersion});
  std::vector<crd::Version> vs = crd::ServedVersions(crd);
  return vs.at(0).info;
}

Json Obj(const char* spec) {
  Json o = J(R"({"apiVersion": "stable.example.com/v1", "kind": "CronTab",
                 "metadata": {"name": "x", "namespace": "default"}})");
  o["spec"] = J(spec);
  return o;
}

std::vector<std::string> Errors(const Json& obj, const Json* old = nullptr) {
  std::vector<std::string> out;
  for (const FieldError& e : ValidateCustom(CronTabs(), kVersion, obj, old)) out.push_back(e.ToString());
  return out;
}

TEST(CustomUnknownFields, PathsLikeStrictDecoding) {
  Json o = Obj(R"({"cronSpec": "* * * * *", "bogus": 1, "ports": [{"name": "a"}, {"name": "b", "x": 1}],
                   "labels": {"k": {"v": "1", "w": 2}}, "free": {"anything": {"goes": 1}},
                   "template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "junk": 1}, "spec": {}}})");
  o["extra"] = 1;
  o["metadata"]["bogus"] = true;
  EXPECT_EQ(CustomUnknownFields(kVersion, o),
            (std::vector<std::string>{"metadata.bogus", "spec.bogus", "spec.ports[1].x", "spec.labels.k.w",
                                      "spec.template.metadata.junk", "extra"}));
  PruneCustom(kVersion, o);
  EXPECT_FALSE(o.contains("extra"));
  EXPECT_FALSE(o["metadata"].contains("bogus"));
  EXPECT_FALSE(o["spec"].contains("bogus"));
  EXPECT_FALSE(o["spec"]["ports"][1].contains("x"));
  EXPECT_EQ(o["spec"]["labels"]["k"], J(R"({"v": "1"})"));
  EXPECT_EQ(o["spec"]["free"], J(R"({"anything": {"goes": 1}})"));
  EXPECT_EQ(o["spec"]["template"]["metadata"], J(R"({"name": "p"})"));
  EXPECT_EQ(o["spec"]["template"]["kind"], "Pod");
  EXPECT_TRUE(CustomUnknownFields(kVersion, o).empty());
}

TEST(CustomUnknownFields, EmptyObjectSchemaPrunesEverything) {
  Json v = J(R"({"name": "v1", "schema": {"openAPIV3Schema": {"type": "object",
                 "properties": {"spec": {"type": "object"}}}}})");
  Json o = J(R"({"apiVersion": "a/v1", "kind": "K", "metadata": {"name": "x"}, "spec": {"a": 1}})");
  EXPECT_EQ(CustomUnknownFields(v, o), std::vector<std::string>{"spec.a"});
  // No schema: nothing is known to be unknown.
  EXPECT_TRUE(CustomUnknownFields(J(R"({"name": "v1"})"), o).empty());
}

TEST(CustomDefaults, FillsAbsentAndNonNullableNulls) {
  Json o = Obj(R"({"cronSpec": "* * * * *", "mode": null, "note": null, "ports": [{"name": "a"}, {"name": "b", "port": 81}]})");
  ApplyCustomDefaults(kVersion, o);
  EXPECT_EQ(o["spec"]["replicas"], 1);
  EXPECT_EQ(o["spec"]["mode"], "a");
  EXPECT_TRUE(o["spec"]["note"].is_null());  // nullable: kept
  EXPECT_EQ(o["spec"]["ports"][0]["port"], 80);
  EXPECT_EQ(o["spec"]["ports"][1]["port"], 81);
  // A defaulted object gets its own properties' defaults.
  EXPECT_EQ(o["spec"]["nested"], J(R"({"level": "info"})"));
  EXPECT_FALSE(o.contains("status"));
}

TEST(CustomValidation, UpstreamTexts) {
  Json ok = Obj(R"({"cronSpec": "*/5 * * * *", "replicas": 3, "port": "http", "list": ["a"]})");
  EXPECT_TRUE(Errors(ok).empty()) << ::testing::PrintToString(Errors(ok));

  EXPECT_EQ(Errors(Obj(R"({"cronSpec": "* * * * *", "replicas": "three"})")),
            std::vector<std::string>{"spec.replicas: Invalid value: \"string\": spec.replicas in body "
                                     "must be of type integer: \"string\""});
  EXPECT_EQ(Errors(Obj(R"({"image": "nginx"})")),
            std::vector<std::string>{"spec.cronSpec: Required value"});
  EXPECT_EQ(Errors(Obj(R"({"cronSpec": "x"})")),
            std::vector<std::string>{
                "spec.cronSpec: Invalid value: \"x\": spec.cronSpec in body should match "
                "'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'"});
  std::vector<std::string> errs = Errors(Obj(
      R"({"cronSpec": "* * * * *", "replicas": 0, "image": "nginx:1", "mode": "c", "ratio": 1,
          "ip": "abc", "list": ["a", "b", "c"], "set": ["a", "b", "a"], "when": "yesterday",
          "ports": [{"name": "a"}, {"name": "a"}], "port": true, "note": null})"));
  EXPECT_EQ(errs, (std::vector<std::string>{
                      "spec.image: Too long: may not be more than 5 bytes",
                      "spec.ip: Invalid value: \"abc\": spec.ip in body must be of type ipv4: \"abc\"",
                      "spec.list: Too many: 3: must have at most 2 items",
                      "spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"",
                      "spec.port: Invalid value: \"boolean\": spec.port in body must be of type "
                      "integer,string: \"boolean\"",
                      "spec.ports[1]: Duplicate value: map[string]interface {}{\"name\":\"a\"}",
                      "spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1",
                      "spec.replicas: Invalid value: 0: spec.replicas in body should be greater "
                      "than or equal to 1",
                      "spec.set[2]: Duplicate value: \"a\"",
                      "spec.when: Invalid value: \"yesterday\": spec.when in body must be of type "
                      "date-time: \"yesterday\""}));
  EXPECT_EQ(Errors(Obj(R"({"cronSpec": "* * * * *", "image": "x", "list": [], "ratio": 0.3, "replicas": null})")),
            (std::vector<std::string>{
                "spec.image: Invalid value: \"x\": spec.image in body should be at least 2 chars long",
                "spec.list: Invalid value: []: spec.list in body should have at least 1 items",
                "spec.ratio: Invalid value: 0.3: spec.ratio in body should be a multiple of 0.25",
                "spec.replicas: Invalid value: \"null\": spec.replicas in body must be of type "
                "integer: \"null\""}));
}

TEST(CustomValidation, EmbeddedResourcesAndMetadata) {
  EXPECT_EQ(Errors(Obj(R"({"cronSpec": "* * * * *", "template": {"metadata": {"name": "Bad_Name"}}})")),
            (std::vector<std::string>{
                "spec.template.metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 "
                "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
                "start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                "spec.template.kind: Required value: must not be empty",
                "spec.template.apiVersion: Required value: must not be empty"}));
  Json bad_name = Obj(R"({"cronSpec": "* * * * *"})");
  bad_name["metadata"]["name"] = "X";
  std::vector<FieldError> errs = ValidateCustom(CronTabs(), kVersion, bad_name, nullptr);
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].field, "metadata.name");
  EXPECT_EQ(InvalidMessage(QualifiedKind(CronTabs()), "X", errs).substr(0, 50),
            "CronTab.stable.example.com \"X\" is invalid: metadat");
}

TEST(CustomValidation, UpdatesRatchetUnchangedValues) {
  // Stored before the schema tightened: replicas 0 is below the minimum.
  Json old = Obj(R"({"cronSpec": "* * * * *", "replicas": 0, "image": "toolongimage"})");
  Json updated = old;
  updated["spec"]["image"] = "toolongstill";
  EXPECT_EQ(Errors(updated, &old),
            std::vector<std::string>{"spec.image: Too long: may not be more than 5 bytes"});
  updated["spec"]["image"] = "ok";
  EXPECT_TRUE(Errors(updated, &old).empty());
  updated["spec"]["replicas"] = -1;
  EXPECT_EQ(Errors(updated, &old).size(), 1u);
  // Immutable metadata is still checked.
  Json renamed = old;
  renamed["metadata"]["name"] = "y";
  EXPECT_EQ(Errors(renamed, &old),
            std::vector<std::string>{"metadata.name: Invalid value: \"y\": field is immutable"});
}

TEST(CustomStrategy, StatusSubresource) {
  ResourceInfo ri = CronTabs();
  ASSERT_TRUE(ri.has_status_subresource);
  Json o = Obj(R"({"cronSpec": "* * * * *"})");
  o["status"] = J(R"({"replicas": 2})");
  PrepareCustomForCreate(ri, o);
  EXPECT_FALSE(o.contains("status"));
  EXPECT_EQ(o["metadata"]["generation"], 1);

  Json old = o;
  old["status"] = J(R"({"replicas": 1})");
  Json upd = old;
  upd["status"] = J(R"({"replicas": 5})");
  upd["metadata"]["labels"] = J(R"({"a": "b"})");
  EXPECT_FALSE(PrepareCustomForUpdate(ri, upd, old));  // only status and metadata changed
  EXPECT_EQ(upd["status"]["replicas"], 1);
  upd["spec"]["cronSpec"] = "1 * * * *";
  EXPECT_TRUE(PrepareCustomForUpdate(ri, upd, old));

  Json st = old;
  st["spec"]["cronSpec"] = "ignored";
  st["metadata"]["labels"] = J(R"({"ignored": "too"})");
  st["status"] = J(R"({"replicas": 7})");
  PrepareCustomForStatusUpdate(ri, st, old);
  EXPECT_EQ(st["spec"], old["spec"]);
  EXPECT_FALSE(st["metadata"].contains("labels"));
  EXPECT_EQ(st["status"]["replicas"], 7);

  // Without a status subresource every non-metadata change counts.
  ResourceInfo plain = ri;
  plain.has_status_subresource = false;
  Json a = Obj(R"({"cronSpec": "* * * * *"})");
  Json b = a;
  b["status"] = J(R"({"replicas": 1})");
  EXPECT_TRUE(PrepareCustomForUpdate(plain, b, a));
  EXPECT_EQ(b["status"]["replicas"], 1);
}

TEST(CustomTables, PrinterColumns) {
  Json cols = CustomTableColumns(kVersion);
  ASSERT_EQ(cols.size(), 6u);
  EXPECT_EQ(cols[0]["name"], "Name");
  EXPECT_EQ(cols[0]["format"], "name");
  EXPECT_EQ(cols[1], J(R"({"name":"Spec","type":"string","format":"","description":"the schedule","priority":0})"));
  EXPECT_EQ(cols[4]["priority"], 1);

  Json o = Obj(R"({"cronSpec": "*/5 * * * *", "replicas": 3, "labels": {"b": {"v": "2"}, "a": {"v": "1"}}})");
  o["status"] = J(R"({"conditions": [{"type": "Synced", "status": "False"}, {"type": "Ready", "status": "True"}]})");
  o["status"]["started"] = FormatRFC3339(Clock::now() - std::chrono::minutes(10));
  Json row = CustomTableRow(kVersion, o, "None");
  EXPECT_EQ(row["cells"], J(R"(["x", "*/5 * * * *", 3, "True", "{\"a\":{\"v\":\"1\"},\"b\":{\"v\":\"2\"}}", "10m"])"));
  EXPECT_TRUE(row["object"].is_null());
  // Missing values are null cells.
  Json bare = Obj(R"({})");
  row = CustomTableRow(kVersion, bare, "Metadata");
  EXPECT_EQ(row["cells"], J(R"(["x", null, null, null, null, null])"));
  EXPECT_EQ(row["object"]["kind"], "PartialObjectMetadata");

  // A version without columns shows Age.
  Json no_cols = J(R"({"name": "v1"})");
  cols = CustomTableColumns(no_cols);
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_EQ(cols[1]["name"], "Age");
  EXPECT_EQ(cols[1]["type"], "date");
  Json aged = bare;
  aged["metadata"]["creationTimestamp"] = FormatRFC3339(Clock::now() - std::chrono::hours(3));
  EXPECT_EQ(CustomTableRow(no_cols, aged, "None")["cells"], J(R"(["x", "3h"])"));
}

TEST(JsonPath, Expressions) {
  Json doc = J(R"({"a": {"b": [1, 2, 3], "c.d": "dot"}, "items": [{"n": "x", "v": 1}, {"n": "y", "v": 2}],
                   "f": 1.5, "t": true})");
  auto texts = [&](const char* expr) {
    std::vector<std::string> out;
    auto r = jsonpath::Find(doc, expr);
    EXPECT_TRUE(r.ok()) << expr << ": " << r.status().message();
    if (r.ok())
      for (const Json* v : *r) out.push_back(jsonpath::Text(*v));
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(texts(".a.b[0]"), V{"1"});
  EXPECT_EQ(texts("{.a.b[-1]}"), V{"3"});
  EXPECT_EQ(texts("$.a.b[1:]"), (V{"2", "3"}));
  EXPECT_EQ(texts(".a.b[*]"), (V{"1", "2", "3"}));
  EXPECT_EQ(texts(".a['c.d']"), V{"dot"});
  EXPECT_EQ(texts(".items[*].n"), (V{"x", "y"}));
  EXPECT_EQ(texts(".items[?(@.v>1)].n"), V{"y"});
  EXPECT_EQ(texts(".items[?(@.n==\"x\")].v"), V{"1"});
  EXPECT_EQ(texts(".items[?(@.n!='x')].v"), V{"2"});
  EXPECT_EQ(texts("..n"), (V{"x", "y"}));
  EXPECT_EQ(texts(".missing.deeper"), V{});
  EXPECT_EQ(texts(".f"), V{"1.5"});
  EXPECT_EQ(texts(".t"), V{"true"});
  EXPECT_EQ(texts(".a.b"), V{"[1,2,3]"});
  EXPECT_FALSE(jsonpath::Check(".a[").ok());
  EXPECT_FALSE(jsonpath::Check(".a[?(@.x==)]").ok());
  EXPECT_EQ(jsonpath::GoFloat(1e6), "1e+06");
  EXPECT_EQ(jsonpath::GoFloat(123456), "123456");
  EXPECT_EQ(jsonpath::GoFloat(0.25), "0.25");
  EXPECT_EQ(jsonpath::GoFloat(0.00001), "1e-05");
}

}  // namespace
}  // namespace common::api
