// GCC 12 at -O2 reports a false maybe-uninitialized inside std::variant when a
// Result<TxnResponse> passed by value is destroyed (AsyncWrites); -Werror builds stop on it.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>

#include "common/mvcc.h"
#include "mvcc_test_util.h"

namespace common::mvcc {
namespace {

using testing::Keys;
using testing::OpenOrDie;
using testing::Options;
using testing::PutReq;
using testing::RangeReq;
using testing::TempDir;

class MvccStoreTest : public testing::ModeTest {};

TEST_P(MvccStoreTest, RevisionsAndVersions) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  EXPECT_EQ(s->CurrentRevision(), 1);
  auto p1 = s->Put(PutReq("a", "1"));
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  EXPECT_EQ(p1->revision, 2);
  EXPECT_EQ(s->Put(PutReq("a", "2"))->revision, 3);
  EXPECT_EQ(s->Put(PutReq("b", "x"))->revision, 4);
  auto r = s->Range(RangeReq("a"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->kvs.size(), 1u);
  EXPECT_EQ(r->kvs[0].value, "2");
  EXPECT_EQ(r->kvs[0].create_revision, 2);
  EXPECT_EQ(r->kvs[0].mod_revision, 3);
  EXPECT_EQ(r->kvs[0].version, 2);
  EXPECT_EQ(r->revision, 4);
  EXPECT_EQ(r->count, 1);

  // A delete bumps the revision once for all keys and resets the version.
  kv::DeleteRangeRequest d;
  d.key = "a";
  d.range_end = "c";
  auto dr = s->DeleteRange(d);
  ASSERT_TRUE(dr.ok());
  EXPECT_EQ(dr->deleted, 2);
  EXPECT_EQ(dr->revision, 5);
  // Deleting nothing does not bump.
  auto dr2 = s->DeleteRange(d);
  EXPECT_EQ(dr2->deleted, 0);
  EXPECT_EQ(dr2->revision, 5);
  EXPECT_EQ(s->CurrentRevision(), 5);
  auto p = s->Put(PutReq("a", "new"));
  EXPECT_EQ(p->revision, 6);
  r = s->Range(RangeReq("a"));
  EXPECT_EQ(r->kvs[0].version, 1);
  EXPECT_EQ(r->kvs[0].create_revision, 6);
}

TEST_P(MvccStoreTest, EmptyKeyRejected) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  auto p = s->Put(PutReq("", "v"));
  EXPECT_EQ(p.status().message(), kv::kErrEmptyKey);
  EXPECT_EQ(kv::GrpcCode(p.status()), 3);
  EXPECT_EQ(s->Range(RangeReq("")).status().message(), kv::kErrEmptyKey);
  kv::DeleteRangeRequest d;
  EXPECT_EQ(s->DeleteRange(d).status().message(), kv::kErrEmptyKey);
  EXPECT_EQ(s->CurrentRevision(), 1);
}

TEST_P(MvccStoreTest, RangeEndSemantics) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  for (const char* k : {"a", "aa", "ab", "b", "c"}) ASSERT_TRUE(s->Put(PutReq(k, k)).ok());
  EXPECT_EQ(Keys(*s->Range(RangeReq("a"))), (std::vector<std::string>{"a"}));
  EXPECT_EQ(Keys(*s->Range(RangeReq("a", "b"))), (std::vector<std::string>{"a", "aa", "ab"}));
  EXPECT_EQ(Keys(*s->Range(RangeReq("a", kv::PrefixEnd("a")))),
            (std::vector<std::string>{"a", "aa", "ab"}));
  EXPECT_EQ(Keys(*s->Range(RangeReq("ab", std::string(1, '\0')))),
            (std::vector<std::string>{"ab", "b", "c"}));
  EXPECT_EQ(Keys(*s->Range(RangeReq(std::string(1, '\0'), std::string(1, '\0')))).size(), 5u);
  EXPECT_TRUE(s->Range(RangeReq("c", "a"))->kvs.empty());
  EXPECT_TRUE(s->Range(RangeReq("zz"))->kvs.empty());
  EXPECT_EQ(s->Range(RangeReq("zz"))->count, 0);
}

TEST_P(MvccStoreTest, LimitCountMore) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  for (const char* k : {"p/1", "p/2", "p/3"}) ASSERT_TRUE(s->Put(PutReq(k, "v")).ok());
  auto req = RangeReq("p/", kv::PrefixEnd("p/"));
  req.limit = 1;
  auto r = s->Range(req);
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"p/1"}));
  EXPECT_TRUE(r->more);
  EXPECT_EQ(r->count, 3);
  req.limit = 3;
  r = s->Range(req);
  EXPECT_EQ(r->kvs.size(), 3u);
  EXPECT_FALSE(r->more);
  req.limit = 0;
  req.count_only = true;
  r = s->Range(req);
  EXPECT_TRUE(r->kvs.empty());
  EXPECT_EQ(r->count, 3);
  req.count_only = false;
  req.keys_only = true;
  r = s->Range(req);
  ASSERT_EQ(r->kvs.size(), 3u);
  EXPECT_TRUE(r->kvs[0].value.empty());
  EXPECT_EQ(r->kvs[0].version, 1);
}

