// In-process throughput of the MVCC engine (no HTTP): puts and single-key
// ranges with 1 and 16 threads, watch fan-out, and RSS with 100,000 keys of
// 1 KiB. Built and run by bench/mvcc/run.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/mvcc.h"

using common::mvcc::MvccOptions;
using common::mvcc::MvccStore;
using common::mvcc::SyncMode;
namespace kv = common::kv;
using Clock = std::chrono::steady_clock;

namespace {

std::string TempDir() {
  std::string t = (std::filesystem::temp_directory_path() / "mvcc-bench-XXXXXX").string();
  return mkdtemp(t.data());
}

std::unique_ptr<MvccStore> Open(const std::string& dir, bool fsync, SyncMode mode) {
  MvccOptions o;
  o.dir = dir;
  o.fsync = fsync;
  o.sync_mode = mode;
  auto s = MvccStore::Open(o);
  if (!s.ok()) {
    fprintf(stderr, "open: %s\n", s.status().ToString().c_str());
    exit(1);
  }
  return std::move(s).value();
}

long RssKiB() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Runs `op(thread, i)` from `threads` threads for about `seconds`; prints
// ops/s and latency percentiles.
template <typename F>
void Measure(const char* name, int threads, double seconds, F op) {
  std::vector<std::vector<double>> lat(static_cast<size_t>(threads));
  std::atomic<bool> stop{false};
  std::vector<std::thread> ts;
  auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        auto t0 = Clock::now();
        op(t, i);
        lat[static_cast<size_t>(t)].push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : ts) th.join();
  double took = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0 : all[static_cast<size_t>(p * (all.size() - 1))]; };
  printf("%-34s threads=%-3d ops/s=%9.0f  p50=%7.1fus  p99=%7.1fus\n", name, threads,
         static_cast<double>(all.size()) / took, pct(0.5), pct(0.99));
  fflush(stdout);
}

void PutBench(const char* name, bool fsync, SyncMode mode, int threads) {
  std::string dir = TempDir();
  {
    auto s = Open(dir, fsync, mode);
    std::string value(256, 'v');
    Measure(name, threads, 3.0, [&](int t, int i) {
      kv::PutRequest p;
      p.key = "/bench/" + std::to_string(t) + "/" + std::to_string(i % 1000);
      p.value = value;
      if (!s->Put(p).ok()) abort();
    });
  }
  std::filesystem::remove_all(dir);
}

// One submitting thread keeps `inflight` asynchronous puts outstanding, as an
// event-loop server would (no thread per write).
void AsyncPutBench(const char* name, bool fsync, int inflight) {
  std::string dir = TempDir();
  {
    auto s = Open(dir, fsync, SyncMode::kFull);
    std::string value(256, 'v');
    std::mutex mu;
    std::condition_variable cv;
    int outstanding = 0;
    long done = 0;
    auto start = Clock::now();
    auto until = start + std::chrono::seconds(3);
    for (long i = 0; Clock::now() < until; ++i) {
      {
        std::unique_lock<std::mutex> lk(mu);
        cv.wait(lk, [&] { return outstanding < inflight; });
        ++outstanding;
      }
      kv::PutRequest p;
      p.key = "/bench/" + std::to_string(i % 1000);
      p.value = value;
      s->PutAsync(std::move(p), [&](common::Result<kv::PutResponse> r) {
        if (!r.ok()) abort();
        std::lock_guard<std::mutex> lk(mu);
        --outstanding;
        ++done;
        cv.notify_all();
      });
    }
    std::unique_lock<std::mutex> lk(mu);
    cv.wait(lk, [&] { return outstanding == 0; });
    double took = std::chrono::duration<double>(Clock::now() - start).count();
    printf("%-34s inflight=%-3d ops/s=%9.0f\n", name, inflight, static_cast<double>(done) / took);
  }
  std::filesystem::remove_all(dir);
}

void RangeBench(int threads) {
  std::string dir = TempDir();
  {
    auto s = Open(dir, false, SyncMode::kFull);
    std::string value(256, 'v');
    for (int i = 0; i < 1000; ++i) {
      kv::PutRequest p;
      p.key = "/bench/" + std::to_string(i);
      p.value = value;
      s->Put(p);
    }
    Measure("range 1 key", threads, 3.0, [&](int, int i) {
      kv::RangeRequest r;
      r.key = "/bench/" + std::to_string(i % 1000);
      auto rr = s->Range(r);
      if (!rr.ok() || rr->kvs.size() != 1) abort();
    });
  }
  std::filesystem::remove_all(dir);
}

