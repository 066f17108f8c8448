// One thread running callbacks at given times: re-syncs after back-offs,
// grace periods, probe periods, fake container delays.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace nodeagent {

// Thread-safe. Callbacks run on the timer thread and must be quick (they
// usually just queue work elsewhere).
class TimerQueue {
 public:
  using Clock = std::chrono::steady_clock;
  TimerQueue();
  ~TimerQueue();  // drops pending callbacks
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Runs `fn` at (or soon after) `when`. Returns an id for Cancel.
  uint64_t At(Clock::time_point when, std::function<void()> fn);
  uint64_t After(Clock::duration d, std::function<void()> fn) { return At(Clock::now() + d, std::move(fn)); }
  // Cancels a pending callback; false if it already ran or is unknown.
  bool Cancel(uint64_t id);
  size_t size() const;

 private:
  void Loop();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<Clock::time_point, std::pair<uint64_t, std::function<void()>>> q_;
  std::map<uint64_t, Clock::time_point> ids_;
  uint64_t next_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nodeagent