TEST_P(MvccStoreTest, SortOrders) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("k1", "c")).ok());  // rev 1
  ASSERT_TRUE(s->Put(PutReq("k2", "a")).ok());  // rev 2
  ASSERT_TRUE(s->Put(PutReq("k3", "b")).ok());  // rev 3
  ASSERT_TRUE(s->Put(PutReq("k1", "c2")).ok()); // rev 4, k1 version 2
  auto req = RangeReq("k", "l");
  req.sort_order = kv::SortOrder::kDescend;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"k3", "k2", "k1"}));
  req.sort_target = kv::SortTarget::kValue;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"k1", "k3", "k2"}));
  req.sort_order = kv::SortOrder::kAscend;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"k2", "k3", "k1"}));
  req.sort_target = kv::SortTarget::kMod;
  req.sort_order = kv::SortOrder::kDescend;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"k1", "k3", "k2"}));
  req.sort_target = kv::SortTarget::kCreate;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"k3", "k2", "k1"}));
  req.sort_target = kv::SortTarget::kVersion;
  req.sort_order = kv::SortOrder::kDescend;
  EXPECT_EQ(s->Range(req)->kvs[0].key, "k1");
  // A non-key target with order NONE sorts ascending (etcd), after the limit
  // cut in key order.
  req.sort_order = kv::SortOrder::kNone;
  req.sort_target = kv::SortTarget::kValue;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"k2", "k3", "k1"}));
  // Sorted with a limit: sort everything, then cut.
  req.sort_order = kv::SortOrder::kAscend;
  req.limit = 2;
  auto r = s->Range(req);
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"k2", "k3"}));
  EXPECT_TRUE(r->more);
  EXPECT_EQ(r->count, 3);
  // keys_only still sorts by value.
  req.keys_only = true;
  r = s->Range(req);
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"k2", "k3"}));
  EXPECT_TRUE(r->kvs[0].value.empty());
}

TEST_P(MvccStoreTest, SortQuirksMatchEtcd) {
  // Probed on etcd 3.4.23: a non-key target with order NONE sorts ascending,
  // but only the first limit+1 keys (in key order); an explicit order sorts
  // every key first.
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("s1", "c")).ok());
  ASSERT_TRUE(s->Put(PutReq("s2", "a")).ok());
  ASSERT_TRUE(s->Put(PutReq("s3", "b")).ok());
  ASSERT_TRUE(s->Put(PutReq("s4", "0")).ok());
  auto req = RangeReq("s", "t");
  req.sort_target = kv::SortTarget::kValue;
  req.limit = 2;
  auto r = s->Range(req);
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"s2", "s3"}));
  EXPECT_TRUE(r->more);
  EXPECT_EQ(r->count, 4);
  req.sort_order = kv::SortOrder::kAscend;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"s4", "s2"}));
  // Filters also fetch everything before the limit applies.
  auto f = RangeReq("s", "t");
  f.min_mod_revision = 3;
  f.limit = 1;
  r = s->Range(f);
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"s2"}));
  EXPECT_TRUE(r->more);
  EXPECT_EQ(r->count, 4);
}

TEST_P(MvccStoreTest, RevisionFilters) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("a", "1")).ok());  // 1
  ASSERT_TRUE(s->Put(PutReq("b", "1")).ok());  // 2
  ASSERT_TRUE(s->Put(PutReq("c", "1")).ok());  // 3
  ASSERT_TRUE(s->Put(PutReq("a", "2")).ok());  // 4
  auto req = RangeReq("a", "z");
  req.min_mod_revision = 4;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"a", "c"}));
  req.min_mod_revision = 0;
  req.max_mod_revision = 3;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"b"}));
  req.max_mod_revision = 0;
  req.min_create_revision = 3;
  EXPECT_EQ(Keys(*s->Range(req)), (std::vector<std::string>{"b", "c"}));
  req.min_create_revision = 0;
  req.max_create_revision = 2;
  auto r = s->Range(req);
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"a"}));
  EXPECT_EQ(r->count, 3);  // etcd: count is before the filters
  req.limit = 1;
  req.max_create_revision = 0;
  req.min_create_revision = 3;
  r = s->Range(req);
  EXPECT_EQ(Keys(*r), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(r->more);
}

