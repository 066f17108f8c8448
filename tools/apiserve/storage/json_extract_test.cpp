#include "storage/json_extract.h"

#include <gtest/gtest.h>

namespace apiserve::storage {
namespace {

using common::Json;

const std::vector<JsonPath> kPodPaths = {
    {"metadata", "labels"}, {"spec", "nodeName"}, {"status", "phase"}};

TEST(ExtractPaths, KeepsOnlyTheNamedMembers) {
  std::string pod =
      R"({"kind":"Pod","metadata":{"name":"a","labels":{"app":"x","t":"y"},"annotations":{"k":"}{]["}},)"
      R"("spec":{"containers":[{"name":"c","args":["\"",{"x":[1,2]}]}],"nodeName":"n1","prio":-1.5e3},)"
      R"("status":{"phase":"Running","ok":true,"none":null}})";
  auto got = ExtractPaths(pod, kPodPaths);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, Json::parse(R"({"metadata":{"labels":{"app":"x","t":"y"}},"spec":{"nodeName":"n1"},)"
                              R"("status":{"phase":"Running"}})"));
}

TEST(ExtractPaths, AbsentMembersStayAbsent) {
  auto got = ExtractPaths(R"({"metadata":{"name":"a"},"spec":{}})", kPodPaths);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, Json::object());
  // An empty labels object is kept: it was asked for and is there.
  got = ExtractPaths(R"({"metadata":{"labels":{}}})", kPodPaths);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, Json::parse(R"({"metadata":{"labels":{}}})"));
  // A path through a non-object stops there.
  got = ExtractPaths(R"({"spec":"text","status":[1]})", kPodPaths);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, Json::object());
}

TEST(ExtractPaths, EscapedKeysAndWhitespace) {
  auto got = ExtractPaths(" { \"meta\\u0064ata\" : { \"labels\" : { \"a\" : \"b\" } } } ", kPodPaths);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, Json::parse(R"({"metadata":{"labels":{"a":"b"}}})"));
}

TEST(ExtractPaths, RejectsMalformedInput) {
  EXPECT_FALSE(ExtractPaths("", kPodPaths).has_value());
  EXPECT_FALSE(ExtractPaths("[1]", kPodPaths).has_value());
  EXPECT_FALSE(ExtractPaths(R"({"a":1)", kPodPaths).has_value());
  EXPECT_FALSE(ExtractPaths(R"({"a":"unterminated})", kPodPaths).has_value());
  EXPECT_FALSE(ExtractPaths(R"({"a":1} trailing)", kPodPaths).has_value());
  EXPECT_FALSE(ExtractPaths(R"({"metadata":{"labels":{"a":tru}}})", kPodPaths).has_value());
  EXPECT_FALSE(ExtractPaths(R"({"a" 1})", kPodPaths).has_value());
}

TEST(MayHaveDuplicateKeys, ScreensRepeatedKeys) {
  EXPECT_FALSE(MayHaveDuplicateKeys(R"({"a":1,"b":{"a":2,"c":[{"a":1},{"a":2}]},"s":"{\"a\":1,\"a\":2}"})"));
  EXPECT_TRUE(MayHaveDuplicateKeys(R"({"a":1,"b":2,"a":3})"));
  EXPECT_TRUE(MayHaveDuplicateKeys(R"({"x":[{"k":1,"k":1}]})"));
  EXPECT_TRUE(MayHaveDuplicateKeys(R"({"spec":{"a":{},"b":{},"a":{}}})"));
  // Escaped keys and malformed input go to the full check.
  EXPECT_TRUE(MayHaveDuplicateKeys(R"({"\u0061":1})"));
  EXPECT_TRUE(MayHaveDuplicateKeys(R"({"a":1)"));
  EXPECT_FALSE(MayHaveDuplicateKeys(R"([1,"x",{"a":null}])"));
}

}  // namespace
}  // namespace apiserve::storage
