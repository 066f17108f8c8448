#include "backoff.h"

#include <gtest/gtest.h>

namespace nodeagent {
namespace {

using std::chrono::seconds;
using T = RestartBackoff::Clock::time_point;

TEST(RestartBackoff, DoublesFromTenSecondsToFiveMinutes) {
  RestartBackoff b;
  T t0{};
  T now = t0 + seconds(1000);
  // First crash: restarted at once; the next wait is 10 s.
  EXPECT_EQ(b.TryRestart("p/c", now, now).count(), 0);
  EXPECT_EQ(b.Current("p/c"), seconds(10));
  // Crashes again right away: 10 s to wait, counted from when it finished.
  T crash = now + seconds(1);
  EXPECT_EQ(b.TryRestart("p/c", crash, crash), seconds(10));
  EXPECT_EQ(b.TryRestart("p/c", crash, crash + seconds(4)), seconds(6));
  EXPECT_EQ(b.TryRestart("p/c", crash, crash + seconds(10)).count(), 0);
  EXPECT_EQ(b.Current("p/c"), seconds(20));
  std::vector<int> waits;
  T t = crash + seconds(10);
  for (int i = 0; i < 8; ++i) {
    t += seconds(1);  // ran one second, crashed
    auto wait = b.TryRestart("p/c", t, t);
    waits.push_back(static_cast<int>(std::chrono::duration_cast<seconds>(wait).count()));
    t += wait;
    EXPECT_EQ(b.TryRestart("p/c", t - wait, t).count(), 0);
  }
  EXPECT_EQ(waits, (std::vector<int>{20, 40, 80, 160, 300, 300, 300, 300}));
}

TEST(RestartBackoff, ResetsAfterTenMinutesOfRunning) {
  RestartBackoff b;
  T t{};
  t += seconds(100);
  b.TryRestart("k", t, t);
  b.TryRestart("k", t + seconds(1), t + seconds(11));  // second restart -> 20 s next
  EXPECT_EQ(b.Current("k"), seconds(20));
  // Ran for more than 10 minutes (twice the cap) before crashing: a fresh start.
  T late = t + seconds(11 + 601);
  EXPECT_EQ(b.TryRestart("k", late, late).count(), 0);
  EXPECT_EQ(b.Current("k"), seconds(10));
}

TEST(RestartBackoff, KeysAreIndependentAndForgettable) {
  RestartBackoff b(seconds(1), seconds(4));
  T t{};
  b.TryRestart("pod1/a", t, t);
  b.TryRestart("pod1/b", t, t);
  b.TryRestart("pod2/a", t, t);
  EXPECT_GT(b.TryRestart("pod1/a", t, t).count(), 0);
  b.ForgetPrefix("pod1/");
  EXPECT_EQ(b.Current("pod1/a").count(), 0);
  EXPECT_EQ(b.Current("pod1/b").count(), 0);
  EXPECT_EQ(b.Current("pod2/a"), seconds(1));
  b.Forget("pod2/a");
  EXPECT_EQ(b.TryRestart("pod2/a", t, t).count(), 0);
}

}  // namespace
}  // namespace nodeagent
