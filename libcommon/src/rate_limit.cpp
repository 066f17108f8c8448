#include "common/rate_limit.h"

#include <algorithm>
#include <thread>

namespace common {

TokenBucket::TokenBucket(double qps, int burst)
    : qps_(qps), burst_(std::max(1, burst)), tokens_(std::max(1, burst)),
      last_(std::chrono::steady_clock::now()) {}

void TokenBucket::RefillLocked(std::chrono::steady_clock::time_point now) {
  double secs = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  tokens_ = std::min(burst_, tokens_ + secs * qps_);
}

bool TokenBucket::TryTake() {
  if (qps_ <= 0) return true;
  std::lock_guard<std::mutex> lock(mu_);
  RefillLocked(std::chrono::steady_clock::now());
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

std::chrono::nanoseconds TokenBucket::Delay() {
  if (qps_ <= 0) return std::chrono::nanoseconds(0);
  std::lock_guard<std::mutex> lock(mu_);
  RefillLocked(std::chrono::steady_clock::now());
  if (tokens_ >= 1) return std::chrono::nanoseconds(0);
  return std::chrono::nanoseconds(static_cast<int64_t>((1 - tokens_) / qps_ * 1e9));
}

void TokenBucket::Wait() {
  if (qps_ <= 0) return;
  // Reserve a token now (possibly going negative) and sleep off the debt, so
  // waiters are served in arrival order without polling.
  std::chrono::nanoseconds wait;
  {
    std::lock_guard<std::mutex> lock(mu_);
    RefillLocked(std::chrono::steady_clock::now());
    tokens_ -= 1;
    wait = tokens_ >= 0 ? std::chrono::nanoseconds(0)
                        : std::chrono::nanoseconds(static_cast<int64_t>(-tokens_ / qps_ * 1e9));
  }
  if (wait.count() > 0) std::this_thread::sleep_for(wait);
}

std::chrono::milliseconds ItemBackoff::Next(const std::string& item) {
  std::lock_guard<std::mutex> lock(mu_);
  int n = failures_[item]++;
  double ms = static_cast<double>(base_.count());
  for (int i = 0; i < n && ms < static_cast<double>(cap_.count()); ++i) ms *= 2;
  return std::min(cap_, std::chrono::milliseconds(static_cast<int64_t>(ms)));
}

void ItemBackoff::Forget(const std::string& item) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(item);
}

int ItemBackoff::Failures(const std::string& item) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(item);
  return it == failures_.end() ? 0 : it->second;
}

}  // namespace common
