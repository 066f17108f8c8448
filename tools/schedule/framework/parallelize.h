// Fork-join parallel loops over nodes, the way upstream's
// framework/parallelize runs Filter and Score: the calling thread works too,
// index ranges are handed out on demand, and the call returns when all are done.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
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

  // Calls fn(begin, end) on disjoint ranges covering [0, n). Ranges hold at
  // least `min_chunk` indices; when that leaves a single range the caller
  // runs it alone, because waking a thread costs more than a few cheap
  // iterations. The caller never waits for a worker that has not started:
  // it takes the remaining ranges itself (this matters on a busy machine).
  // fn must not throw.
  void Until(int n, const std::function<void(int, int)>& fn, int min_chunk = 1);

  int parallelism() const { return parallelism_; }
  int threads() const { return static_cast<int>(workers_.size()) + 1; }

 private:
  struct Job {
    const std::function<void(int, int)>* fn;
    int n;
    int chunk;
    std::atomic<int> next{0};
    std::atomic<int> done{0};
  };
  void Work();
  // Runs ranges of `job` until none is left; returns true if it finished the job.
  static bool RunRanges(Job& job);

  int parallelism_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;       // workers wait for a job
  std::condition_variable done_cv_;  // the caller waits for ranges in progress
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::shared_ptr<Job> job_;
};

}  // namespace schedule
