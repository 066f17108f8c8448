#include <gtest/gtest.h>

#include "common/mvcc.h"
#include "mvcc_test_util.h"

namespace common::mvcc {
namespace {

using testing::OpenOrDie;
using testing::Options;
using testing::PutReq;
using testing::RangeReq;
using testing::TempDir;
using Result_ = kv::Compare::Result;
using Target = kv::Compare::Target;

kv::Compare Cmp(std::string key, Target t, Result_ r, int64_t n, std::string v = "") {
  kv::Compare c;
  c.key = std::move(key);
  c.target = t;
  c.result = r;
  c.number = n;
  c.value = std::move(v);
  return c;
}

kv::RequestOp PutOp(std::string k, std::string v) { return kv::RequestOp{PutReq(std::move(k), std::move(v))}; }
kv::RequestOp GetOp(std::string k, std::string end = "") {
  return kv::RequestOp{RangeReq(std::move(k), std::move(end))};
}
kv::RequestOp DelOp(std::string k, std::string end = "") {
  kv::DeleteRangeRequest d;
  d.key = std::move(k);
  d.range_end = std::move(end);
  return kv::RequestOp{d};
}
kv::RequestOp TxnOp(kv::TxnRequest t) {
  return kv::RequestOp{std::make_shared<kv::TxnRequest>(std::move(t))};
}

class MvccTxn : public testing::ModeTest {
 protected:
  void SetUp() override {
    ModeTest::SetUp();
    store_ = OpenOrDie(Options(dir_.path()));
    // A fresh store is at revision 1 (as etcd), so these are revisions 2-4.
    ASSERT_TRUE(store_->Put(PutReq("k", "b")).ok());  // rev 2: create 2
    ASSERT_TRUE(store_->Put(PutReq("k", "b")).ok());  // rev 3: k version 2, mod 3
    ASSERT_TRUE(store_->Put(PutReq("j", "x")).ok());  // rev 4
  }
  bool Eval(kv::Compare c) {
    kv::TxnRequest t;
    t.compare.push_back(std::move(c));
    auto r = store_->Txn(t);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && r->succeeded;
  }
  TempDir dir_;
  std::unique_ptr<MvccStore> store_;
};

TEST_P(MvccTxn, EveryTargetAndResult) {
  struct Case {
    Target t;
    int64_t n;
    std::string v;
    bool eq, gt, lt, ne;
  };
  // k: version 2, create 2, mod 3, value "b", lease 0.
  std::vector<Case> cases = {
      {Target::kVersion, 2, "", true, false, false, false},
      {Target::kVersion, 1, "", false, true, false, true},
      {Target::kVersion, 3, "", false, false, true, true},
      {Target::kCreate, 2, "", true, false, false, false},
      {Target::kCreate, 0, "", false, true, false, true},
      {Target::kMod, 3, "", true, false, false, false},
      {Target::kMod, 5, "", false, false, true, true},
      {Target::kValue, 0, "b", true, false, false, false},
      {Target::kValue, 0, "a", false, true, false, true},
      {Target::kValue, 0, "c", false, false, true, true},
      {Target::kValue, 0, "bb", false, false, true, true},
      {Target::kLease, 0, "", true, false, false, false},
      {Target::kLease, 7, "", false, false, true, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.t));
    SCOPED_TRACE(c.n);
    EXPECT_EQ(Eval(Cmp("k", c.t, Result_::kEqual, c.n, c.v)), c.eq);
    EXPECT_EQ(Eval(Cmp("k", c.t, Result_::kGreater, c.n, c.v)), c.gt);
    EXPECT_EQ(Eval(Cmp("k", c.t, Result_::kLess, c.n, c.v)), c.lt);
    EXPECT_EQ(Eval(Cmp("k", c.t, Result_::kNotEqual, c.n, c.v)), c.ne);
  }
}

TEST_P(MvccTxn, MissingKeyCompares) {
  // A missing key has version/create/mod/lease 0 ...
  EXPECT_TRUE(Eval(Cmp("nope", Target::kVersion, Result_::kEqual, 0)));
  EXPECT_TRUE(Eval(Cmp("nope", Target::kCreate, Result_::kEqual, 0)));
  EXPECT_TRUE(Eval(Cmp("nope", Target::kMod, Result_::kEqual, 0)));
  EXPECT_TRUE(Eval(Cmp("nope", Target::kLease, Result_::kEqual, 0)));
  EXPECT_TRUE(Eval(Cmp("nope", Target::kMod, Result_::kLess, 1)));
  // ... but a value compare on it always fails, even against "".
  EXPECT_FALSE(Eval(Cmp("nope", Target::kValue, Result_::kEqual, 0, "")));
  EXPECT_FALSE(Eval(Cmp("nope", Target::kValue, Result_::kNotEqual, 0, "x")));
  // An empty value is a real value.
  ASSERT_TRUE(store_->Put(PutReq("empty", "")).ok());
  EXPECT_TRUE(Eval(Cmp("empty", Target::kValue, Result_::kEqual, 0, "")));
}

TEST_P(MvccTxn, RangeCompare) {
  auto c = Cmp("j", Target::kVersion, Result_::kGreater, 0);
  c.range_end = "l";  // j and k
  EXPECT_TRUE(Eval(c));
  c = Cmp("j", Target::kVersion, Result_::kGreater, 1);
  c.range_end = "l";  // j has version 1: fails
  EXPECT_FALSE(Eval(c));
  c = Cmp("x", Target::kVersion, Result_::kEqual, 0);
  c.range_end = "z";  // nothing in range compares as a zero kv
  EXPECT_TRUE(Eval(c));
  c = Cmp("x", Target::kValue, Result_::kEqual, 0, "");
  c.range_end = "z";
  EXPECT_FALSE(Eval(c));
}

TEST_P(MvccTxn, SuccessAndFailureBranches) {
  kv::TxnRequest t;
  t.compare.push_back(Cmp("k", Target::kMod, Result_::kEqual, 3));
  t.success.push_back(PutOp("k", "new"));
  t.success.push_back(GetOp("k"));
  t.failure.push_back(GetOp("k"));
  auto r = store_->Txn(t);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->succeeded);
  EXPECT_EQ(r->revision, 5);
  ASSERT_EQ(r->responses.size(), 2u);
  EXPECT_EQ(std::get<kv::PutResponse>(r->responses[0].op).revision, 5);
  // The range sees the txn's own put.
  const auto& rr = std::get<kv::RangeResponse>(r->responses[1].op);
  EXPECT_EQ(rr.kvs[0].value, "new");
  EXPECT_EQ(rr.revision, 5);
  // Same txn again: the compare fails, failure branch is read-only: no bump.
  r = store_->Txn(t);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->succeeded);
  EXPECT_EQ(r->revision, 5);
  EXPECT_EQ(std::get<kv::RangeResponse>(r->responses[0].op).kvs[0].mod_revision, 5);
  EXPECT_EQ(store_->CurrentRevision(), 5);
}

