#include "common/metrics.h"

#include <gtest/gtest.h>

#include "common/rate_limit.h"

namespace common::metrics {
namespace {

TEST(Metrics, ExpositionFormat) {
  Registry r;
  auto& req = r.AddCounter("apiserver_request_total", "Counter of requests.", {"verb", "code"});
  req.With({"GET", "200"}).Inc();
  req.With({"GET", "200"}).Inc(2);
  r.AddGauge("up", "Up.").With({}).Set(1);
  auto& h = r.AddHistogram("lat_seconds", "Latency.", {}, {0.1, 1});
  h.With({}).Observe(0.05);
  h.With({}).Observe(0.5);
  EXPECT_EQ(r.Expose(),
            "# HELP apiserver_request_total Counter of requests.\n"
            "# TYPE apiserver_request_total counter\n"
            "apiserver_request_total{verb=\"GET\",code=\"200\"} 3\n"
            "# HELP lat_seconds Latency.\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{le=\"0.1\"} 1\n"
            "lat_seconds_bucket{le=\"1\"} 2\n"
            "lat_seconds_bucket{le=\"+Inf\"} 2\n"
            "lat_seconds_sum 0.55\n"
            "lat_seconds_count 2\n"
            "# HELP up Up.\n"
            "# TYPE up gauge\n"
            "up 1\n");
}

TEST(RateLimit, TokenBucketBurstThenRate) {
  TokenBucket b(100, 5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(b.TryTake());
  EXPECT_FALSE(b.TryTake());
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) b.Wait();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(80));
  EXPECT_LE(took, std::chrono::milliseconds(400));
}

TEST(RateLimit, ItemBackoffDoublesToCap) {
  ItemBackoff b(std::chrono::milliseconds(5), std::chrono::milliseconds(1000));
  EXPECT_EQ(b.Next("a").count(), 5);
  EXPECT_EQ(b.Next("a").count(), 10);
  EXPECT_EQ(b.Next("a").count(), 20);
  for (int i = 0; i < 20; ++i) b.Next("a");
  EXPECT_EQ(b.Next("a").count(), 1000);
  b.Forget("a");
  EXPECT_EQ(b.Next("a").count(), 5);
}

}  // namespace
}  // namespace common::metrics
