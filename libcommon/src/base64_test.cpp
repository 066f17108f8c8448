#include "common/base64.h"

#include <gtest/gtest.h>

#include <vector>

namespace common {
namespace {

TEST(Base64, RoundTrip) {
  for (std::string s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                                std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(*Base64Decode(Base64Encode(s)), s);
    EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(s)), s);
  }
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
}

TEST(Base64, ErrorsReportGoOffsets) {
  size_t off = 99;
  EXPECT_FALSE(Base64Decode("Zm9v!", &off).has_value());
  EXPECT_EQ(off, 4u);
  EXPECT_FALSE(Base64Decode("Zm8", &off).has_value());  // padding required
  EXPECT_EQ(off, 0u);
  EXPECT_FALSE(Base64Decode("Zm8=x", &off).has_value());
  EXPECT_EQ(off, 4u);
  EXPECT_TRUE(Base64Decode("Zm9v\r\nYmFy").has_value());
}

}  // namespace
}  // namespace common
