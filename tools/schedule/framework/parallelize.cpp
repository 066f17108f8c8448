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

void Parallelizer::RunChunks() {
  for (;;) {
    int start = next_.fetch_add(chunk_, std::memory_order_relaxed);
    if (start >= n_) return;
    int end = std::min(n_, start + chunk_);
    for (int i = start; i < end; ++i) (*fn_)(i);
  }
}

void Parallelizer::Work() {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || job_ != seen; });
      if (stop_) return;
      seen = job_;
    }
    RunChunks();
    std::lock_guard<std::mutex> lock(mu_);
    if (--active_ == 0) done_cv_.notify_one();
  }
}

void Parallelizer::Until(int n, const std::function<void(int)>& fn, int min_chunk) {
  if (n <= 0) return;
  // Upstream's chunk size: sqrt(n), at least 1, so every thread gets several chunks.
  int chunk = std::max({1, min_chunk, static_cast<int>(std::sqrt(static_cast<double>(n)))});
  if (workers_.empty() || n <= chunk) {
    for (int i = 0; i < n; ++i) fn(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    fn_ = &fn;
    n_ = n;
    chunk_ = chunk;
    next_.store(0, std::memory_order_relaxed);
    active_ = static_cast<int>(workers_.size());
    ++job_;
  }
  cv_.notify_all();
  RunChunks();
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return active_ == 0; });
  fn_ = nullptr;
}

}  // namespace schedule
