#include "runner.h"

#include <algorithm>

namespace proxyrules {

BoundedFrequencyRunner::BoundedFrequencyRunner(std::function<void()> fn,
                                               std::chrono::milliseconds min_interval,
                                               std::chrono::milliseconds max_interval, int burst)
    : fn_(std::move(fn)),
      min_interval_(min_interval),
      max_interval_(max_interval),
      burst_(std::max(1, burst)),
      tokens_(burst_),
      last_refill_(Clock::now()),
      last_run_(Clock::now()) {}

BoundedFrequencyRunner::~BoundedFrequencyRunner() { Stop(); }

void BoundedFrequencyRunner::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stop_) return;
  last_run_ = Clock::now();
  thread_ = std::thread([this] { Loop(); });
}

void BoundedFrequencyRunner::Run() {
  std::lock_guard<std::mutex> lock(mu_);
  requested_ = true;
  poke_ = true;
  cv_.notify_all();
}

void BoundedFrequencyRunner::RetryAfter(std::chrono::milliseconds delay) {
  std::lock_guard<std::mutex> lock(mu_);
  retry_at_ = std::min(retry_at_, Clock::now() + delay);
  poke_ = true;
  cv_.notify_all();
}

void BoundedFrequencyRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void BoundedFrequencyRunner::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    poke_ = false;
    auto now = Clock::now();
    // Refill: one token per min_interval, up to the burst.
    double refill = min_interval_.count() > 0
                        ? std::chrono::duration<double>(now - last_refill_) /
                              std::chrono::duration<double>(min_interval_)
                        : burst_;
    tokens_ = std::min(burst_, tokens_ + refill);
    last_refill_ = now;

    bool due = requested_ || now >= retry_at_ || now - last_run_ >= max_interval_;
    if (due && tokens_ >= 1) {
      tokens_ -= 1;
      requested_ = false;
      retry_at_ = Clock::time_point::max();
      last_run_ = now;
      lock.unlock();
      fn_();
      lock.lock();
      continue;
    }
    // Sleep until the next token (when due), the retry, or the max interval.
    Clock::time_point wake = last_run_ + max_interval_;
    wake = std::min(wake, retry_at_);
    if (due) {
      auto need = std::chrono::duration<double>(min_interval_) * (1 - tokens_);
      wake = now + std::chrono::duration_cast<Clock::duration>(need);
    }
    cv_.wait_until(lock, wake, [&] { return stop_ || poke_; });
  }
}

}  // namespace proxyrules
