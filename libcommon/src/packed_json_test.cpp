#include "common/packed_json.h"

#include <gtest/gtest.h>

namespace common {
namespace {

// The value through PackJson/UnpackJson, checked against from_msgpack:
// same text, same member order, same number types at every node.
void ExpectSameTypes(const Json& a, const Json& b) {
  ASSERT_EQ(a.type(), b.type()) << a.dump() << " vs " << b.dump();
  if (a.is_object()) {
    ASSERT_EQ(a.size(), b.size());
    auto i = a.begin();
    auto j = b.begin();
    for (; i != a.end(); ++i, ++j) {
      EXPECT_EQ(i.key(), j.key());
      ExpectSameTypes(i.value(), j.value());
    }
  } else if (a.is_array()) {
    ASSERT_EQ(a.size(), b.size());
    for (size_t k = 0; k < a.size(); ++k) ExpectSameTypes(a[k], b[k]);
  } else {
    EXPECT_EQ(a, b);
  }
}

void RoundTrip(const Json& v) {
  std::string packed = PackJson(v);
  Json got = UnpackJson(packed);
  ASSERT_FALSE(got.is_discarded()) << v.dump();
  EXPECT_EQ(DumpJson(got), DumpJson(v));
  ExpectSameTypes(got, Json::from_msgpack(packed));
}

TEST(PackedJson, RoundTripsEveryFormLikeFromMsgpack) {
  for (const char* text : {
           "null", "true", "false", "0", "127", "128", "255", "256", "65535", "65536",
           "4294967295", "4294967296", "18446744073709551615", "-1", "-32", "-33", "-128",
           "-129", "-32768", "-32769", "-2147483648", "-2147483649", "-9223372036854775808",
           "0.5", "0.1", "-1e300", "1.5e-310", "\"\"", "\"\\u00e9t\\u00e9 \\ud83d\\ude00\"",
           "[]", "{}", "[[[]]]", R"({"z": 1, "a": {"y": [1, "x", null, {}], "b": true}})"}) {
    SCOPED_TRACE(text);
    RoundTrip(Json::parse(text));
  }
  // Lengths across every string, array and map header size.
  for (size_t n : {0, 15, 16, 31, 32, 255, 256, 65535, 65536}) {
    RoundTrip(Json(std::string(n, 'k')));
    Json a = Json::array(), o = Json::object();
    for (size_t i = 0; i < n; ++i) {
      a.push_back(i);
      o[std::string(i % 40, 'x') + std::to_string(i)] = i;
    }
    RoundTrip(a);
    RoundTrip(o);
  }
}

TEST(PackedJson, MalformedBytesGiveADiscardedValue) {
  std::string packed = PackJson(Json::parse(R"({"name": "a-long-enough-name", "n": [1, 2, 3]})"));
  for (size_t cut = 0; cut < packed.size(); ++cut)
    EXPECT_TRUE(UnpackJson(std::string_view(packed).substr(0, cut)).is_discarded()) << cut;
  EXPECT_TRUE(UnpackJson(packed + "x").is_discarded());
  // A map whose count promises more than the input holds.
  EXPECT_TRUE(UnpackJson(std::string("\xdf\xff\xff\xff\xff", 5)).is_discarded());
  // bin forms (never written by PackJson) still decode through from_msgpack.
  EXPECT_EQ(UnpackJson(std::string("\xc4\x01z", 3)).type(), Json::value_t::binary);
}

}  // namespace
}  // namespace common
