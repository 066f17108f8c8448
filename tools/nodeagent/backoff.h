// Container restart back-off (CrashLoopBackOff): the kubelet's
// flowcontrol.Backoff keyed per container — 10 s doubling to 5 min, forgotten
// once a container ran for 10 min (twice the cap) since its last restart.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace nodeagent {

class RestartBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  using Duration = std::chrono::nanoseconds;

  explicit RestartBackoff(Duration initial = std::chrono::seconds(10),
                          Duration max = std::chrono::seconds(300))
      : initial_(initial), max_(max) {}

  // Decides whether the container `key` (which finished at `finished`) may be
  // restarted at `now`. Returns 0 when it may, and records the restart (the
  // next back-off doubles); otherwise the delay still left. The first restart
  // after a fresh start is immediate, as upstream's. Thread-safe.
  Duration TryRestart(const std::string& key, Clock::time_point finished, Clock::time_point now);

  // The current back-off period of `key` (0 when unknown), for messages.
  Duration Current(const std::string& key) const;

  // Forgets `key` (its pod is gone).
  void Forget(const std::string& key);
  // Forgets every key starting with `prefix`.
  void ForgetPrefix(const std::string& prefix);

 private:
  struct Entry {
    Duration backoff;
    Clock::time_point last_update;
  };
  bool Expired(const Entry& e, Clock::time_point event) const {
    return event - e.last_update > 2 * max_;
  }

  Duration initial_, max_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace nodeagent
