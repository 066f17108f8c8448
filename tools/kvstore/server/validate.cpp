#include "validate.h"

#include <set>
#include <utility>
#include <vector>

namespace kvstore {
namespace {

using common::kv::DeleteRangeRequest;
using common::kv::PutRequest;
using common::kv::RangeRequest;
using common::kv::RequestOp;
using common::kv::TxnRequest;

CheckResult Bad(const char* msg) { return CheckResult{3, msg}; }

CheckResult CheckOp(const RequestOp& op, int64_t max_ops) {
  if (auto* r = std::get_if<RangeRequest>(&op.op)) return CheckRange(*r);
  if (auto* p = std::get_if<PutRequest>(&op.op)) return CheckPut(*p);
  if (auto* d = std::get_if<DeleteRangeRequest>(&op.op)) return CheckDelete(*d);
  if (auto* t = std::get_if<std::shared_ptr<TxnRequest>>(&op.op)) {
    if (*t) return CheckTxn(**t, max_ops);
  }
  return Bad("etcdserver: key not found");
}

// A delete's interval as etcd's adt.IntervalTree holds it: [key, end) with
// byte-wise comparison, a point when range_end is empty. ("\0" as an end
// compares literally, as etcd's StringAffineComparable does.)
struct Interval {
  std::string begin, end;  // end empty: the point `begin`
  bool Contains(const std::string& k) const {
    if (end.empty()) return k == begin;
    return begin <= k && k < end;
  }
};

struct Intervals {
  std::vector<Interval> dels;
  bool Intersects(const std::string& k) const {
    for (const auto& iv : dels)
      if (iv.Contains(k)) return true;
    return false;
  }
};

// Returns false on an overlap; fills the puts and deletes of this level.
bool CheckIntervals(const std::vector<RequestOp>& ops, std::set<std::string>* puts,
                    Intervals* dels) {
  for (const auto& op : ops)
    if (auto* d = std::get_if<DeleteRangeRequest>(&op.op)) dels->dels.push_back({d->key, d->range_end});
  for (const auto& op : ops) {
    auto* t = std::get_if<std::shared_ptr<TxnRequest>>(&op.op);
    if (!t || !*t) continue;
    std::set<std::string> puts_then, puts_else;
    Intervals dels_then, dels_else;
    if (!CheckIntervals((*t)->success, &puts_then, &dels_then)) return false;
    if (!CheckIntervals((*t)->failure, &puts_else, &dels_else)) return false;
    for (const auto& k : puts_then) {
      if (puts->count(k) || dels->Intersects(k)) return false;
      puts->insert(k);
    }
    for (const auto& k : puts_else) {
      // then/else exclude each other: a key put by both is fine.
      if (puts->count(k) && !puts_then.count(k)) return false;
      if (dels->Intersects(k)) return false;
      puts->insert(k);
    }
    dels->dels.insert(dels->dels.end(), dels_then.dels.begin(), dels_then.dels.end());
    dels->dels.insert(dels->dels.end(), dels_else.dels.begin(), dels_else.dels.end());
  }
  for (const auto& op : ops) {
    auto* p = std::get_if<PutRequest>(&op.op);
    if (!p) continue;
    if (puts->count(p->key) || dels->Intersects(p->key)) return false;
    puts->insert(p->key);
  }
  return true;
}

int64_t OpsBytes(const std::vector<RequestOp>& ops) {
  int64_t n = 0;
  for (const auto& op : ops) {
    if (auto* r = std::get_if<RangeRequest>(&op.op)) n += r->key.size() + r->range_end.size() + 16;
    if (auto* p = std::get_if<PutRequest>(&op.op)) n += RequestBytes(*p);
    if (auto* d = std::get_if<DeleteRangeRequest>(&op.op)) n += d->key.size() + d->range_end.size() + 8;
    if (auto* t = std::get_if<std::shared_ptr<TxnRequest>>(&op.op); t && *t) n += RequestBytes(**t);
  }
  return n;
}

}  // namespace

CheckResult CheckRange(const RangeRequest& r) {
  if (r.key.empty()) return Bad(common::kv::kErrEmptyKey);
  return {};
}

CheckResult CheckPut(const PutRequest& r) {
  if (r.key.empty()) return Bad(common::kv::kErrEmptyKey);
  if (r.ignore_value && !r.value.empty()) return Bad("etcdserver: value is provided");
  if (r.ignore_lease && r.lease != 0) return Bad("etcdserver: lease is provided");
  return {};
}

CheckResult CheckDelete(const DeleteRangeRequest& r) {
  if (r.key.empty()) return Bad(common::kv::kErrEmptyKey);
  return {};
}

CheckResult CheckTxn(const TxnRequest& r, int64_t max_ops) {
  int64_t opc = static_cast<int64_t>(
      std::max({r.compare.size(), r.success.size(), r.failure.size()}));
  if (opc > max_ops) return Bad(common::kv::kErrTooManyOps);
  for (const auto& c : r.compare)
    if (c.key.empty()) return Bad(common::kv::kErrEmptyKey);
  for (const auto* ops : {&r.success, &r.failure}) {
    for (const auto& op : *ops) {
      CheckResult res = CheckOp(op, max_ops - opc);
      if (!res.ok()) return res;
    }
  }
  for (const auto* ops : {&r.success, &r.failure}) {
    std::set<std::string> puts;
    Intervals dels;
    if (!CheckIntervals(*ops, &puts, &dels)) return Bad(common::kv::kErrDuplicateKey);
  }
  return {};
}

int64_t RequestBytes(const PutRequest& r) {
  return static_cast<int64_t>(r.key.size() + r.value.size()) + 16;
}

int64_t RequestBytes(const TxnRequest& r) {
  int64_t n = 8;
  for (const auto& c : r.compare) n += c.key.size() + c.value.size() + c.range_end.size() + 16;
  return n + OpsBytes(r.success) + OpsBytes(r.failure);
}

}  // namespace kvstore
