#include <gtest/gtest.h>

#include <filesystem>
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

class MvccCompactTest : public testing::ModeTest {};
class MvccQuotaTest : public testing::ModeTest {};
class MvccMaintenanceTest : public testing::ModeTest {};

kv::DeleteRangeRequest Del(std::string k, std::string end = "") {
  kv::DeleteRangeRequest d;
  d.key = std::move(k);
  d.range_end = std::move(end);
  return d;
}

TEST_P(MvccCompactTest, ReadsAtAndBelowTheCompactRevision) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("k", "1")).ok());  // 2
  ASSERT_TRUE(s->Put(PutReq("k", "2")).ok());  // 3
  ASSERT_TRUE(s->Put(PutReq("j", "3")).ok());  // 4
  ASSERT_TRUE(s->DeleteRange(Del("j")).ok());  // 5
  ASSERT_TRUE(s->Put(PutReq("k", "5")).ok());  // 6
  auto c = s->Compact(5, true);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->revision, 6);
  EXPECT_EQ(s->CompactRevision(), 5);
  auto below = s->Range(RangeReq("k", "", 4));
  EXPECT_EQ(below.status().message(), kv::kErrCompacted);
  EXPECT_EQ(kv::GrpcCode(below.status()), 11);
  auto at = s->Range(RangeReq("k", "", 5));  // strict <: reading AT it works
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->kvs[0].value, "2");
  EXPECT_TRUE(s->Range(RangeReq("j", "", 5))->kvs.empty());
  EXPECT_EQ(s->Range(RangeReq("k"))->kvs[0].value, "5");
  EXPECT_EQ(s->Range(RangeReq("k"))->kvs[0].create_revision, 2);
  EXPECT_EQ(s->Range(RangeReq("k"))->kvs[0].version, 3);
  // Compacting again at or below, or in the future, fails as etcd does.
  EXPECT_EQ(s->Compact(5).status().message(), kv::kErrCompacted);
  EXPECT_EQ(s->Compact(2).status().message(), kv::kErrCompacted);
  auto f = s->Compact(7);
  EXPECT_EQ(f.status().message(), kv::kErrFutureRev);
  EXPECT_EQ(kv::GrpcCode(f.status()), 11);
  // The delete at the compact revision was removed with its key: a watch from
  // the compact revision sees only what survived.
  Collector col;
  kv::WatchRequest w;
  w.key = "a";
  w.range_end = "z";
  w.start_revision = 5;
  auto h = s->Watch(w, col.Callback());
  ASSERT_TRUE(col.WaitEvents(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto ev = col.Events();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kv.mod_revision, 6);
  // A txn range below the compact revision fails the whole txn.
  kv::TxnRequest t;
  t.success = {kv::RequestOp{RangeReq("k", "", 2)}};
  EXPECT_EQ(s->Txn(t).status().message(), kv::kErrCompacted);
}

TEST_P(MvccCompactTest, PersistsAcrossRestart) {
  TempDir dir;
  {
    auto s = OpenOrDie(Options(dir.path()));
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(s->Put(PutReq("k", std::to_string(i))).ok());
    ASSERT_TRUE(s->DeleteRange(Del("k")).ok());  // 12
    ASSERT_TRUE(s->Compact(12, true).ok());
  }
  auto s = OpenOrDie(Options(dir.path()));
  EXPECT_EQ(s->CompactRevision(), 12);
  // Every record of k is gone, yet the revision counter continues.
  EXPECT_EQ(s->CurrentRevision(), 12);
  EXPECT_EQ(s->Range(RangeReq("k", "", 11)).status().message(), kv::kErrCompacted);
  EXPECT_EQ(s->Put(PutReq("k", "new"))->revision, 13);
}

