#include <gtest/gtest.h>

#include <thread>

#include "common/mvcc.h"
#include "mvcc_test_util.h"

namespace common::mvcc {
namespace {

using testing::FakeClock;
using testing::OpenOrDie;
using testing::Options;
using testing::PutReq;
using testing::RangeReq;
using testing::TempDir;

class MvccLeaseTest : public testing::ModeTest {};

MvccOptions LeaseOptions(const std::string& dir, FakeClock* clock) {
  auto o = Options(dir);
  o.clock = [clock] { return clock->Now(); };
  o.lease_check_interval = std::chrono::milliseconds(5);
  return o;
}

// Waits (generously) until `pred` holds.
template <typename F>
bool Eventually(F pred) {
  for (int i = 0; i < 2000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

TEST_P(MvccLeaseTest, GrantMinimumTtlAndIds) {
  TempDir dir;
  FakeClock clock;
  auto s = OpenOrDie(LeaseOptions(dir.path(), &clock));
  auto g = s->LeaseGrant(1);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->ttl, 2);  // raised to etcd's minimum
  EXPECT_GT(g->id, 0);
  auto g2 = s->LeaseGrant(60);
  EXPECT_NE(g2->id, g->id);
  EXPECT_EQ(g2->ttl, 60);
  auto g3 = s->LeaseGrant(10, 42);
  EXPECT_EQ(g3->id, 42);
  auto dup = s->LeaseGrant(10, 42);
  EXPECT_EQ(dup.status().message(), kv::kErrLeaseExists);
  EXPECT_EQ(kv::GrpcCode(dup.status()), 9);
  EXPECT_EQ(s->LeaseGrant(kMaxLeaseTtl + 1).status().message(), kErrLeaseTtlTooLarge);
  auto list = s->LeaseList();
  EXPECT_EQ(list->size(), 3u);
  // Leases do not consume revisions.
  EXPECT_EQ(s->CurrentRevision(), 1);
}

TEST_P(MvccLeaseTest, RevokeDeletesKeysInOneRevision) {
  TempDir dir;
  FakeClock clock;
  auto s = OpenOrDie(LeaseOptions(dir.path(), &clock));
  auto g = s->LeaseGrant(100);
  ASSERT_TRUE(s->Put(PutReq("a", "1", g->id)).ok());  // 2
  ASSERT_TRUE(s->Put(PutReq("b", "1", g->id)).ok());  // 3
  ASSERT_TRUE(s->Put(PutReq("c", "1")).ok());         // 4
  auto ttl = s->LeaseTimeToLive(g->id, true);
  EXPECT_EQ(ttl->keys, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ttl->granted_ttl, 100);
  EXPECT_EQ(ttl->ttl, 100);
  EXPECT_EQ(s->Range(RangeReq("a"))->kvs[0].lease, g->id);
  ASSERT_TRUE(s->LeaseRevoke(g->id).ok());
  EXPECT_EQ(s->CurrentRevision(), 5);
  EXPECT_EQ(s->Range(RangeReq("a", "z"))->count, 1);
  EXPECT_EQ(s->LeaseRevoke(g->id).message(), kv::kErrLeaseNotFound);
  EXPECT_EQ(s->LeaseTimeToLive(g->id, false)->ttl, -1);
  // Revoking a lease without keys consumes no revision.
  auto g2 = s->LeaseGrant(100);
  ASSERT_TRUE(s->LeaseRevoke(g2->id).ok());
  EXPECT_EQ(s->CurrentRevision(), 5);
}

TEST_P(MvccLeaseTest, ReattachAndDetach) {
  TempDir dir;
  FakeClock clock;
  auto s = OpenOrDie(LeaseOptions(dir.path(), &clock));
  auto l1 = s->LeaseGrant(100);
  auto l2 = s->LeaseGrant(100);
  ASSERT_TRUE(s->Put(PutReq("k", "1", l1->id)).ok());
  ASSERT_TRUE(s->Put(PutReq("k", "2", l2->id)).ok());
  EXPECT_TRUE(s->LeaseTimeToLive(l1->id, true)->keys.empty());
  EXPECT_EQ(s->LeaseTimeToLive(l2->id, true)->keys.size(), 1u);
  // ignore_lease keeps the lease.
  kv::PutRequest p;
  p.key = "k";
  p.value = "3";
  p.ignore_lease = true;
  ASSERT_TRUE(s->Put(p).ok());
  EXPECT_EQ(s->Range(RangeReq("k"))->kvs[0].lease, l2->id);
  // A plain put drops it.
  ASSERT_TRUE(s->Put(PutReq("k", "4")).ok());
  EXPECT_TRUE(s->LeaseTimeToLive(l2->id, true)->keys.empty());
  ASSERT_TRUE(s->LeaseRevoke(l2->id).ok());
  EXPECT_EQ(s->Range(RangeReq("k"))->kvs[0].value, "4");
}

TEST_P(MvccLeaseTest, ExpiryRevokesAndKeepAliveRenews) {
  TempDir dir;
  FakeClock clock;
  auto s = OpenOrDie(LeaseOptions(dir.path(), &clock));
  auto short_lease = s->LeaseGrant(5);
  auto kept = s->LeaseGrant(5);
  ASSERT_TRUE(s->Put(PutReq("gone", "1", short_lease->id)).ok());
  ASSERT_TRUE(s->Put(PutReq("stays", "1", kept->id)).ok());
  clock.Advance(std::chrono::seconds(3));
  EXPECT_EQ(s->LeaseTimeToLive(kept->id, false)->ttl, 2);
  EXPECT_EQ(*s->LeaseKeepAlive(kept->id), 5);
  EXPECT_EQ(s->LeaseTimeToLive(kept->id, false)->ttl, 5);
  clock.Advance(std::chrono::seconds(3));  // short expired, kept has 2 s left
  ASSERT_TRUE(Eventually([&] { return s->Range(RangeReq("gone"))->kvs.empty(); }));
  EXPECT_EQ(s->LeaseTimeToLive(short_lease->id, false)->ttl, -1);
  EXPECT_EQ(s->Range(RangeReq("stays"))->kvs.size(), 1u);
  EXPECT_EQ(*s->LeaseKeepAlive(short_lease->id), 0);
  EXPECT_EQ(*s->LeaseKeepAlive(123456), 0);
}

TEST_P(MvccLeaseTest, ManyLeasesExpireTogether) {
  TempDir dir;
  FakeClock clock;
  auto s = OpenOrDie(LeaseOptions(dir.path(), &clock));
  for (int i = 0; i < 200; ++i) {
    auto g = s->LeaseGrant(5);
    ASSERT_TRUE(g.ok());
    ASSERT_TRUE(s->Put(PutReq("e/" + std::to_string(i), "v", g->id)).ok());
  }
  int64_t before = s->CurrentRevision();
  clock.Advance(std::chrono::seconds(6));
  ASSERT_TRUE(Eventually([&] { return s->Range(RangeReq("e/", "e0"))->count == 0; }));
  EXPECT_TRUE(Eventually([&] { return s->LeaseList()->empty(); }));
  // One revision per revoked lease (each had one key).
  EXPECT_EQ(s->CurrentRevision(), before + 200);
}

TEST_P(MvccLeaseTest, PersistAndRefreshOnRestart) {
  TempDir dir;
  FakeClock clock;
  int64_t id;
  {
    auto s = OpenOrDie(LeaseOptions(dir.path(), &clock));
    auto g = s->LeaseGrant(30);
    id = g->id;
    ASSERT_TRUE(s->Put(PutReq("k", "v", id)).ok());
    clock.Advance(std::chrono::seconds(20));
    EXPECT_EQ(s->LeaseTimeToLive(id, false)->ttl, 10);
  }
  auto s = OpenOrDie(LeaseOptions(dir.path(), &clock));
  auto ttl = s->LeaseTimeToLive(id, true);
  // etcd refreshes every lease to its full TTL when it starts.
  EXPECT_EQ(ttl->ttl, 30);
  EXPECT_EQ(ttl->keys, (std::vector<std::string>{"k"}));
  ASSERT_TRUE(s->LeaseRevoke(id).ok());
  EXPECT_TRUE(s->Range(RangeReq("k"))->kvs.empty());
}

TEST_P(MvccLeaseTest, TxnPutWithLease) {
  TempDir dir;
  FakeClock clock;
  auto s = OpenOrDie(LeaseOptions(dir.path(), &clock));
  auto g = s->LeaseGrant(10);
  kv::TxnRequest t;
  t.success = {kv::RequestOp{PutReq("a", "1", g->id)}, kv::RequestOp{PutReq("b", "1", g->id)}};
  ASSERT_TRUE(s->Txn(t).ok());
  EXPECT_EQ(s->LeaseTimeToLive(g->id, true)->keys.size(), 2u);
  kv::Compare c;
  c.key = "a";
  c.target = kv::Compare::Target::kLease;
  c.number = g->id;
  kv::TxnRequest t2;
  t2.compare = {c};
  EXPECT_TRUE(s->Txn(t2)->succeeded);
}

INSTANTIATE_TEST_SUITE_P(Modes, MvccLeaseTest, testing::AllModes(), testing::ModeName);

}  // namespace
}  // namespace common::mvcc