TEST_P(MvccStoreTest, HistoricalReads) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("k", "v1")).ok());  // 1
  ASSERT_TRUE(s->Put(PutReq("k", "v2")).ok());  // 2
  kv::DeleteRangeRequest d;
  d.key = "k";
  ASSERT_TRUE(s->DeleteRange(d).ok());          // 3
  ASSERT_TRUE(s->Put(PutReq("k", "v4")).ok());  // 4
  EXPECT_EQ(s->Range(RangeReq("k", "", 2))->kvs[0].value, "v1");
  EXPECT_EQ(s->Range(RangeReq("k", "", 3))->kvs[0].value, "v2");
  EXPECT_TRUE(s->Range(RangeReq("k", "", 4))->kvs.empty());
  auto r = s->Range(RangeReq("k", "", 5));
  EXPECT_EQ(r->kvs[0].value, "v4");
  EXPECT_EQ(r->revision, 5);  // header revision is the store's
  auto f = s->Range(RangeReq("k", "", 6));
  EXPECT_EQ(f.status().message(), kv::kErrFutureRev);
  EXPECT_EQ(kv::GrpcCode(f.status()), 11);
  EXPECT_EQ(s->Range(RangeReq("k", "", -1))->kvs[0].value, "v4");
}

TEST_P(MvccStoreTest, PutOptions) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  auto req = PutReq("k", "v1");
  req.prev_kv = true;
  auto p = s->Put(req);
  EXPECT_FALSE(p->prev_kv.has_value());
  req.value = "v2";
  p = s->Put(req);
  ASSERT_TRUE(p->prev_kv.has_value());
  EXPECT_EQ(p->prev_kv->value, "v1");
  EXPECT_EQ(p->prev_kv->mod_revision, 2);

  kv::PutRequest iv;
  iv.key = "k";
  iv.ignore_value = true;
  ASSERT_TRUE(s->Put(iv).ok());
  auto r = s->Range(RangeReq("k"));
  EXPECT_EQ(r->kvs[0].value, "v2");
  EXPECT_EQ(r->kvs[0].version, 3);

  iv.key = "missing";
  auto e = s->Put(iv);
  EXPECT_EQ(e.status().message(), kErrKeyNotFound);
  EXPECT_EQ(kv::GrpcCode(e.status()), 3);
  iv.value = "x";
  EXPECT_EQ(s->Put(iv).status().message(), kErrValueProvided);
  kv::PutRequest il;
  il.key = "k";
  il.ignore_lease = true;
  il.lease = 5;
  EXPECT_EQ(s->Put(il).status().message(), kErrLeaseProvided);
  auto nl = s->Put(PutReq("k", "v", 12345));
  EXPECT_EQ(nl.status().message(), kv::kErrLeaseNotFound);
  EXPECT_EQ(kv::GrpcCode(nl.status()), 5);
  EXPECT_EQ(s->CurrentRevision(), 4);
}

TEST_P(MvccStoreTest, DeletePrevKvs) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  ASSERT_TRUE(s->Put(PutReq("a", "1")).ok());
  ASSERT_TRUE(s->Put(PutReq("b", "2")).ok());
  kv::DeleteRangeRequest d;
  d.key = "a";
  d.range_end = std::string(1, '\0');
  d.prev_kv = true;
  auto r = s->DeleteRange(d);
  ASSERT_EQ(r->prev_kvs.size(), 2u);
  EXPECT_EQ(r->prev_kvs[1].value, "2");
  EXPECT_EQ(r->revision, 4);
  EXPECT_EQ(s->Range(RangeReq("a", std::string(1, '\0')))->count, 0);
}

TEST_P(MvccStoreTest, LongKeysAndLargeValues) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  std::string long_key(4000, 'k');
  long_key += "/end";
  std::string big(1536 * 1024, 'v');
  big[12345] = 'x';
  ASSERT_TRUE(s->Put(PutReq(long_key, big)).ok());
  ASSERT_TRUE(s->Put(PutReq(long_key + "2", "small")).ok());
  auto r = s->Range(RangeReq(long_key));
  ASSERT_EQ(r->kvs.size(), 1u);
  EXPECT_EQ(r->kvs[0].value, big);
  r = s->Range(RangeReq(long_key, kv::PrefixEnd(long_key)));
  EXPECT_EQ(r->count, 2);
  // Binary keys with NULs sort bytewise.
  std::string bin("a\0\xff", 3);
  ASSERT_TRUE(s->Put(PutReq(bin, "b")).ok());
  EXPECT_EQ(s->Range(RangeReq(bin))->kvs[0].key, bin);
}

