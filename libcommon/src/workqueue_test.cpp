#include "common/workqueue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace common {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

std::unique_ptr<RateLimiter> FastLimiter() {
  return std::make_unique<ItemExponentialRateLimiter>(1ms, 100ms);
}

TEST(RateLimiters, ItemExponentialDoublesAndCaps) {
  ItemExponentialRateLimiter r(5ms, 1000s);
  EXPECT_EQ(r.When("a"), milliseconds(5));
  EXPECT_EQ(r.When("a"), milliseconds(10));
  EXPECT_EQ(r.When("a"), milliseconds(20));
  EXPECT_EQ(r.When("b"), milliseconds(5));
  EXPECT_EQ(r.NumRequeues("a"), 3);
  for (int i = 0; i < 100; ++i) r.When("a");
  EXPECT_EQ(r.When("a"), std::chrono::seconds(1000));
  r.Forget("a");
  EXPECT_EQ(r.NumRequeues("a"), 0);
  EXPECT_EQ(r.When("a"), milliseconds(5));
}

TEST(RateLimiters, BucketAllowsBurstThenPaces) {
  BucketRateLimiter b(10, 100);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(b.When("x").count(), 0) << i;
  auto d = b.When("x");
  EXPECT_GT(d, 90ms);
  EXPECT_LE(d, 100ms);
  auto d2 = b.When("y");
  EXPECT_GT(d2, 190ms);
  EXPECT_LE(d2, 200ms);
}

TEST(RateLimiters, DefaultControllerRateLimiterIsTheMaxOfBoth) {
  auto r = DefaultControllerRateLimiter();
  EXPECT_EQ(r->When("a"), milliseconds(5));
  EXPECT_EQ(r->When("a"), milliseconds(10));
  EXPECT_EQ(r->NumRequeues("a"), 2);
  // 98 more tokens of the burst of 100 go to other items...
  for (int i = 0; i < 98; ++i) r->When("k" + std::to_string(i));
  // ...after which the bucket, not the item's 5 ms, decides.
  EXPECT_GT(r->When("fresh"), 50ms);
  r->Forget("a");
  EXPECT_EQ(r->NumRequeues("a"), 0);
}

TEST(WorkQueue, DeduplicatesQueuedItems) {
  WorkQueue q(WorkQueueOptions{.rate_limiter = FastLimiter()});
  q.Add("a");
  q.Add("a");
  q.Add("b");
  q.Add("a");
  EXPECT_EQ(q.Len(), 2u);
  EXPECT_EQ(q.Get(), "a");
  EXPECT_EQ(q.Get(), "b");
  EXPECT_EQ(q.Len(), 0u);
}

TEST(WorkQueue, ItemBeingProcessedIsRequeuedOnlyAfterDone) {
  WorkQueue q(WorkQueueOptions{.rate_limiter = FastLimiter()});
  q.Add("a");
  auto item = q.Get();
  ASSERT_EQ(item, "a");
  q.Add("a");  // re-added while processing: held back
  q.Add("a");
  EXPECT_EQ(q.Len(), 0u);
  q.Add("b");
  EXPECT_EQ(q.Get(), "b");
  q.Done("b");
  q.Done("a");
  EXPECT_EQ(q.Len(), 1u);
  EXPECT_EQ(q.Get(), "a");
  q.Done("a");
  EXPECT_EQ(q.Len(), 0u);
}

TEST(WorkQueue, NoItemIsProcessedByTwoWorkersAtOnce) {
  WorkQueue q(WorkQueueOptions{.rate_limiter = FastLimiter()});
  std::mutex mu;
  std::set<std::string> busy;
  std::atomic<bool> overlap{false};
  std::atomic<int> processed{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&] {
      while (auto key = q.Get()) {
        {
          std::lock_guard<std::mutex> l(mu);
          if (!busy.insert(*key).second) overlap = true;
        }
        std::this_thread::sleep_for(100us);
        {
          std::lock_guard<std::mutex> l(mu);
          busy.erase(*key);
        }
        ++processed;
        q.Done(*key);
      }
    });
  for (int i = 0; i < 2000; ++i) {
    q.Add("k" + std::to_string(i % 7));
    if (i % 7 == 6) std::this_thread::sleep_for(50us);  // let workers take some
  }
  q.ShutDownWithDrain();
  for (auto& t : workers) t.join();
  EXPECT_FALSE(overlap.load());
  EXPECT_GT(processed.load(), 50);
}

