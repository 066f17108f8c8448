#include "common/json.h"

#include <gtest/gtest.h>

namespace common {
namespace {

TEST(Json, GoStyleParseErrors) {
  EXPECT_EQ(ParseJson("").status().message(), "unexpected end of JSON input");
  EXPECT_EQ(ParseJson("{\"a\":").status().message(), "unexpected end of JSON input");
  EXPECT_EQ(ParseJson("abc").status().message(),
            "invalid character 'a' looking for beginning of value");
  EXPECT_TRUE(ParseJson(" {\"a\": [1, 2]} ").ok());
}

TEST(Json, TypedGetters) {
  Json j = Json::parse(R"({"metadata":{"name":"x","generation":3},"b":true})");
  EXPECT_EQ(GetString(GetPath(j, {"metadata"}), "name"), "x");
  EXPECT_EQ(GetInt(j["metadata"], "generation"), 3);
  EXPECT_EQ(GetInt(j, "missing", 7), 7);
  EXPECT_TRUE(GetBool(j, "b"));
  EXPECT_TRUE(GetPath(j, {"metadata", "nope", "deeper"}).is_null());
}

}  // namespace
}  // namespace common
