// Rate limiting: a token bucket (client QPS/burst) and per-item exponential backoff.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace common {

// A token bucket refilled at `qps` tokens per second up to `burst` tokens,
// starting full (client-go's flowcontrol.NewTokenBucketRateLimiter). Thread-safe.
class TokenBucket {
 public:
  // qps <= 0 means unlimited.
  TokenBucket(double qps, int burst);
  // Blocks until a token is available, then takes it.
  void Wait();
  // Takes a token if one is available now.
  bool TryTake();
  // Time until the next token would be available (0 when one is).
  std::chrono::nanoseconds Delay();

 private:
  void RefillLocked(std::chrono::steady_clock::time_point now);
  std::mutex mu_;
  double qps_;
  double burst_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
};

// Per-item exponential backoff: base * 2^failures, capped
// (client-go's ItemExponentialFailureRateLimiter). Thread-safe.
class ItemBackoff {
 public:
  ItemBackoff(std::chrono::milliseconds base, std::chrono::milliseconds cap)
      : base_(base), cap_(cap) {}
  // Records one more failure of `item` and returns how long to wait before retrying it.
  std::chrono::milliseconds Next(const std::string& item);
  // Forgets `item`'s failures (after a success).
  void Forget(const std::string& item);
  int Failures(const std::string& item);

 private:
  std::mutex mu_;
  std::chrono::milliseconds base_, cap_;
  std::unordered_map<std::string, int> failures_;
};

}  // namespace common
