#include <gtest/gtest.h>

#include <thread>

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

class MvccWatchTest : public testing::ModeTest {};

kv::WatchRequest WatchReq(std::string key, std::string end = "", int64_t start = 0) {
  kv::WatchRequest w;
  w.key = std::move(key);
  w.range_end = std::move(end);
  w.start_revision = start;
  return w;
}

kv::DeleteRangeRequest Del(std::string k, std::string end = "") {
  kv::DeleteRangeRequest d;
  d.key = std::move(k);
  d.range_end = std::move(end);
  return d;
}

TEST_P(MvccWatchTest, LiveKeyAndPrefix) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("before", "x")).ok());
  Collector key, prefix;
  auto w1 = s->Watch(WatchReq("p/a"), key.Callback());
  auto w2 = s->Watch(WatchReq("p/", kv::PrefixEnd("p/")), prefix.Callback());
  ASSERT_TRUE(w1.ok() && w2.ok());
  ASSERT_TRUE(s->Put(PutReq("p/a", "1")).ok());      // 3
  ASSERT_TRUE(s->Put(PutReq("p/b", "2")).ok());      // 4
  ASSERT_TRUE(s->Put(PutReq("q", "3")).ok());        // 5
  ASSERT_TRUE(s->DeleteRange(Del("p/a")).ok());      // 6
  ASSERT_TRUE(prefix.WaitEvents(3));
  ASSERT_TRUE(key.WaitEvents(2));
  auto ev = prefix.Events();
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].kv.key, "p/a");
  EXPECT_EQ(ev[0].kv.value, "1");
  EXPECT_EQ(ev[0].kv.mod_revision, 3);
  EXPECT_EQ(ev[1].kv.key, "p/b");
  EXPECT_EQ(ev[2].type, kv::Event::Type::kDelete);
  // A DELETE event's kv is a tombstone: key and mod_revision only.
  EXPECT_EQ(ev[2].kv.key, "p/a");
  EXPECT_EQ(ev[2].kv.mod_revision, 6);
  EXPECT_EQ(ev[2].kv.version, 0);
  EXPECT_EQ(ev[2].kv.create_revision, 0);
  EXPECT_FALSE(ev[2].prev_kv.has_value());
  auto kev = key.Events();
  EXPECT_EQ(kev.size(), 2u);
  // Live responses carry their revision in the header.
  EXPECT_EQ(key.Responses()[0].revision, 3);
}

TEST_P(MvccWatchTest, ReplayFromStartRevisionWithPrevKv) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("k", "1")).ok());  // 2
  ASSERT_TRUE(s->Put(PutReq("k", "2")).ok());  // 3
  ASSERT_TRUE(s->Put(PutReq("o", "x")).ok());  // 4
  ASSERT_TRUE(s->DeleteRange(Del("k")).ok());  // 5
  Collector c;
  auto req = WatchReq("k", "", 2);
  req.prev_kv = true;
  auto w = s->Watch(req, c.Callback());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(c.WaitEvents(3));
  ASSERT_TRUE(s->Put(PutReq("k", "5")).ok());  // 6, live after replay
  ASSERT_TRUE(c.WaitEvents(4));
  auto ev = c.Events();
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_FALSE(ev[0].prev_kv.has_value());
  EXPECT_EQ(ev[1].kv.value, "2");
  ASSERT_TRUE(ev[1].prev_kv.has_value());
  EXPECT_EQ(ev[1].prev_kv->value, "1");
  EXPECT_EQ(ev[2].type, kv::Event::Type::kDelete);
  ASSERT_TRUE(ev[2].prev_kv.has_value());
  EXPECT_EQ(ev[2].prev_kv->value, "2");
  EXPECT_EQ(ev[3].kv.mod_revision, 6);
  EXPECT_EQ(ev[3].kv.version, 1);
  EXPECT_FALSE(ev[3].prev_kv.has_value());
  // Historical events came batched in one response with the store revision.
  auto rs = c.Responses();
  EXPECT_EQ(rs[0].events.size(), 3u);
  EXPECT_EQ(rs[0].revision, 5);
}

