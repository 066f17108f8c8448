// kube-proxy's BoundedFrequencyRunner: runs a function when asked, but no
// more often than a token bucket allows (a burst of `burst`, then one per
// `min_interval`), and at least every `max_interval`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace proxyrules {

// Thread-safe.
class BoundedFrequencyRunner {
 public:
  using Clock = std::chrono::steady_clock;

  // `fn` runs on the runner's own thread, never concurrently with itself.
  BoundedFrequencyRunner(std::function<void()> fn, std::chrono::milliseconds min_interval,
                         std::chrono::milliseconds max_interval, int burst);
  ~BoundedFrequencyRunner();  // Stop()

  // Starts the loop; the first run happens when Run() is first called or
  // max_interval after Start.
  void Start();
  // Asks for a run as soon as the rate limit allows. Never blocks.
  void Run();
  // Schedules a run after `delay` unless one happens sooner (a failed sync's
  // retry).
  void RetryAfter(std::chrono::milliseconds delay);
  // Ends the loop after the current run. Idempotent.
  void Stop();

 private:
  void Loop();

  std::function<void()> fn_;
  std::chrono::milliseconds min_interval_, max_interval_;
  double burst_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool poke_ = false;  // Run or RetryAfter since the loop last looked
  bool stop_ = false;
  double tokens_;
  Clock::time_point last_refill_;
  Clock::time_point last_run_;
  Clock::time_point retry_at_ = Clock::time_point::max();
  std::thread thread_;
};

}  // namespace proxyrules
