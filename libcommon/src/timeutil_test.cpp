#include "common/timeutil.h"

#include <gtest/gtest.h>

namespace common {
namespace {

TEST(Time, FormatsAndParsesRFC3339) {
  auto t = ParseRFC3339("2024-05-01T10:00:00Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatRFC3339(*t), "2024-05-01T10:00:00Z");
  auto m = ParseRFC3339("2024-05-01T12:00:00.123456+02:00");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(FormatRFC3339Micro(*m), "2024-05-01T10:00:00.123456Z");
  EXPECT_FALSE(ParseRFC3339("2024-05-01 10:00:00").ok());
  EXPECT_FALSE(ParseRFC3339("yesterday").ok());
}

TEST(Time, HumanDurationsMatchKubectl) {
  using namespace std::chrono;
  EXPECT_EQ(HumanDuration(seconds(5)), "5s");
  EXPECT_EQ(HumanDuration(seconds(150)), "2m30s");
  EXPECT_EQ(HumanDuration(minutes(45)), "45m");
  EXPECT_EQ(HumanDuration(hours(5) + minutes(3)), "5h3m");
  EXPECT_EQ(HumanDuration(hours(30)), "30h");
  EXPECT_EQ(HumanDuration(hours(24 * 3 + 2)), "3d2h");
  EXPECT_EQ(ShortHumanDuration(hours(30)), "1d");
}

}  // namespace
}  // namespace common