TEST_P(MvccTxn, OneRevisionPerTxn) {
  kv::TxnRequest t;
  t.success = {PutOp("a", "1"), PutOp("b", "2"), DelOp("j")};
  auto r = store_->Txn(t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->revision, 5);
  auto a = store_->Range(RangeReq("a"));
  auto b = store_->Range(RangeReq("b"));
  EXPECT_EQ(a->kvs[0].mod_revision, 5);
  EXPECT_EQ(b->kvs[0].mod_revision, 5);
  EXPECT_TRUE(store_->Range(RangeReq("j"))->kvs.empty());
  // A txn whose delete matches nothing and has no puts does not bump.
  kv::TxnRequest t2;
  t2.success = {DelOp("zzz")};
  r = store_->Txn(t2);
  EXPECT_EQ(r->revision, 5);
  EXPECT_EQ(std::get<kv::DeleteRangeResponse>(r->responses[0].op).revision, 5);
}

TEST_P(MvccTxn, Nested) {
  kv::TxnRequest inner;
  inner.compare.push_back(Cmp("j", Target::kValue, Result_::kEqual, 0, "x"));
  inner.success = {PutOp("inner", "yes")};
  inner.failure = {PutOp("inner", "no")};
  kv::TxnRequest outer;
  outer.compare.push_back(Cmp("k", Target::kVersion, Result_::kEqual, 2));
  // The outer put changes j before the inner txn runs, but compares of
  // nested txns are evaluated up front against the state before the txn.
  outer.success = {PutOp("j", "changed"), TxnOp(inner)};
  auto r = store_->Txn(outer);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->succeeded);
  ASSERT_EQ(r->responses.size(), 2u);
  auto sub = std::get<std::shared_ptr<kv::TxnResponse>>(r->responses[1].op);
  EXPECT_TRUE(sub->succeeded);
  EXPECT_EQ(sub->revision, 0);
  EXPECT_EQ(store_->Range(RangeReq("inner"))->kvs[0].value, "yes");
  EXPECT_EQ(store_->Range(RangeReq("inner"))->kvs[0].mod_revision, 5);
}

TEST_P(MvccTxn, TooManyOps) {
  kv::TxnRequest t;
  for (int i = 0; i < 129; ++i) t.success.push_back(PutOp("k" + std::to_string(i), "v"));
  auto r = store_->Txn(t);
  EXPECT_EQ(r.status().message(), kv::kErrTooManyOps);
  EXPECT_EQ(kv::GrpcCode(r.status()), 3);
  t.success.pop_back();
  EXPECT_TRUE(store_->Txn(t).ok());
  // Nested txns share the budget.
  kv::TxnRequest inner;
  inner.success = {GetOp("a"), GetOp("b")};
  kv::TxnRequest outer;
  for (int i = 0; i < 127; ++i) outer.success.push_back(GetOp("k"));
  outer.success.push_back(TxnOp(inner));
  EXPECT_EQ(store_->Txn(outer).status().message(), kv::kErrTooManyOps);
}

