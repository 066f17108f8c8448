// Helpers for the MVCC engine's tests.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "common/mvcc.h"

namespace common::mvcc::testing {

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mvcc-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A manual clock for lease expiry.
class FakeClock {
 public:
  std::chrono::steady_clock::time_point Now() const {
    return base_ + std::chrono::milliseconds(offset_ms_.load());
  }
  void Advance(std::chrono::milliseconds d) { offset_ms_ += d.count(); }

 private:
  std::chrono::steady_clock::time_point base_ = std::chrono::steady_clock::now();
  std::atomic<int64_t> offset_ms_{0};
};

// Collects watch responses; Wait* helpers block with generous timeouts (the
// machine may be loaded), never assert on latency.
class Collector {
 public:
  kv::WatchCallback Callback() {
    return [this](kv::WatchResponse r) {
      std::lock_guard<std::mutex> lk(mu_);
      responses_.push_back(std::move(r));
      cv_.notify_all();
    };
  }
  // Waits until `n` events arrived in total (or 20 s).
  bool WaitEvents(size_t n) {
    std::unique_lock<std::mutex> lk(mu_);
    return cv_.wait_for(lk, std::chrono::seconds(20), [&] { return EventsLocked().size() >= n; });
  }
  bool WaitResponses(size_t n) {
    std::unique_lock<std::mutex> lk(mu_);
    return cv_.wait_for(lk, std::chrono::seconds(20), [&] { return responses_.size() >= n; });
  }
  std::vector<kv::Event> Events() {
    std::lock_guard<std::mutex> lk(mu_);
    return EventsLocked();
  }
  std::vector<kv::WatchResponse> Responses() {
    std::lock_guard<std::mutex> lk(mu_);
    return responses_;
  }

 private:
  std::vector<kv::Event> EventsLocked() const {
    std::vector<kv::Event> out;
    for (const auto& r : responses_) out.insert(out.end(), r.events.begin(), r.events.end());
    return out;
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<kv::WatchResponse> responses_;
};

inline std::unique_ptr<MvccStore> OpenOrDie(const MvccOptions& o) {
  auto s = MvccStore::Open(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

// How Options() sets up a store: suites of semantics run once per mode (see
// ModeTest), since kWal serves recent writes from its pending buffer and the
// other modes from LMDB. "WalEager" checkpoints continuously, so reads race
// with checkpoints moving records from the buffer into LMDB.
struct TestMode {
  SyncMode mode = SyncMode::kWal;
  std::chrono::milliseconds checkpoint_interval{100};
  const char* name = "Wal";
};

inline TestMode& CurrentTestMode() {
  static TestMode mode;
  return mode;
}

inline MvccOptions Options(const std::string& dir) {
  MvccOptions o;
  o.dir = dir;
  o.fsync = false;  // tests of semantics; durability has its own tests
  o.sync_mode = CurrentTestMode().mode;
  o.checkpoint_interval = CurrentTestMode().checkpoint_interval;
  return o;
}

// A suite parameterized over the modes:
//   class MvccFooTest : public ModeTest {};
//   TEST_P(MvccFooTest, Bar) { ... Options(dir) ... }
//   INSTANTIATE_TEST_SUITE_P(Modes, MvccFooTest, AllModes(), ModeName);
class ModeTest : public ::testing::TestWithParam<TestMode> {
 protected:
  void SetUp() override { CurrentTestMode() = GetParam(); }
  void TearDown() override { CurrentTestMode() = TestMode{}; }
};

inline auto AllModes() {
  return ::testing::Values(TestMode{SyncMode::kWal, std::chrono::milliseconds(100), "Wal"},
                           TestMode{SyncMode::kWal, std::chrono::milliseconds(0), "WalEager"},
                           TestMode{SyncMode::kFull, std::chrono::milliseconds(100), "Full"});
}

inline std::string ModeName(const ::testing::TestParamInfo<TestMode>& info) {
  return info.param.name;
}

inline kv::PutRequest PutReq(std::string k, std::string v, int64_t lease = 0) {
  kv::PutRequest p;
  p.key = std::move(k);
  p.value = std::move(v);
  p.lease = lease;
  return p;
}

inline kv::RangeRequest RangeReq(std::string k, std::string end = "", int64_t rev = 0) {
  kv::RangeRequest r;
  r.key = std::move(k);
  r.range_end = std::move(end);
  r.revision = rev;
  return r;
}

inline std::vector<std::string> Keys(const kv::RangeResponse& r) {
  std::vector<std::string> out;
  for (const auto& kv : r.kvs) out.push_back(kv.key);
  return out;
}

}  // namespace common::mvcc::testing
