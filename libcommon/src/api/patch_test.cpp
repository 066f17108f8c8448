#include "common/api/patch.h"

#include <gtest/gtest.h>

namespace common::api {
namespace {

struct Case {
  const char* doc;
  const char* patch;
  const char* want;   // null when an error is expected
  const char* error;  // expected message
};

// RFC 6902 appendix A and evanphx/json-patch's behaviours.
TEST(JsonPatch, Rfc6902Examples) {
  std::vector<Case> cases = {
      {R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])", R"({"foo":"bar","baz":"qux"})", nullptr},
      {R"({"foo":["bar","baz"]})", R"([{"op":"add","path":"/foo/1","value":"qux"}])", R"({"foo":["bar","qux","baz"]})", nullptr},
      {R"({"baz":"qux","foo":"bar"})", R"([{"op":"remove","path":"/baz"}])", R"({"foo":"bar"})", nullptr},
      {R"({"foo":["bar","qux","baz"]})", R"([{"op":"remove","path":"/foo/1"}])", R"({"foo":["bar","baz"]})", nullptr},
      {R"({"baz":"qux","foo":"bar"})", R"([{"op":"replace","path":"/baz","value":"boo"}])", R"({"baz":"boo","foo":"bar"})", nullptr},
      {R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})", R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])",
       R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})", nullptr},
      {R"({"foo":["all","grass","cows","eat"]})", R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])", R"({"foo":["all","cows","eat","grass"]})", nullptr},
      {R"({"baz":"qux","foo":["a",2,"c"]})", R"([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}])",
       R"({"baz":"qux","foo":["a",2,"c"]})", nullptr},
      {R"({"baz":"qux"})", R"([{"op":"test","path":"/baz","value":"bar"}])", nullptr, "testing value /baz failed: test failed"},
      {R"({"foo":"bar"})", R"([{"op":"add","path":"/child","value":{"grandchild":{}}}])", R"({"foo":"bar","child":{"grandchild":{}}})", nullptr},
      {R"({"foo":["bar"]})", R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])", R"({"foo":["bar",["abc","def"]]})", nullptr},
      {R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":10}])", R"({"/":9,"~1":10})", nullptr},
      {R"({"foo":"bar"})", R"([{"op":"add","path":"/baz/bat","value":"qux"}])", nullptr,
       "add operation does not apply: doc is missing path: \"/baz/bat\": missing value"},
      {R"({"spec":{}})", R"([{"op":"replace","path":"/spec/x","value":1}])", nullptr,
       "replace operation does not apply: doc is missing key: /spec/x: missing value"},
      {R"({"a":1})", R"([{"op":"remove","path":"/b"}])", nullptr,
       "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value"},
      {R"({"a":[1,2]})", R"([{"op":"add","path":"/a/5","value":3}])", nullptr,
       "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced"},
      {R"({"a":[1,2]})", R"([{"op":"remove","path":"/a/-1"}])", R"({"a":[1]})", nullptr},
      {R"({"a":1})", R"([{"op":"frob","path":"/a"}])", nullptr, "Unexpected kind: frob: unknown object type"},
  };
  for (const Case& c : cases) {
    auto got = ApplyJsonPatch(Json::parse(c.doc), Json::parse(c.patch));
    if (c.want) {
      ASSERT_TRUE(got.ok()) << c.patch << ": " << got.status().message();
      EXPECT_EQ(*got, Json::parse(c.want)) << c.patch;
    } else {
      ASSERT_FALSE(got.ok()) << c.patch;
      EXPECT_EQ(got.status().message(), c.error);
      EXPECT_EQ(got.status().code(), Code::kInvalid);
    }
  }
}

// RFC 7386 appendix A.
TEST(MergePatch, Rfc7386Examples) {
  std::vector<std::array<const char*, 3>> cases = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const auto& c : cases) {
    auto got = ApplyMergePatch(Json::parse(c[0]), Json::parse(c[1]));
    ASSERT_TRUE(got.ok()) << c[1];
    EXPECT_EQ(*got, Json::parse(c[2])) << c[1];
  }
  EXPECT_FALSE(ApplyMergePatch(Json::parse("{}"), Json::parse("[1]")).ok());
}

}  // namespace
}  // namespace common::api
