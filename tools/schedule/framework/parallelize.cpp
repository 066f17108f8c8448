#include "framework/parallelize.h"

#include <algorithm>
#include <cmath>

namespace schedule {

Parallelizer::Parallelizer(int parallelism) : parallelism_(std::max(1, parallelism)) {
  int hw = static_cast<int>(std::thread::hardware_concurrency());
  int threads = std::min(parallelism_, std::max(1, hw));
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { Work(); });
}

Parallelizer::~Parallelizer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

bool Parallelizer::RunRanges(Job& job) {
  bool finished = false;
  for (;;) {
    int start = job.next.fetch_add(job.chunk, std::memory_order_relaxed);
    if (start >= job.n) return finished;
    int end = std::min(job.n, start + job.chunk);
    (*job.fn)(start, end);
    if (job.done.fetch_add(end - start, std::memory_order_acq_rel) + (end - start) == job.n) finished = true;
  }
}

void Parallelizer::Work() {
  uint64_t seen = 0;
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      job = job_;
    }
    // A worker that wakes after the caller finished finds no range left and
    // never touches the caller's function.
    if (job && RunRanges(*job)) {
      std::lock_guard<std::mutex> lock(mu_);
      done_cv_.notify_all();
    }
  }
}

void Parallelizer::Until(int n, const std::function<void(int, int)>& fn, int min_chunk) {
  if (n <= 0) return;
  // Upstream's chunk size: sqrt(n), at least 1, so every thread gets several chunks.
  int chunk = std::max({1, min_chunk, static_cast<int>(std::sqrt(static_cast<double>(n)))});
  if (workers_.empty() || n <= chunk) {
    fn(0, n);
    return;
  }
  auto job = std::make_shared<Job>();
  job->fn = &fn;
  job->n = n;
  job->chunk = chunk;
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = job;
    ++generation_;
  }
  cv_.notify_all();
  RunRanges(*job);
  if (job->done.load(std::memory_order_acquire) == n) return;
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return job->done.load(std::memory_order_acquire) == n; });
}

}  // namespace schedule