void WatchFanout() {
  std::string dir = TempDir();
  {
    auto s = Open(dir, true, SyncMode::kFull);
    std::atomic<int> got{0};
    std::vector<std::unique_ptr<kv::Watcher>> ws;
    for (int i = 0; i < 10000; ++i) {
      kv::WatchRequest w;
      w.key = "/registry/pods/";
      w.range_end = kv::PrefixEnd(w.key);
      ws.push_back(s->Watch(w, [&](kv::WatchResponse r) { got += static_cast<int>(r.events.size()); }).value());
    }
    auto t0 = Clock::now();
    kv::PutRequest p;
    p.key = "/registry/pods/default/web-1";
    p.value = std::string(1024, 'x');
    s->Put(p);
    while (got < 10000) std::this_thread::yield();
    printf("%-34s watchers=10000 all delivered in %.1f ms (put incl. fsync)\n", "watch fan-out 1 put",
           std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    ws.clear();
  }
  std::filesystem::remove_all(dir);
}

void Memory() {
  std::string dir = TempDir();
  long before = RssKiB();
  auto anon = [] { std::ifstream f("/proc/self/status"); std::string l; long a = -1, fl = -1; while (std::getline(f, l)) { if (l.rfind("RssAnon:", 0) == 0) a = std::stol(l.substr(8)); if (l.rfind("RssFile:", 0) == 0) fl = std::stol(l.substr(8)); } return std::to_string(a / 1024) + " MiB anon + " + std::to_string(fl / 1024) + " MiB file"; };
  {
    auto s = Open(dir, false, SyncMode::kFull);
    std::string value(1024, 'v');
    // Batches of concurrent writers fill it quickly.
    std::vector<std::thread> ts;
    for (int t = 0; t < 8; ++t) {
      ts.emplace_back([&, t] {
        for (int i = t; i < 100000; i += 8) {
          kv::PutRequest p;
          char key[64];
          snprintf(key, sizeof(key), "/registry/configmaps/default/cm-%06d", i);
          p.key = key;
          p.value = value;
          if (!s->Put(p).ok()) abort();
        }
      });
    }
    for (auto& t : ts) t.join();
    // The engine drops clean mapped pages every 10 s; measure after that.
    std::this_thread::sleep_for(std::chrono::seconds(11));
    long loaded = RssKiB();
    printf("  (%s)\n", anon().c_str());
    auto st = s->GetStatus();
    printf("%-34s rss=%ld MiB (delta %ld MiB) db=%.1f MiB\n", "100k keys x 1 KiB, after load",
           loaded / 1024, (loaded - before) / 1024, static_cast<double>(st->db_size) / (1 << 20));
    s.reset();
    auto s2 = Open(dir, false, SyncMode::kFull);
    auto t0 = Clock::now();
    kv::RangeRequest r;
    r.key = "/registry/configmaps/";
    r.range_end = kv::PrefixEnd(r.key);
    r.count_only = true;
    auto c = s2->Range(r);
    printf("%-34s rss=%ld MiB after reopen (index rebuild), count=%lld, range %.1f ms\n",
           "100k keys x 1 KiB, reopened", RssKiB() / 1024, static_cast<long long>(c->count),
           std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::filesystem::remove_all(dir);
}

// The disk's flush latency in this run: every fsync figure above is bound by it.
void Disk() {
  std::string dir = TempDir();
  std::string path = dir + "/f";
  int fd = open(path.c_str(), O_CREAT | O_RDWR, 0600);
  char buf[4096] = {1};
  std::vector<double> lat;
  for (int i = 0; i < 300; ++i) {
    auto t0 = Clock::now();
    if (pwrite(fd, buf, sizeof(buf), (i % 64) * 4096) != sizeof(buf) || fdatasync(fd) != 0) abort();
    lat.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  close(fd);
  std::sort(lat.begin(), lat.end());
  printf("%-34s p50=%7.1fus  p99=%7.1fus\n", "disk: 4 KiB pwrite + fdatasync", lat[lat.size() / 2],
         lat[lat.size() * 99 / 100]);
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  std::string only = argc > 1 ? argv[1] : "";
  auto want = [&](const char* n) { return only.empty() || only == n; };
  if (want("put")) {
    Disk();
    PutBench("put fsync (kFull, 2 flushes)", true, SyncMode::kFull, 1);
    PutBench("put fsync (kFull, 2 flushes)", true, SyncMode::kFull, 16);
    PutBench("put fsync (kSingleFlush)", true, SyncMode::kSingleFlush, 1);
    PutBench("put fsync (kSingleFlush)", true, SyncMode::kSingleFlush, 16);
    PutBench("put no fsync", false, SyncMode::kFull, 1);
    PutBench("put no fsync", false, SyncMode::kFull, 16);
    AsyncPutBench("put async, fsync (kFull)", true, 16);
    AsyncPutBench("put async, no fsync", false, 16);
  }
  if (want("range")) {
    RangeBench(1);
    RangeBench(16);
  }
  if (want("watch")) WatchFanout();
  if (want("memory")) Memory();
  return 0;
}