TEST_P(MvccWatchTest, FiltersAndLivePrevKv) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  Collector puts, dels;
  auto r1 = WatchReq("k");
  r1.no_delete = true;
  r1.prev_kv = true;
  auto r2 = WatchReq("k");
  r2.no_put = true;
  auto w1 = s->Watch(r1, puts.Callback());
  auto w2 = s->Watch(r2, dels.Callback());
  ASSERT_TRUE(s->Put(PutReq("k", "1")).ok());
  ASSERT_TRUE(s->Put(PutReq("k", "2")).ok());
  ASSERT_TRUE(s->DeleteRange(Del("k")).ok());
  ASSERT_TRUE(s->Put(PutReq("k", "3")).ok());
  ASSERT_TRUE(puts.WaitEvents(3));
  ASSERT_TRUE(dels.WaitEvents(1));
  auto p = puts.Events();
  for (const auto& e : p) EXPECT_EQ(e.type, kv::Event::Type::kPut);
  ASSERT_TRUE(p[1].prev_kv.has_value());
  EXPECT_EQ(p[1].prev_kv->value, "1");
  EXPECT_FALSE(p[2].prev_kv.has_value());
  EXPECT_EQ(dels.Events()[0].type, kv::Event::Type::kDelete);
}

TEST_P(MvccWatchTest, EventsOfOneRevisionStayTogether) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  Collector c;
  auto w = s->Watch(WatchReq("a", std::string(1, '\0')), c.Callback());
  kv::TxnRequest t;
  t.success = {kv::RequestOp{PutReq("a", "1")}, kv::RequestOp{PutReq("b", "2")},
               kv::RequestOp{PutReq("c", "3")}};
  ASSERT_TRUE(s->Txn(t).ok());
  ASSERT_TRUE(c.WaitEvents(3));
  auto rs = c.Responses();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].events.size(), 3u);
  for (const auto& e : rs[0].events) EXPECT_EQ(e.kv.mod_revision, 2);
}

TEST_P(MvccWatchTest, ReplayBatchesNeverSplitARevision) {
  TempDir dir;
  auto o = Options(dir.path());
  o.watch_batch_events = 2;
  auto s = OpenOrDie(o);
  for (int i = 0; i < 5; ++i) {
    kv::TxnRequest t;
    t.success = {kv::RequestOp{PutReq("a" + std::to_string(i), "1")},
                 kv::RequestOp{PutReq("b" + std::to_string(i), "2")},
                 kv::RequestOp{PutReq("c" + std::to_string(i), "3")}};
    ASSERT_TRUE(s->Txn(t).ok());
  }
  Collector c;
  auto w = s->Watch(WatchReq("a", std::string(1, '\0'), 2), c.Callback());
  ASSERT_TRUE(c.WaitEvents(15));
  for (const auto& r : c.Responses()) {
    ASSERT_EQ(r.events.size() % 3, 0u);
    for (size_t i = 0; i < r.events.size(); i += 3) {
      EXPECT_EQ(r.events[i].kv.mod_revision, r.events[i + 2].kv.mod_revision);
    }
  }
}

TEST_P(MvccWatchTest, CompactedStartRevision) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(s->Put(PutReq("k", std::to_string(i))).ok());
  ASSERT_TRUE(s->Compact(4, true).ok());
  Collector c;
  auto w = s->Watch(WatchReq("k", "", 2), c.Callback());
  ASSERT_TRUE(c.WaitResponses(1));
  auto rs = c.Responses();
  EXPECT_TRUE(rs[0].canceled);
  EXPECT_EQ(rs[0].compact_revision, 4);
  EXPECT_TRUE(rs[0].events.empty());
  // At exactly the compact revision the watch works.
  Collector ok;
  auto w2 = s->Watch(WatchReq("k", "", 4), ok.Callback());
  ASSERT_TRUE(ok.WaitEvents(2));
  EXPECT_EQ(ok.Events()[0].kv.mod_revision, 4);
  EXPECT_FALSE(ok.Responses()[0].canceled);
}

