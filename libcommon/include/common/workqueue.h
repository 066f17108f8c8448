// client-go's rate-limited work queue: a FIFO of keys that never holds a key
// twice and never hands out a key that a worker is still processing, with
// delayed adds, per-item exponential backoff combined with an overall token
// bucket, and the upstream workqueue_* metrics.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/metrics.h"

namespace common {

// Decides how long an item waits before it is retried. Implementations are
// thread-safe.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Records one more retry of `item` and returns how long to wait for it.
  virtual std::chrono::nanoseconds When(const std::string& item) = 0;
  // Stops tracking `item` (after it succeeded).
  virtual void Forget(const std::string& item) = 0;
  // How many times `item` has been retried since it was last forgotten.
  virtual int NumRequeues(const std::string& item) = 0;
};

// base * 2^retries, capped at `max` (client-go's
// ItemExponentialFailureRateLimiter).
class ItemExponentialRateLimiter : public RateLimiter {
 public:
  ItemExponentialRateLimiter(std::chrono::nanoseconds base, std::chrono::nanoseconds max);
  std::chrono::nanoseconds When(const std::string& item) override;
  void Forget(const std::string& item) override;
  int NumRequeues(const std::string& item) override;

 private:
  std::mutex mu_;
  std::chrono::nanoseconds base_, max_;
  std::unordered_map<std::string, int> failures_;
};

// An overall token bucket of `qps` and `burst`: each When() reserves the next
// token and returns how long until it is due (client-go's BucketRateLimiter).
// It does not track items: Forget is a no-op and NumRequeues is 0.
class BucketRateLimiter : public RateLimiter {
 public:
  BucketRateLimiter(double qps, int burst);
  std::chrono::nanoseconds When(const std::string& item) override;
  void Forget(const std::string&) override {}
  int NumRequeues(const std::string&) override { return 0; }

 private:
  std::mutex mu_;
  double qps_;
  double burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
};

// The longest wait of several limiters (client-go's MaxOfRateLimiter).
class MaxOfRateLimiter : public RateLimiter {
 public:
  explicit MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters);
  std::chrono::nanoseconds When(const std::string& item) override;
  void Forget(const std::string& item) override;
  int NumRequeues(const std::string& item) override;

 private:
  std::vector<std::unique_ptr<RateLimiter>> limiters_;
};

// client-go's DefaultControllerRateLimiter: the max of a per-item
// exponential backoff from 5 ms to 1000 s and an overall 10 qps / burst 100
// token bucket.
std::unique_ptr<RateLimiter> DefaultControllerRateLimiter();

struct WorkQueueOptions {
  // The `name` label of the queue's metrics; "" records no metrics.
  std::string name;
  // Null means DefaultControllerRateLimiter().
  std::unique_ptr<RateLimiter> rate_limiter;
  // Where the metrics go; null means metrics::Registry::Default().
  metrics::Registry* registry = nullptr;
};

// A rate-limited work queue (client-go's TypedRateLimitingInterface over
// string keys). Thread-safe; any number of producers and workers.
//
// The contract a worker follows:
//   while (auto key = queue.Get()) {
//     Status st = Sync(*key);
//     if (st.ok()) queue.Forget(*key); else queue.AddRateLimited(*key);
//     queue.Done(*key);
//   }
// An item is queued at most once however often it is added; an item a
// worker holds (between Get and Done) is never handed to another worker; if
// it is added meanwhile it is queued again by Done.
class WorkQueue {
 public:
  explicit WorkQueue(WorkQueueOptions options = {});
  explicit WorkQueue(std::string name) : WorkQueue(WorkQueueOptions{.name = std::move(name)}) {}
  ~WorkQueue();  // ShutDown(), then joins the delay thread
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `item` unless it is already queued; ignored after ShutDown.
  void Add(const std::string& item);
  // Adds `item` once `delay` has passed (at once when delay <= 0). If it is
  // already waiting, the earlier of the two times wins.
  void AddAfter(const std::string& item, std::chrono::nanoseconds delay);
  // AddAfter(item, rate_limiter.When(item)): the retry path of a failed sync.
  void AddRateLimited(const std::string& item);
  // Clears the rate limiter's memory of `item` (its backoff restarts at the base).
  void Forget(const std::string& item);
  int NumRequeues(const std::string& item);

  // Blocks until an item is available and returns it, marking it as being
  // processed; returns nullopt once the queue is shut down and empty.
  std::optional<std::string> Get();
  // Marks `item` as processed; if it was added while processing, it is
  // queued again now. REQUIRES: `item` came from Get().
  void Done(const std::string& item);

  // Items queued and not yet handed out (delayed items are not counted).
  size_t Len() const;
  // Stops accepting items and wakes every Get(): workers drain what is
  // queued, then Get returns nullopt. Delayed items are dropped.
  void ShutDown();
  // ShutDown, then waits until every item handed out has been Done
  // (workers keep draining the queue meanwhile).
  void ShutDownWithDrain();
  bool ShuttingDown() const;

 private:
  struct State;
  void DelayLoop();

  std::shared_ptr<State> state_;
  std::thread delay_thread_;
};

}  // namespace common
