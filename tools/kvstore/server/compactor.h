// etcd's --auto-compaction-mode/--auto-compaction-retention: a thread that
// compacts the history periodically.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "common/mvcc.h"

namespace kvstore {

struct CompactorOptions {
  // "periodic": keep `period` of history; "revision": keep `revisions` revisions.
  bool periodic = true;
  std::chrono::milliseconds period{0};
  int64_t revisions = 0;
};

// Starts on construction (a no-op when the retention is 0), stops on destruction.
class Compactor {
 public:
  Compactor(common::mvcc::MvccStore* store, CompactorOptions options);
  ~Compactor();

 private:
  void Loop();

  common::mvcc::MvccStore* store_;
  CompactorOptions opts_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// Parses --auto-compaction-retention for `mode`: periodic takes a duration
// ("1h", "30m") or a bare number of hours; revision takes a count.
common::Result<CompactorOptions> ParseRetention(const std::string& mode,
                                                const std::string& retention);

}  // namespace kvstore