TEST_P(MvccWatchTest, CancelStopsCallbacks) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  std::atomic<int> calls{0};
  std::atomic<bool> canceled{false};
  std::atomic<bool> late{false};
  auto w = s->Watch(WatchReq("k"), [&](kv::WatchResponse) {
    if (canceled) late = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ++calls;
  });
  ASSERT_TRUE(w.ok());
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(s->Put(PutReq("k", std::to_string(i))).ok());
  });
  while (calls < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  (*w)->Cancel();
  canceled = true;
  writer.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(late);
  // Destroying the handle after Cancel is harmless; so is canceling from the callback.
  w->reset();
  std::unique_ptr<kv::Watcher> self;
  std::mutex mu;
  Collector c;
  std::atomic<int> seen{0};
  auto w2 = s->Watch(WatchReq("x"), [&](kv::WatchResponse) {
    ++seen;
    std::lock_guard<std::mutex> lk(mu);
    if (self) self->Cancel();
  });
  {
    std::lock_guard<std::mutex> lk(mu);
    self = std::move(*w2);
  }
  ASSERT_TRUE(s->Put(PutReq("x", "1")).ok());
  ASSERT_TRUE(s->Put(PutReq("x", "2")).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(seen, 1);
}

TEST_P(MvccWatchTest, ProgressRequests) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("a", "1")).ok());
  Collector c;
  auto w = s->Watch(WatchReq("zz"), c.Callback());
  ASSERT_TRUE(s->Put(PutReq("b", "1")).ok());
  // The dispatcher may not have seen revision 2 yet; wait until a progress
  // response reports it (progress revision never goes backwards).
  int64_t got = 0;
  for (int i = 0; i < 2000 && got < 3; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    (*w)->RequestProgress();
    ASSERT_TRUE(c.WaitResponses(static_cast<size_t>(i + 1)));
    auto rs = c.Responses();
    EXPECT_TRUE(rs.back().progress);
    EXPECT_TRUE(rs.back().events.empty());
    got = rs.back().revision;
  }
  EXPECT_EQ(got, 3);
}

TEST_P(MvccWatchTest, ProgressRequestedWhileCatchingUpIsAnsweredOnceSynced) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(s->Put(PutReq("k" + std::to_string(i), "v")).ok());
  Collector c;
  auto w = s->Watch(WatchReq("k", "l", 2), c.Callback());
  ASSERT_TRUE(w.ok());
  (*w)->RequestProgress();  // (most likely still replaying history)
  // No further write: the answer must not wait for one.
  for (int i = 0; i < 2000; ++i) {
    auto rs = c.Responses();
    if (!rs.empty() && rs.back().progress) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto rs = c.Responses();
  ASSERT_FALSE(rs.empty());
  EXPECT_TRUE(rs.back().progress);
  EXPECT_EQ(rs.back().revision, 51);
  size_t events = 0;
  for (const auto& r : rs) events += r.events.size();
  EXPECT_EQ(events, 50u);
}