TEST_P(MvccTxn, DuplicateKeys) {
  auto dup = [&](kv::TxnRequest t) { return store_->Txn(t).status().message() == kv::kErrDuplicateKey; };
  kv::TxnRequest t;
  t.success = {PutOp("a", "1"), PutOp("a", "2")};
  EXPECT_TRUE(dup(t));
  t.success = {PutOp("a", "1"), DelOp("a")};
  EXPECT_TRUE(dup(t));
  t.success = {DelOp("a", "c"), PutOp("b", "1")};
  EXPECT_TRUE(dup(t));
  // A range_end of "\0" is not treated as overlapping (as etcd's intervals).
  t.success = {DelOp("a", std::string(1, '\0')), PutOp("b", "1")};
  EXPECT_FALSE(dup(t));
  // Two deletes of the same key are fine.
  t.success = {DelOp("a"), DelOp("a")};
  EXPECT_FALSE(dup(t));
  // Same put in then and else of a nested txn is fine; with the outer level not.
  kv::TxnRequest inner;
  inner.success = {PutOp("x", "1")};
  inner.failure = {PutOp("x", "2")};
  t.success = {TxnOp(inner)};
  EXPECT_FALSE(dup(t));
  t.success = {TxnOp(inner), PutOp("x", "3")};
  EXPECT_TRUE(dup(t));
  kv::TxnRequest inner_del;
  inner_del.success = {DelOp("y")};
  t.success = {TxnOp(inner_del), PutOp("y", "1")};
  EXPECT_TRUE(dup(t));
  // Success and failure are checked separately.
  t.success = {PutOp("z", "1")};
  t.failure = {PutOp("z", "2")};
  EXPECT_FALSE(dup(t));
}

TEST_P(MvccTxn, EmptyKeysAndErrors) {
  kv::TxnRequest t;
  t.compare.push_back(Cmp("", Target::kVersion, Result_::kEqual, 0));
  EXPECT_EQ(store_->Txn(t).status().message(), kv::kErrEmptyKey);
  t.compare.clear();
  t.success = {PutOp("", "v")};
  EXPECT_EQ(store_->Txn(t).status().message(), kv::kErrEmptyKey);
  // Unknown lease on the chosen path: nothing applies.
  kv::PutRequest p = PutReq("leased", "v", 999);
  t.success = {PutOp("other", "v"), kv::RequestOp{p}};
  EXPECT_EQ(store_->Txn(t).status().message(), kv::kErrLeaseNotFound);
  EXPECT_TRUE(store_->Range(RangeReq("other"))->kvs.empty());
  // ...but on the path not taken it does not matter.
  t.compare.push_back(Cmp("k", Target::kVersion, Result_::kEqual, 99));
  EXPECT_TRUE(store_->Txn(t).ok());
  // ignore_value on a missing key inside a txn.
  kv::PutRequest iv;
  iv.key = "missing";
  iv.ignore_value = true;
  kv::TxnRequest t2;
  t2.success = {kv::RequestOp{iv}};
  EXPECT_EQ(store_->Txn(t2).status().message(), kErrKeyNotFound);
  // Future revision in a range op.
  kv::TxnRequest t3;
  t3.success = {kv::RequestOp{RangeReq("k", "", 100)}};
  EXPECT_EQ(store_->Txn(t3).status().message(), kv::kErrFutureRev);
  EXPECT_EQ(store_->CurrentRevision(), 4);
}

TEST_P(MvccTxn, EmptyTxnSucceedsWithoutBump) {
  kv::TxnRequest t;
  auto r = store_->Txn(t);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->succeeded);
  EXPECT_EQ(r->revision, 4);
}

TEST_P(MvccTxn, KubernetesOptimisticUpdate) {
  // apiserver's GuaranteedUpdate: If(mod == rev) Then(Put) Else(Get).
  auto cur = store_->Range(RangeReq("k"));
  int64_t rev = cur->kvs[0].mod_revision;
  kv::TxnRequest t;
  t.compare.push_back(Cmp("k", Target::kMod, Result_::kEqual, rev));
  t.success = {PutOp("k", "v-updated")};
  t.failure = {GetOp("k")};
  auto r1 = store_->Txn(t);
  ASSERT_TRUE(r1->succeeded);
  auto r2 = store_->Txn(t);
  ASSERT_FALSE(r2->succeeded);
  EXPECT_EQ(std::get<kv::RangeResponse>(r2->responses[0].op).kvs[0].value, "v-updated");
}

INSTANTIATE_TEST_SUITE_P(Modes, MvccTxn, testing::AllModes(), testing::ModeName);

}  // namespace
}  // namespace common::mvcc
