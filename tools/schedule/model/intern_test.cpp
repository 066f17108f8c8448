#include "model/intern.h"

#include <gtest/gtest.h>

#include "model/types.h"

namespace schedule {
namespace {

TEST(Intern, EqualStringsShareAnId) {
  uint32_t a = Intern("intern-test-a");
  EXPECT_NE(a, 0u);
  EXPECT_EQ(Intern("intern-test-a"), a);
  EXPECT_NE(Intern("intern-test-b"), a);
}

TEST(MatchMemo, ComputesOncePerKey) {
  MatchMemo memo;
  int calls = 0;
  for (int round = 0; round < 2; ++round)
    for (uint32_t i = 1; i <= 1000; ++i)
      EXPECT_EQ(memo.Get(MatchMemo::Key(7, i), [&] { ++calls; return i % 3 == 0; }), i % 3 == 0);
  EXPECT_EQ(calls, 1000);
}

TEST(MatchMemo, ZeroIdsAreNeverRemembered) {
  MatchMemo memo;
  int calls = 0;
  memo.Get(MatchMemo::Key(0, 5), [&] { ++calls; return true; });
  EXPECT_FALSE(memo.Get(MatchMemo::Key(0, 5), [&] { ++calls; return false; }));
  memo.Get(MatchMemo::Key(5, 0), [&] { ++calls; return true; });
  EXPECT_EQ(calls, 3);
}

TEST(MatchKey, DependsOnNamespaceAndLabels) {
  Pod a, b, c;
  a.ns = b.ns = "default";
  c.ns = "other";
  a.labels = b.labels = c.labels = {{"app", "web"}};
  SetMatchKey(&a);
  SetMatchKey(&b);
  SetMatchKey(&c);
  EXPECT_EQ(a.match_key, b.match_key);
  EXPECT_NE(a.match_key, c.match_key);
  b.labels["tier"] = "front";
  SetMatchKey(&b);
  EXPECT_NE(a.match_key, b.match_key);
}

}  // namespace
}  // namespace schedule