TEST_P(MvccStoreTest, PersistsAcrossReopen) {
  TempDir dir;
  {
    auto s = OpenOrDie(Options(dir.path()));
    ASSERT_TRUE(s->Put(PutReq("a", "1")).ok());
    ASSERT_TRUE(s->Put(PutReq("a", "2")).ok());
    kv::DeleteRangeRequest d;
    d.key = "a";
    ASSERT_TRUE(s->DeleteRange(d).ok());
    ASSERT_TRUE(s->Put(PutReq("b", "3")).ok());
  }
  auto s = OpenOrDie(Options(dir.path()));
  EXPECT_EQ(s->CurrentRevision(), 5);
  EXPECT_TRUE(s->Range(RangeReq("a"))->kvs.empty());
  EXPECT_EQ(s->Range(RangeReq("a", "", 3))->kvs[0].value, "2");
  EXPECT_EQ(s->Range(RangeReq("b"))->kvs[0].value, "3");
  EXPECT_EQ(s->Put(PutReq("c", "4"))->revision, 6);
}

TEST_P(MvccStoreTest, OpenRejectsBadOptions) {
  MvccOptions o;
  EXPECT_FALSE(MvccStore::Open(o).ok());
  TempDir dir;
  o.dir = dir.path();
  o.max_txn_ops = 0;
  EXPECT_FALSE(MvccStore::Open(o).ok());
}

TEST_P(MvccStoreTest, AsyncWrites) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int64_t> revs;
  int answered = 0;
  auto note = [&](int64_t rev) {
    std::lock_guard<std::mutex> lk(mu);
    revs.push_back(rev);
    ++answered;
    cv.notify_all();
  };
  for (int i = 0; i < 50; ++i) {
    s->PutAsync(PutReq("a/" + std::to_string(i), "v"), [&](const Result<kv::PutResponse>& r) {
      ASSERT_TRUE(r.ok());
      note(r->revision);
    });
  }
  kv::TxnRequest t;
  t.success = {kv::RequestOp{PutReq("t", "1")}};
  s->TxnAsync(t, [&](const Result<kv::TxnResponse>& r) {
    ASSERT_TRUE(r.ok());
    note(r->revision);
  });
  kv::DeleteRangeRequest d;
  d.key = "a/";
  d.range_end = kv::PrefixEnd("a/");
  s->DeleteRangeAsync(d, [&](const Result<kv::DeleteRangeResponse>& r) {
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->deleted, 50);
    note(r->revision);
  });
  // Input errors answer at once, on this thread.
  bool empty_key = false;
  s->PutAsync(PutReq("", "v"), [&](const Result<kv::PutResponse>& r) {
    empty_key = r.status().message() == kv::kErrEmptyKey;
  });
  EXPECT_TRUE(empty_key);
  std::unique_lock<std::mutex> lk(mu);
  ASSERT_TRUE(cv.wait_for(lk, std::chrono::seconds(20), [&] { return answered == 52; }));
  std::sort(revs.begin(), revs.end());
  for (size_t i = 0; i < revs.size(); ++i) EXPECT_EQ(revs[i], static_cast<int64_t>(i) + 2);
  // A read-only txn is answered inline.
  kv::TxnRequest ro;
  ro.success = {kv::RequestOp{RangeReq("t")}};
  bool inline_answer = false;
  s->TxnAsync(ro, [&](const Result<kv::TxnResponse>& r) { inline_answer = r.ok(); });
  EXPECT_TRUE(inline_answer);
}

TEST_P(MvccStoreTest, OneStorePerDataDir) {
  TempDir dir;
  auto s = OpenOrDie(Options(dir.path()));
  auto second = MvccStore::Open(Options(dir.path()));
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kUnavailable);
  s.reset();
  EXPECT_TRUE(MvccStore::Open(Options(dir.path())).ok());
}

TEST_P(MvccStoreTest, ConcurrentWritersGetDenseRevisions) {
  TempDir dir;
  auto o = Options(dir.path());
  o.fsync = true;
  auto s = OpenOrDie(o);
  constexpr int kThreads = 8, kEach = 200;
  std::vector<std::vector<int64_t>> revs(kThreads);
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto p = s->Put(PutReq("t" + std::to_string(t) + "/" + std::to_string(i % 10), "v"));
        ASSERT_TRUE(p.ok());
        revs[t].push_back(p->revision);
      }
    });
  }
  // Readers run alongside and always see a consistent prefix.
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      auto r = s->Range(RangeReq("t", "u"));
      ASSERT_TRUE(r.ok());
      for (const auto& kv : r->kvs) ASSERT_LE(kv.mod_revision, r->revision);
    }
  });
  for (auto& t : ts) t.join();
  done = true;
  reader.join();
  std::vector<int64_t> all;
  for (auto& v : revs) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], static_cast<int64_t>(i + 2));
  EXPECT_EQ(s->CurrentRevision(), kThreads * kEach + 1);
}

INSTANTIATE_TEST_SUITE_P(Modes, MvccStoreTest, testing::AllModes(), testing::ModeName);

}  // namespace
}  // namespace common::mvcc
