// A fixed pool of worker threads running queued closures in FIFO order.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace common {

// Thread-safe. The destructor finishes every queued task, then joins.
class ThreadPool {
 public:
  // REQUIRES: threads > 0.
  explicit ThreadPool(int threads, std::string name = "worker");
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `fn`; it runs on some worker. Tasks must not throw.
  void Submit(std::function<void()> fn);
  // Number of tasks queued and not yet started.
  size_t Queued() const;
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void Loop();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace common
