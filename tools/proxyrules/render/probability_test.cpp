#include <gtest/gtest.h>

#include <cstdlib>

#include "render.h"

namespace proxyrules {
namespace {

// TestComputeProbability's table.
TEST(Probability, TenDecimalsAsUpstream) {
  EXPECT_EQ(Probability(1), "1.0000000000");
  EXPECT_EQ(Probability(2), "0.5000000000");
  EXPECT_EQ(Probability(3), "0.3333333333");
  EXPECT_EQ(Probability(10), "0.1000000000");
  EXPECT_EQ(Probability(100), "0.0100000000");
  EXPECT_EQ(Probability(1000), "0.0010000000");
  EXPECT_EQ(Probability(10000), "0.0001000000");
  EXPECT_EQ(Probability(100000), "0.0000100000");
  EXPECT_EQ(Probability(100001), "0.0000099999");
}

TEST(Probability, StrictlyDecreasing) {
  double prev = 0;
  for (int i = 100000; i > 1; --i) {
    double p = std::strtod(Probability(i).c_str(), nullptr);
    ASSERT_GT(p, prev) << i;
    prev = p;
  }
}

}  // namespace
}  // namespace proxyrules