TEST_P(MvccCompactTest, InterruptedCompactionResumesAtOpen) {
  TempDir dir;
  auto o = Options(dir.path());
  o.compaction_batch_keys = 1;
  int64_t rev;
  {
    auto s = OpenOrDie(o);
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < 300; ++i) ASSERT_TRUE(s->Put(PutReq("k/" + std::to_string(i), std::to_string(round))).ok());
    }
    rev = s->CurrentRevision();
    // Not physical: the store closes with (most of) the removal still to do.
    ASSERT_TRUE(s->Compact(rev, false).ok());
  }
  auto s = OpenOrDie(o);
  EXPECT_EQ(s->CompactRevision(), rev);
  EXPECT_EQ(s->Range(RangeReq("k/0", "", rev - 1)).status().message(), kv::kErrCompacted);
  ASSERT_TRUE(s->Put(PutReq("x", "1")).ok());
  // A later physical compaction waits for the resumed one too.
  ASSERT_TRUE(s->Compact(s->CurrentRevision(), true).ok());
  auto r = s->Range(RangeReq("k/", kv::PrefixEnd("k/")));
  ASSERT_EQ(r->count, 300);
  for (const auto& kv : r->kvs) {
    EXPECT_EQ(kv.value, "2");
    EXPECT_EQ(kv.version, 3);
  }
  // Superseded revisions are gone from the file: in use shrank to about one
  // record per key.
  auto st = s->GetStatus();
  EXPECT_LT(st->db_size_in_use, st->db_size);
}

TEST_P(MvccCompactTest, LongHistoryOfOneKeySpansSteps) {
  TempDir dir;
  auto o = Options(dir.path());
  o.compaction_batch_keys = 2;  // at most 32 revisions per step
  auto s = OpenOrDie(o);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(s->Put(PutReq("hot", std::to_string(i))).ok());
  ASSERT_TRUE(s->Put(PutReq("cold", "c")).ok());
  ASSERT_TRUE(s->DeleteRange(Del("hot")).ok());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(s->Put(PutReq("hot", std::to_string(i))).ok());
  int64_t mid = s->CurrentRevision() - 50;
  ASSERT_TRUE(s->Compact(mid, true).ok());
  auto at = s->Range(RangeReq("hot", "", mid));
  ASSERT_EQ(at->kvs.size(), 1u);
  EXPECT_EQ(at->kvs[0].value, "49");
  EXPECT_EQ(at->kvs[0].version, 50);
  auto now = s->Range(RangeReq("hot"));
  EXPECT_EQ(now->kvs[0].value, "99");
  EXPECT_EQ(now->kvs[0].version, 100);
  EXPECT_EQ(s->Range(RangeReq("cold"))->kvs[0].value, "c");
  // Reopen: the index rebuilt from what is left agrees.
  s.reset();
  s = OpenOrDie(o);
  EXPECT_EQ(s->Range(RangeReq("hot", "", mid))->kvs[0].value, "49");
  EXPECT_EQ(s->Range(RangeReq("hot"))->kvs[0].version, 100);
}

TEST_P(MvccCompactTest, InStepsUnderConcurrentWrites) {
  TempDir dir;
  auto o = Options(dir.path());
  o.compaction_batch_keys = 7;
  auto s = OpenOrDie(o);
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(s->Put(PutReq("key/" + std::to_string(i), std::to_string(round))).ok());
    }
  }
  for (int i = 0; i < 100; i += 2) ASSERT_TRUE(s->DeleteRange(Del("key/" + std::to_string(i))).ok());
  int64_t rev = s->CurrentRevision();
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    int n = 0;
    while (!stop) ASSERT_TRUE(s->Put(PutReq("other/" + std::to_string(n++ % 50), "v")).ok());
  });
  ASSERT_TRUE(s->Compact(rev, true).ok());
  stop = true;
  writer.join();
  auto r = s->Range(RangeReq("key/", kv::PrefixEnd("key/")));
  ASSERT_EQ(r->count, 50);
  for (const auto& kv : r->kvs) {
    EXPECT_EQ(kv.value, "4");
    EXPECT_EQ(kv.version, 5);
  }
  EXPECT_EQ(s->Range(RangeReq("key/", kv::PrefixEnd("key/"), rev))->count, 50);
}