TEST(WorkQueue, AddAfterAndEarlierTimeWins) {
  WorkQueue q(WorkQueueOptions{.rate_limiter = FastLimiter()});
  auto start = std::chrono::steady_clock::now();
  q.AddAfter("late", 5s);
  q.AddAfter("late", 50ms);  // the earlier time wins
  q.AddAfter("now", 0ms);
  EXPECT_EQ(q.Len(), 1u);
  EXPECT_EQ(q.Get(), "now");
  EXPECT_EQ(q.Get(), "late");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 45ms);
  EXPECT_LT(took, 2s);
}

TEST(WorkQueue, AddRateLimitedBacksOffPerItem) {
  WorkQueue q(WorkQueueOptions{
      .rate_limiter = std::make_unique<ItemExponentialRateLimiter>(20ms, 1s)});
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) {  // waits 20, 40, 80, 160 ms
    q.AddRateLimited("bad");
    auto k = q.Get();
    ASSERT_EQ(k, "bad");
    q.Done(*k);
  }
  EXPECT_EQ(q.NumRequeues("bad"), 4);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 290ms);
  q.Forget("bad");
  EXPECT_EQ(q.NumRequeues("bad"), 0);
}

TEST(WorkQueue, ShutDownDrainsQueuedItemsThenStops) {
  WorkQueue q(WorkQueueOptions{.rate_limiter = FastLimiter()});
  q.Add("a");
  q.Add("b");
  q.AddAfter("delayed", 10s);
  q.ShutDown();
  q.Add("c");  // ignored
  EXPECT_TRUE(q.ShuttingDown());
  EXPECT_EQ(q.Get(), "a");
  EXPECT_EQ(q.Get(), "b");
  EXPECT_EQ(q.Get(), std::nullopt);
  // A blocked Get wakes on ShutDown.
  WorkQueue idle(WorkQueueOptions{.rate_limiter = FastLimiter()});
  std::thread t([&] { EXPECT_EQ(idle.Get(), std::nullopt); });
  std::this_thread::sleep_for(20ms);
  idle.ShutDown();
  t.join();
}

TEST(WorkQueue, ShutDownWithDrainWaitsForInFlightItems) {
  WorkQueue q(WorkQueueOptions{.rate_limiter = FastLimiter()});
  q.Add("a");
  auto k = q.Get();
  std::atomic<bool> drained{false};
  std::thread t([&] {
    q.ShutDownWithDrain();
    drained = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(drained.load());
  q.Done(*k);
  t.join();
  EXPECT_TRUE(drained.load());
}

TEST(WorkQueue, MetricsUseUpstreamNames) {
  metrics::Registry reg;
  {
    WorkQueue q(WorkQueueOptions{.name = "deployment", .rate_limiter = FastLimiter(),
                                 .registry = &reg});
    q.Add("a");
    q.Add("a");
    q.Add("b");
    auto k = q.Get();
    std::this_thread::sleep_for(20ms);
    std::string text = reg.Expose();
    EXPECT_NE(text.find("workqueue_depth{name=\"deployment\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("workqueue_adds_total{name=\"deployment\"} 2\n"), std::string::npos);
    EXPECT_NE(text.find("workqueue_queue_duration_seconds_count{name=\"deployment\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("workqueue_queue_duration_seconds_bucket{name=\"deployment\",le=\"1e-08\"}"),
              std::string::npos);
    EXPECT_EQ(text.find("workqueue_unfinished_work_seconds{name=\"deployment\"} 0\n"),
              std::string::npos);
    EXPECT_NE(text.find("workqueue_longest_running_processor_seconds{name=\"deployment\"}"),
              std::string::npos);
    q.Done(*k);
    q.AddRateLimited("a");
    text = reg.Expose();
    EXPECT_NE(text.find("workqueue_work_duration_seconds_count{name=\"deployment\"} 1\n"),
              std::string::npos);
    EXPECT_NE(text.find("workqueue_retries_total{name=\"deployment\"} 1\n"), std::string::npos);
    EXPECT_NE(text.find("workqueue_unfinished_work_seconds{name=\"deployment\"} 0\n"),
              std::string::npos);
  }
  // The collector of a destroyed queue is harmless.
  EXPECT_FALSE(reg.Expose().empty());
}

}  // namespace
}  // namespace common
