#include "timer_queue.h"

#include <pthread.h>

namespace nodeagent {

TimerQueue::TimerQueue() {
  thread_ = std::thread([this] { Loop(); });
  pthread_setname_np(thread_.native_handle(), "timers");
}

TimerQueue::~TimerQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

uint64_t TimerQueue::At(Clock::time_point when, std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t id = next_++;
  bool earliest = q_.empty() || when < q_.begin()->first;
  q_.emplace(when, std::make_pair(id, std::move(fn)));
  ids_[id] = when;
  if (earliest) cv_.notify_all();
  return id;
}

bool TimerQueue::Cancel(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = ids_.find(id);
  if (it == ids_.end()) return false;
  auto range = q_.equal_range(it->second);
  for (auto q = range.first; q != range.second; ++q)
    if (q->second.first == id) {
      q_.erase(q);
      break;
    }
  ids_.erase(it);
  return true;
}

size_t TimerQueue::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return q_.size();
}

void TimerQueue::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (q_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto first = q_.begin();
    if (first->first > Clock::now()) {
      cv_.wait_until(lock, first->first);
      continue;
    }
    auto fn = std::move(first->second.second);
    ids_.erase(first->second.first);
    q_.erase(first);
    lock.unlock();
    fn();
    lock.lock();
  }
}

}  // namespace nodeagent