TEST_P(MvccCompactTest, CompactedRangeDuringWatchReplay) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(s->Put(PutReq("k", std::to_string(i))).ok());
  ASSERT_TRUE(s->Compact(10, true).ok());
  Collector c;
  kv::WatchRequest w;
  w.key = "k";
  w.start_revision = 10;
  auto h = s->Watch(w, c.Callback());
  ASSERT_TRUE(c.WaitEvents(12));
  EXPECT_EQ(c.Events().front().kv.mod_revision, 10);
  EXPECT_EQ(c.Events().back().kv.mod_revision, 21);
}

TEST_P(MvccCompactTest, LatestReadsNeverFailWhileCompacting) {
  TempDir dir;
  auto o = Options(dir.path());
  o.compaction_batch_keys = 3;
  auto s = OpenOrDie(o);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(s->Put(PutReq("k/" + std::to_string(i), "0")).ok());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int n = 0; !stop; ++n) ASSERT_TRUE(s->Put(PutReq("k/" + std::to_string(n % 20), std::to_string(n))).ok());
  });
  std::thread compactor([&] {
    while (!stop) {
      auto c = s->Compact(s->CurrentRevision() - 1, false);
      ASSERT_TRUE(c.ok() || c.status().message() == kv::kErrCompacted) << c.status().ToString();
    }
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      kv::Compare c;
      c.key = "k/7";
      c.target = kv::Compare::Target::kCreate;
      c.result = kv::Compare::Result::kGreater;
      c.number = 0;
      kv::TxnRequest txn;
      txn.compare = {c};
      txn.success = {kv::RequestOp{RangeReq("k/", kv::PrefixEnd("k/"))}};
      for (int i = 0; i < 3000; ++i) {
        auto r = s->Range(RangeReq("k/", kv::PrefixEnd("k/")));
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        ASSERT_EQ(r->count, 20);
        auto t = s->Txn(txn);
        ASSERT_TRUE(t.ok()) << t.status().ToString();
        ASSERT_TRUE(t->succeeded);
      }
    });
  }
  for (auto& r : readers) r.join();
  stop = true;
  writer.join();
  compactor.join();
}

TEST_P(MvccQuotaTest, NoSpaceAlarmAndRecovery) {
  TempDir dir;
  auto o = Options(dir.path());
  o.quota_bytes = 2 << 20;
  std::string big(100 * 1024, 'x');
  {
    auto s = OpenOrDie(o);
    int i = 0;
    Status err;
    for (; i < 100; ++i) {
      auto p = s->Put(PutReq("big/" + std::to_string(i), big));
      if (!p.ok()) {
        err = p.status();
        break;
      }
    }
    ASSERT_LT(i, 100);
    EXPECT_EQ(err.message(), kv::kErrNoSpace);
    EXPECT_EQ(kv::GrpcCode(err), 8);
    auto st = s->GetStatus();
    EXPECT_EQ(st->alarms, (std::vector<std::string>{"NOSPACE"}));
    // Even a small put is refused now, and so is a txn that puts, and a lease.
    EXPECT_EQ(s->Put(PutReq("small", "1")).status().message(), kv::kErrNoSpace);
    kv::TxnRequest t;
    t.success = {kv::RequestOp{PutReq("small", "1")}};
    EXPECT_EQ(s->Txn(t).status().message(), kv::kErrNoSpace);
    EXPECT_EQ(s->LeaseGrant(10).status().message(), kv::kErrNoSpace);
    // Reads, deletes and compaction keep working.
    EXPECT_GT(s->Range(RangeReq("big/", kv::PrefixEnd("big/")))->count, 0);
    kv::TxnRequest rd;
    rd.success = {kv::RequestOp{RangeReq("big/0")}};
    EXPECT_TRUE(s->Txn(rd).ok());
  }
  // The alarm survives a restart.
  auto s = OpenOrDie(o);
  EXPECT_EQ(s->GetStatus()->alarms.size(), 1u);
  auto d = s->DeleteRange(Del("big/", kv::PrefixEnd("big/")));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_TRUE(s->Compact(s->CurrentRevision(), true).ok());
  int64_t before = s->GetStatus()->db_size;
  ASSERT_TRUE(s->Defragment().ok());
  auto st = s->GetStatus();
  EXPECT_LT(st->db_size, before);
  EXPECT_LT(st->db_size, o.quota_bytes / 2);
  // Still refused until the operator disarms (as etcd).
  EXPECT_EQ(s->Put(PutReq("small", "1")).status().message(), kv::kErrNoSpace);
  ASSERT_TRUE(s->DisarmAlarms().ok());
  EXPECT_TRUE(s->GetStatus()->alarms.empty());
  EXPECT_TRUE(s->Put(PutReq("small", "1")).ok());
}

