// Fork-join parallel loops over nodes, the way upstream's
// framework/parallelize runs Filter and Score: the calling thread works too,
// indices are handed out in chunks, and the call returns when all are done.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace schedule {

// Thread-safe for one caller at a time (the scheduling thread); Until calls
// do not nest.
class Parallelizer {
 public:
  // Uses min(parallelism, hardware threads) threads including the caller:
  // extra goroutines cost Go nothing, extra OS threads would only contend.
  explicit Parallelizer(int parallelism);
  ~Parallelizer();
  Parallelizer(const Parallelizer&) = delete;
  Parallelizer& operator=(const Parallelizer&) = delete;

  // Calls fn(i) for every i in [0, n). Work is split into chunks of at least
  // `min_chunk` indices; when that leaves a single chunk the caller runs it
  // alone, because waking a thread costs more than a few cheap iterations.
  // fn must not throw.
  void Until(int n, const std::function<void(int)>& fn, int min_chunk = 1);

  int parallelism() const { return parallelism_; }
  int threads() const { return static_cast<int>(workers_.size()) + 1; }

 private:
  void Work();
  void RunChunks();

  int parallelism_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;       // workers wait for a job
  std::condition_variable done_cv_;  // caller waits for workers
  uint64_t job_ = 0;
  bool stop_ = false;
  int active_ = 0;  // workers still inside the current job
  // The current job.
  const std::function<void(int)>* fn_ = nullptr;
  int n_ = 0;
  int chunk_ = 1;
  std::atomic<int> next_{0};
};

}  // namespace schedule
