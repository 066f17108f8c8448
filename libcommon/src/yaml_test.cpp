#include "common/yaml.h"

#include <gtest/gtest.h>

#include "common/objects.h"

namespace common {
namespace {

TEST(Yaml, ScalarsResolveLikeSigsYaml) {
  auto j = ParseYaml("a: 1\nb: yes\nc: \"yes\"\nd: 1.5\ne: ~\nf: abc\ng: '007'\nh: 0x1f\ni: on\n");
  ASSERT_TRUE(j.ok()) << j.status().message();
  EXPECT_EQ((*j)["a"], 1);
  EXPECT_EQ((*j)["b"], true);
  EXPECT_EQ((*j)["c"], "yes");
  EXPECT_EQ((*j)["d"], 1.5);
  EXPECT_TRUE((*j)["e"].is_null());
  EXPECT_EQ((*j)["f"], "abc");
  EXPECT_EQ((*j)["g"], "007");
  EXPECT_EQ((*j)["h"], 31);
  EXPECT_EQ((*j)["i"], true);
}

TEST(Yaml, MultiDocumentAndErrors) {
  auto docs = ParseYamlDocuments("a: 1\n---\n---\nb: 2\n");
  ASSERT_TRUE(docs.ok());
  EXPECT_EQ(docs->size(), 2u);
  auto bad = ParseYamlDocuments("a: [1\n");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line"), std::string::npos);
}

TEST(Yaml, EmitsKubectlStyle) {
  Json j = Json::parse(
      R"({"spec":{"containers":[{"name":"web","image":"nginx","args":["a","b"]}]},"metadata":{"name":"x","labels":{"n":"5"}},"data":{"t":"true","empty":"","multi":"l1\nl2\n"}})");
  EXPECT_EQ(ToYaml(j),
            "data:\n"
            "  empty: \"\"\n"
            "  multi: |\n"
            "    l1\n"
            "    l2\n"
            "  t: \"true\"\n"
            "metadata:\n"
            "  labels:\n"
            "    \"n\": \"5\"\n"  // YAML 1.1 would read a bare n as false
            "  name: x\n"
            "spec:\n"
            "  containers:\n"
            "  - args:\n"
            "    - a\n"
            "    - b\n"
            "    image: nginx\n"
            "    name: web\n");
  // And it reads back to the same value.
  EXPECT_EQ(nlohmann::json::parse(DumpJson(*ParseYaml(ToYaml(j)))),
            nlohmann::json::parse(DumpJson(j)));
}

TEST(Objects, FlattensListsInJsonAndYaml) {
  auto a = ParseObjects(R"({"kind":"List","items":[{"kind":"Pod"},{"kind":"PodList","items":[{"kind":"Pod","x":1}]}]})");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->size(), 2u);
  auto b = ParseObjects("{\"kind\":\"A\"}\n{\"kind\":\"B\"}\n");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->size(), 2u);
  auto c = ParseObjects("kind: A\n---\nkind: B\n");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)[1]["kind"], "B");
  EXPECT_FALSE(ParseObjects("{\"kind\":").ok());
  EXPECT_FALSE(ParseObjects("- 1\n- 2\n").ok());
}

}  // namespace
}  // namespace common
