// Time sources: the real monotonic clock for the daemon, a settable one for
// the simulator (which jumps to the next backoff expiry instead of waiting)
// and for tests.
#pragma once

#include <atomic>
#include <chrono>

namespace schedule {

using MonoTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual MonoTime Now() const = 0;
};

class RealClock : public Clock {
 public:
  MonoTime Now() const override { return std::chrono::steady_clock::now(); }
};

// Starts at an arbitrary epoch; only moves when told. Thread-safe.
class FakeClock : public Clock {
 public:
  MonoTime Now() const override { return MonoTime(std::chrono::nanoseconds(now_.load())); }
  void Set(MonoTime t) { now_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::nanoseconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_{int64_t{1000000000} * 3600};
};

}  // namespace schedule
