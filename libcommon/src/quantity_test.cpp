#include "common/quantity.h"

#include <gtest/gtest.h>

namespace common {
namespace {

std::string Canon(const char* s) {
  auto q = Quantity::Parse(s);
  EXPECT_TRUE(q.ok()) << s << ": " << q.status().message();
  return q.ok() ? q->String() : "";
}

TEST(Quantity, CanonicalFormsMatchUpstream) {
  EXPECT_EQ(Canon("100m"), "100m");
  EXPECT_EQ(Canon("0.1"), "100m");
  EXPECT_EQ(Canon("1000m"), "1");
  EXPECT_EQ(Canon("1000"), "1k");
  EXPECT_EQ(Canon("1500"), "1500");
  EXPECT_EQ(Canon("1.5k"), "1500");
  EXPECT_EQ(Canon("1.5Gi"), "1536Mi");
  EXPECT_EQ(Canon("1024"), "1024");
  EXPECT_EQ(Canon("1Ki"), "1Ki");
  EXPECT_EQ(Canon("1025Ki"), "1025Ki");
  EXPECT_EQ(Canon("0.5Ki"), "512");
  EXPECT_EQ(Canon("1e3"), "1e3");
  EXPECT_EQ(Canon("0"), "0");
  EXPECT_EQ(Canon("-1"), "-1");
  EXPECT_EQ(Canon("1n"), "1n");
  EXPECT_EQ(Canon("128974848"), "128974848");
  EXPECT_EQ(Canon("129e6"), "129e6");
  EXPECT_EQ(Canon("129M"), "129M");
  EXPECT_EQ(Canon("123Mi"), "123Mi");
}

TEST(Quantity, ValuesRoundUp) {
  EXPECT_EQ(Quantity::Parse("100m")->MilliValue(), 100);
  EXPECT_EQ(Quantity::Parse("100m")->Value(), 1);
  EXPECT_EQ(Quantity::Parse("2")->MilliValue(), 2000);
  EXPECT_EQ(Quantity::Parse("1Gi")->Value(), 1073741824);
  EXPECT_EQ(Quantity::Parse("0.5n")->NanoValue(), 1);  // sub-nano rounds up
  EXPECT_EQ(Quantity::Parse("1.1m")->MilliValue(), 2);
}

TEST(Quantity, Arithmetic) {
  auto a = *Quantity::Parse("1");
  auto b = *Quantity::Parse("500m");
  EXPECT_EQ((a + b).MilliValue(), 1500);
  EXPECT_EQ((a - b).String(), "500m");
  EXPECT_LT(b, a);
  EXPECT_EQ(*Quantity::Parse("1Ki"), *Quantity::Parse("1024"));
}

TEST(Quantity, RejectsJunkWithUpstreamMessages) {
  for (const char* bad : {"", "abc", "1.2.3", "1Gb", "1 Gi", "Gi", "--1", "1e", "1x"}) {
    auto q = Quantity::Parse(bad);
    EXPECT_FALSE(q.ok()) << bad;
  }
  EXPECT_NE(Quantity::Parse("abc").status().message().find("quantities must match"),
            std::string::npos);
  EXPECT_EQ(Quantity::Parse("1Zi").status().message(), "unable to parse quantity's suffix");
}

TEST(Quantity, FromJsonAcceptsNumbers) {
  EXPECT_EQ(Quantity::FromJson(Json(2))->MilliValue(), 2000);
  EXPECT_EQ(Quantity::FromJson(Json(0.5))->MilliValue(), 500);
  EXPECT_EQ(Quantity::FromJson(Json("250m"))->MilliValue(), 250);
  EXPECT_FALSE(Quantity::FromJson(Json::array()).ok());
}

}  // namespace
}  // namespace common