TEST_P(MvccMaintenanceTest, DefragmentUnderLoadLosesNothing) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(s->Put(PutReq("k/" + std::to_string(i % 200), std::string(500, 'v'))).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> acked{0};
  std::thread writer([&] {
    while (!stop) {
      ASSERT_TRUE(s->Put(PutReq("w/" + std::to_string(acked.load()), "v")).ok());
      ++acked;
    }
  });
  std::thread reader([&] {
    while (!stop) ASSERT_TRUE(s->Range(RangeReq("k/", kv::PrefixEnd("k/"))).ok());
  });
  ASSERT_TRUE(s->Compact(s->CurrentRevision(), true).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(s->Defragment().ok());
  stop = true;
  writer.join();
  reader.join();
  EXPECT_EQ(s->Range(RangeReq("w/", kv::PrefixEnd("w/")))->count, acked.load());
  EXPECT_EQ(s->Range(RangeReq("k/", kv::PrefixEnd("k/")))->count, 200);
}

TEST_P(MvccMaintenanceTest, SnapshotRestoresIntoANewDataDir) {
  TempDir dir, restored;
  auto snap = dir.path() + "/snap.db";
  int64_t lease;
  {
    auto s = OpenOrDie(Options(dir.path() + "/data"));
    auto g = s->LeaseGrant(100);
    lease = g->id;
    ASSERT_TRUE(s->Put(PutReq("a", "1", lease)).ok());
    ASSERT_TRUE(s->Put(PutReq("a", "2", lease)).ok());
    ASSERT_TRUE(s->Put(PutReq("b", "3")).ok());
    ASSERT_TRUE(s->Compact(2, true).ok());
    ASSERT_TRUE(s->SnapshotTo(snap).ok());
    ASSERT_TRUE(s->Put(PutReq("after", "x")).ok());
  }
  std::filesystem::copy_file(snap, restored.path() + "/data.mdb");
  auto s = OpenOrDie(Options(restored.path()));
  EXPECT_EQ(s->CurrentRevision(), 4);
  EXPECT_EQ(s->CompactRevision(), 2);
  EXPECT_EQ(s->Range(RangeReq("a"))->kvs[0].value, "2");
  EXPECT_TRUE(s->Range(RangeReq("after"))->kvs.empty());
  EXPECT_EQ(s->LeaseTimeToLive(lease, true)->keys, (std::vector<std::string>{"a"}));
  EXPECT_FALSE(s->SnapshotTo("/nonexistent/dir/snap").ok());
}

TEST_P(MvccMaintenanceTest, StatusAndRevisions) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("a", "1")).ok());
  auto st = s->GetStatus();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->revision, 2);
  EXPECT_GT(st->db_size, 0);
  EXPECT_GT(st->db_size_in_use, 0);
  EXPECT_LE(st->db_size_in_use, st->db_size);
  EXPECT_EQ(st->version, kEtcdVersion);
  EXPECT_TRUE(st->alarms.empty());
}

INSTANTIATE_TEST_SUITE_P(Modes, MvccCompactTest, testing::AllModes(), testing::ModeName);
INSTANTIATE_TEST_SUITE_P(Modes, MvccQuotaTest, testing::AllModes(), testing::ModeName);
INSTANTIATE_TEST_SUITE_P(Modes, MvccMaintenanceTest, testing::AllModes(), testing::ModeName);

}  // namespace
}  // namespace common::mvcc
