// Notices process exits as they happen (the event side of the kubelet's
// PLEG): one epoll thread waiting on pidfds, so an exit is seen within
// microseconds without polling every process.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"

namespace nodeagent {

class ExitWatcher {
 public:
  ExitWatcher();
  ~ExitWatcher();  // stops the thread; pending callbacks are dropped
  ExitWatcher(const ExitWatcher&) = delete;
  ExitWatcher& operator=(const ExitWatcher&) = delete;

  // Calls `on_exit` once, on the watcher thread, when process `pid` exits.
  // `start_time` (from ProcessStartTime) guards against a reused pid: a
  // mismatch, or a process already gone, calls `on_exit` at once. Children
  // of this process are reaped. Callbacks must not block. Thread-safe.
  void Watch(int pid, uint64_t start_time, std::function<void()> on_exit);
  // Number of processes being watched.
  size_t size() const;

 private:
  void Loop();
  int epfd_ = -1;
  int wakefd_ = -1;
  mutable std::mutex mu_;
  std::map<int, std::pair<int, std::function<void()>>> by_fd_;  // pidfd -> (pid, callback)
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nodeagent