TEST_P(MvccWatchTest, SlowWatcherCatchesUpWithoutBlockingOthers) {
  TempDir dir;
  auto o = Options(dir.path());
  o.watch_buffer_events = 10;
  auto s = OpenOrDie(o);
  std::mutex gate;
  gate.lock();  // the slow watcher's first callback blocks until released
  std::vector<int64_t> slow_revs;
  std::mutex slow_mu;
  std::atomic<bool> first{true};
  auto slow = s->Watch(WatchReq("k"), [&](kv::WatchResponse r) {
    if (first.exchange(false)) std::lock_guard<std::mutex> g(gate);
    std::lock_guard<std::mutex> lk(slow_mu);
    for (auto& e : r.events) slow_revs.push_back(e.kv.mod_revision);
  });
  Collector fast;
  auto f = s->Watch(WatchReq("k"), fast.Callback());
  constexpr int kN = 300;
  for (int i = 0; i < kN; ++i) ASSERT_TRUE(s->Put(PutReq("k", std::to_string(i))).ok());
  // Writers finished and the fast watcher got everything while the slow one
  // is still blocked.
  ASSERT_TRUE(fast.WaitEvents(kN));
  gate.unlock();
  for (int i = 0; i < 2000; ++i) {
    {
      std::lock_guard<std::mutex> lk(slow_mu);
      if (slow_revs.size() >= static_cast<size_t>(kN)) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::lock_guard<std::mutex> lk(slow_mu);
  ASSERT_EQ(slow_revs.size(), static_cast<size_t>(kN));
  for (int i = 0; i < kN; ++i) EXPECT_EQ(slow_revs[static_cast<size_t>(i)], i + 2);
}

TEST_P(MvccWatchTest, TenThousandWatchersOnOnePrefix) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  constexpr int kWatchers = 10000;
  std::atomic<int> got{0};
  std::vector<std::unique_ptr<kv::Watcher>> ws;
  ws.reserve(kWatchers);
  for (int i = 0; i < kWatchers; ++i) {
    auto w = s->Watch(WatchReq("/registry/pods/", kv::PrefixEnd("/registry/pods/")),
                      [&](kv::WatchResponse r) { got += static_cast<int>(r.events.size()); });
    ASSERT_TRUE(w.ok());
    ws.push_back(std::move(*w));
  }
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(s->Put(PutReq("/registry/pods/default/p1", "{}")).ok());
  while (got < kWatchers &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(30)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(got, kWatchers);
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("fanout_seconds", std::to_string(took));
  ws.clear();
}

TEST_P(MvccWatchTest, PeriodicProgressNotify) {
  TempDir dir;
  auto o = Options(dir.path());
  o.progress_notify_interval = std::chrono::milliseconds(20);
  o.lease_check_interval = std::chrono::milliseconds(5);
  auto s = OpenOrDie(o);
  Collector with, without;
  auto req = WatchReq("k");
  req.progress_notify = true;
  auto w1 = s->Watch(req, with.Callback());
  auto w2 = s->Watch(WatchReq("k"), without.Callback());
  ASSERT_TRUE(with.WaitResponses(2));
  for (const auto& r : with.Responses()) {
    EXPECT_TRUE(r.progress);
    EXPECT_EQ(r.revision, 1);
  }
  EXPECT_TRUE(without.Responses().empty());
}

TEST_P(MvccWatchTest, ThrowingCallbackDoesNotKillTheStore) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  auto bad = s->Watch(WatchReq("k"), [](kv::WatchResponse) { throw std::runtime_error("boom"); });
  Collector good;
  auto w = s->Watch(WatchReq("k"), good.Callback());
  ASSERT_TRUE(s->Put(PutReq("k", "1")).ok());
  ASSERT_TRUE(s->Put(PutReq("k", "2")).ok());
  ASSERT_TRUE(good.WaitEvents(2));
}

TEST_P(MvccWatchTest, FutureStartRevisionWaits) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  Collector c;
  auto w = s->Watch(WatchReq("k", "", 4), c.Callback());
  ASSERT_TRUE(s->Put(PutReq("k", "1")).ok());
  ASSERT_TRUE(s->Put(PutReq("k", "2")).ok());
  ASSERT_TRUE(s->Put(PutReq("k", "3")).ok());
  ASSERT_TRUE(c.WaitEvents(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto ev = c.Events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kv.mod_revision, 4);
}

INSTANTIATE_TEST_SUITE_P(Modes, MvccWatchTest, testing::AllModes(), testing::ModeName);

}  // namespace
}  // namespace common::mvcc
