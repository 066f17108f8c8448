#include "runner.h"

#include <gtest/gtest.h>

#include <atomic>

namespace proxyrules {
namespace {

using namespace std::chrono_literals;

TEST(BoundedFrequencyRunner, BurstThenRateLimited) {
  std::atomic<int> runs{0};
  BoundedFrequencyRunner r([&] { ++runs; }, 200ms, 10s, 2);
  r.Start();
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    r.Run();
    std::this_thread::sleep_for(10ms);
  }
  // Two runs at once (the burst), a third only after a token comes back.
  EXPECT_EQ(runs.load(), 2);
  while (runs.load() < 3 && std::chrono::steady_clock::now() - start < 2s)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(runs.load(), 3);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  r.Stop();
}

TEST(BoundedFrequencyRunner, RunsAtLeastEveryMaxInterval) {
  std::atomic<int> runs{0};
  BoundedFrequencyRunner r([&] { ++runs; }, 10ms, 100ms, 1);
  r.Start();
  std::this_thread::sleep_for(350ms);
  r.Stop();
  EXPECT_GE(runs.load(), 2);
  EXPECT_LE(runs.load(), 4);
}

TEST(BoundedFrequencyRunner, RetryAfter) {
  std::atomic<int> runs{0};
  BoundedFrequencyRunner r([&] { ++runs; }, 10ms, 10s, 1);
  r.Start();
  r.RetryAfter(50ms);
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(runs.load(), 0);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(runs.load(), 1);
  r.Stop();
}

}  // namespace
}  // namespace proxyrules
