// Concurrent writers, readers and watchers (live, replaying, slow); the
// watchers' event streams must replay to exactly the final state.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "common/metrics.h"
#include "common/mvcc.h"
#include "mvcc_test_util.h"

namespace common::mvcc {
namespace {

using testing::Collector;
using testing::OpenOrDie;
using testing::Options;
using testing::PutReq;
using testing::RangeReq;
using testing::TempDir;

// Applies events to a map and checks revisions only move forward.
void Replay(const std::vector<kv::Event>& events, std::map<std::string, kv::KeyValue>* state,
            int64_t* last_rev) {
  for (const auto& ev : events) {
    ASSERT_GE(ev.kv.mod_revision, *last_rev);
    *last_rev = ev.kv.mod_revision;
    if (ev.type == kv::Event::Type::kPut) {
      (*state)[ev.kv.key] = ev.kv;
    } else {
      state->erase(ev.kv.key);
    }
  }
}

TEST(MvccStress, WatchersReplayToTheFinalState) {
  TempDir dir;
  auto o = Options(dir.path());
  o.watch_buffer_events = 64;  // force some watchers through catch-up
  auto s = OpenOrDie(o);
  const std::string prefix = "s/";
  Collector live;
  kv::WatchRequest wr;
  wr.key = prefix;
  wr.range_end = kv::PrefixEnd(prefix);
  auto w1 = s->Watch(wr, live.Callback());
  ASSERT_TRUE(w1.ok());

  std::atomic<bool> stop{false};
  // Halfway through, every writer waits until the two late watchers have
  // joined, so they join mid-stream however the threads are scheduled (the
  // writers can finish in less time than a loaded machine takes to wake the
  // main thread; a watcher joining after the last write sees no event).
  constexpr int kWriters = 4;
  std::atomic<int> at_half{0};
  std::atomic<bool> joined{false};
  std::vector<std::thread> ts;
  for (int t = 0; t < kWriters; ++t) {
    ts.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      for (int i = 0; i < 400; ++i) {
        if (i == 200) {
          ++at_half;
          joined.wait(false);
        }
        std::string key = prefix + std::to_string(rng() % 40);
        switch (rng() % 4) {
          case 0:
          case 1:
            ASSERT_TRUE(s->Put(PutReq(key, std::to_string(i))).ok());
            break;
          case 2: {
            kv::DeleteRangeRequest d;
            d.key = key;
            if (rng() % 3 == 0) d.range_end = kv::PrefixEnd(key);
            ASSERT_TRUE(s->DeleteRange(d).ok());
            break;
          }
          default: {
            kv::TxnRequest txn;
            kv::Compare c;
            c.key = key;
            c.target = kv::Compare::Target::kVersion;
            c.result = kv::Compare::Result::kGreater;
            c.number = 0;
            txn.compare = {c};
            txn.success = {kv::RequestOp{PutReq(key, "txn")},
                           kv::RequestOp{PutReq(key + "/child", "c")}};
            kv::DeleteRangeRequest d;
            d.key = key + "/child";
            txn.failure = {kv::RequestOp{PutReq(key, "created")}, kv::RequestOp{d}};
            ASSERT_TRUE(s->Txn(txn).ok());
          }
        }
      }
    });
  }
  std::thread reader([&] {
    while (!stop) {
      auto r = s->Range(RangeReq(prefix, kv::PrefixEnd(prefix)));
      ASSERT_TRUE(r.ok());
      for (const auto& kv : r->kvs) ASSERT_LE(kv.mod_revision, r->revision);
    }
  });
  // A second watcher joins midway from revision 2: it replays from the
  // database, then continues live.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (at_half.load() < kWriters && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  bool halfway = at_half.load() == kWriters;
  Collector replayed;
  wr.start_revision = 2;
  auto w2 = s->Watch(wr, replayed.Callback());
  // A slow watcher, held up by its callback, catches up from the database.
  Collector slow_sink;
  auto slow_cb = slow_sink.Callback();
  wr.start_revision = 0;
  auto w3 = s->Watch(wr, [&](kv::WatchResponse r) {
    std::this_thread::sleep_for(std::chrono::microseconds(300));
    slow_cb(std::move(r));
  });
  joined = true;
  joined.notify_all();
  for (auto& t : ts) t.join();
  int64_t end_rev = s->CurrentRevision();
  stop = true;
  reader.join();
  ASSERT_TRUE(halfway) << "the writers did not reach halfway within 60 s";
  ASSERT_TRUE(w2.ok() && w3.ok());

  auto final_state = s->Range(RangeReq(prefix, kv::PrefixEnd(prefix)));
  ASSERT_TRUE(final_state.ok());
  std::map<std::string, kv::KeyValue> want;
  for (const auto& kv : final_state->kvs) want[kv.key] = kv;

  auto check = [&](Collector& c, bool from_start) {
    // Wait until the stream reaches the end revision (generously: the slow
    // watcher sleeps in every callback, and CI machines can be very loaded).
    for (int i = 0; i < 24000; ++i) {
      auto ev = c.Events();
      if (!ev.empty() && ev.back().kv.mod_revision >= end_rev) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    {
      int64_t prev = 0;
      auto rs = c.Responses();
      for (size_t i = 0; i < rs.size(); ++i) {
        if (rs[i].events.empty()) continue;
        if (rs[i].events.front().kv.mod_revision < prev) {
          for (size_t j = (i > 3 ? i - 3 : 0); j < std::min(rs.size(), i + 3); ++j) {
            fprintf(stderr, "resp %zu rev=%lld n=%zu first=%lld last=%lld\n", j, (long long)rs[j].revision,
                    rs[j].events.size(), rs[j].events.empty() ? 0LL : (long long)rs[j].events.front().kv.mod_revision,
                    rs[j].events.empty() ? 0LL : (long long)rs[j].events.back().kv.mod_revision);
          }
          break;
        }
        prev = rs[i].events.back().kv.mod_revision;
      }
    }
    std::map<std::string, kv::KeyValue> got;
    int64_t last = 0;
    Replay(c.Events(), &got, &last);
    EXPECT_EQ(last, end_rev);
    if (!from_start) return;
    ASSERT_EQ(got.size(), want.size());
    for (const auto& [k, kv] : want) {
      ASSERT_TRUE(got.count(k)) << k;
      EXPECT_EQ(got[k].value, kv.value) << k;
      EXPECT_EQ(got[k].mod_revision, kv.mod_revision) << k;
      EXPECT_EQ(got[k].version, kv.version) << k;
      EXPECT_EQ(got[k].create_revision, kv.create_revision) << k;
    }
  };
  check(live, true);
  check(replayed, true);
  check(slow_sink, false);
  for (const auto& r : replayed.Responses()) EXPECT_FALSE(r.canceled);
}

TEST(MvccMetrics, ExposesEtcdNames) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("a", "1")).ok());
  ASSERT_TRUE(s->Range(RangeReq("a")).ok());
  ASSERT_TRUE(s->GetStatus().ok());
  std::string text = metrics::Registry::Default().Expose();
  for (const char* name :
       {"etcd_mvcc_db_total_size_in_bytes", "etcd_mvcc_db_total_size_in_use_in_bytes",
        "etcd_disk_backend_commit_duration_seconds_bucket", "etcd_mvcc_put_total",
        "etcd_mvcc_delete_total", "etcd_mvcc_txn_total", "etcd_mvcc_range_total",
        "etcd_debugging_mvcc_keys_total", "etcd_debugging_mvcc_watcher_total",
        "etcd_server_quota_backend_bytes", "etcd_debugging_mvcc_current_revision"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace common::mvcc
