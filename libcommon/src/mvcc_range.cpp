// Range reads and txn compares, shared by readers (a published revision) and
// the committer (its own uncommitted batch).
#include <algorithm>
#include <climits>

#include "mvcc_internal.h"

namespace common::mvcc {

namespace {

bool HasFilters(const kv::RangeRequest& r) {
  return r.min_mod_revision != 0 || r.max_mod_revision != 0 || r.min_create_revision != 0 ||
         r.max_create_revision != 0;
}

// etcd's kvSortBy* orderings.
bool Less(kv::SortTarget t, const kv::KeyValue& a, const kv::KeyValue& b) {
  switch (t) {
    case kv::SortTarget::kKey: return a.key < b.key;
    case kv::SortTarget::kVersion: return a.version < b.version;
    case kv::SortTarget::kCreate: return a.create_revision < b.create_revision;
    case kv::SortTarget::kMod: return a.mod_revision < b.mod_revision;
    case kv::SortTarget::kValue: return a.value < b.value;
  }
  return false;
}

int CompareInt(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

bool CompareKV(const kv::Compare& c, const kv::KeyValue& kv) {
  int result = 0;
  switch (c.target) {
    case kv::Compare::Target::kValue: {
      int r = kv.value.compare(c.value);
      result = r < 0 ? -1 : (r > 0 ? 1 : 0);
      break;
    }
    case kv::Compare::Target::kCreate: result = CompareInt(kv.create_revision, c.number); break;
    case kv::Compare::Target::kMod: result = CompareInt(kv.mod_revision, c.number); break;
    case kv::Compare::Target::kVersion: result = CompareInt(kv.version, c.number); break;
    case kv::Compare::Target::kLease: result = CompareInt(kv.lease, c.number); break;
  }
  switch (c.result) {
    case kv::Compare::Result::kEqual: return result == 0;
    case kv::Compare::Result::kGreater: return result > 0;
    case kv::Compare::Result::kLess: return result < 0;
    case kv::Compare::Result::kNotEqual: return result != 0;
  }
  return false;
}

}  // namespace

Result<kv::RangeResponse> Engine::DoRange(const ReadState& st, const kv::RangeRequest& req) {
  int64_t rev = req.revision > 0 ? req.revision : st.current;
  if (rev > st.current) return Status::BadRequest(kv::kErrFutureRev);
  // As etcd's applier: sorting and filters need every key, otherwise one more
  // than the limit is fetched to learn `more`.
  int64_t limit = req.limit;
  if (req.sort_order != kv::SortOrder::kNone || HasFilters(req)) limit = 0;
  if (limit > 0) limit += 1;

  std::vector<Revision> revs;
  int64_t count = 0;
  {
    std::shared_lock<RwLock> lk(index_mu_, std::defer_lock);
    if (!st.committer) lk.lock();
    if (rev < CompactRevision()) return Status(Code::kExpired, kv::kErrCompacted);
    index_.Visit(req.key, req.range_end, rev, [&](const std::string&, const IndexEntry& e) {
      ++count;
      if (!req.count_only && (limit <= 0 || static_cast<int64_t>(revs.size()) < limit)) {
        revs.push_back(e.rev());
      }
      return true;
    });
  }

  kv::RangeResponse resp;
  resp.revision = st.current;
  resp.count = count;
  resp.kvs.reserve(revs.size());
  for (const Revision& r : revs) {
    char kb[kRevKeySize];
    EncodeRevKey(r, kb);
    MDB_val k{kRevKeySize, kb}, v;
    int rc = mdb_get(st.txn, kv_dbi_, &k, &v);
    RecordView rec;
    if (rc == MDB_NOTFOUND) {
      // A compaction that started after the index was read removed it.
      if (rev < CompactRevision()) return Status(Code::kExpired, kv::kErrCompacted);
      return Status::Internal("mvcc: revision " + std::to_string(r.main) + " missing from '" +
                              data_path_ + "'");
    }
    if (rc != 0) return LmdbError(rc, "read", data_path_);
    if (!DecodeRecord(FromVal(v), &rec)) return Status::Internal("mvcc: corrupt record");
    resp.kvs.push_back(ToKeyValue(rec, r.main, !req.keys_only || req.sort_target == kv::SortTarget::kValue));
  }

  if (HasFilters(req)) {
    auto drop = [&](const kv::KeyValue& kv) {
      return (req.max_mod_revision != 0 && kv.mod_revision > req.max_mod_revision) ||
             (req.min_mod_revision != 0 && kv.mod_revision < req.min_mod_revision) ||
             (req.max_create_revision != 0 && kv.create_revision > req.max_create_revision) ||
             (req.min_create_revision != 0 && kv.create_revision < req.min_create_revision);
    };
    resp.kvs.erase(std::remove_if(resp.kvs.begin(), resp.kvs.end(), drop), resp.kvs.end());
  }

  kv::SortOrder order = req.sort_order;
  // etcd sorts ascending by default when the target is not the key (the
  // index already yields key order).
  if (req.sort_target != kv::SortTarget::kKey && order == kv::SortOrder::kNone) {
    order = kv::SortOrder::kAscend;
  }
  if (order == kv::SortOrder::kAscend) {
    std::stable_sort(resp.kvs.begin(), resp.kvs.end(),
                     [&](const kv::KeyValue& a, const kv::KeyValue& b) {
                       return Less(req.sort_target, a, b);
                     });
  } else if (order == kv::SortOrder::kDescend) {
    std::stable_sort(resp.kvs.begin(), resp.kvs.end(),
                     [&](const kv::KeyValue& a, const kv::KeyValue& b) {
                       return Less(req.sort_target, b, a);
                     });
  }
  if (req.limit > 0 && static_cast<int64_t>(resp.kvs.size()) > req.limit) {
    resp.kvs.resize(static_cast<size_t>(req.limit));
    resp.more = true;
  }
  if (req.keys_only) {
    for (auto& kv : resp.kvs) kv.value.clear();
  }
  return resp;
}

Status Engine::CheckRangeRevision(const ReadState& st, const kv::RangeRequest& req) const {
  if (req.revision == 0) return Status::Ok();
  if (req.revision > st.current) return Status::BadRequest(kv::kErrFutureRev);
  // etcd compares with the first revision, -1 before any compaction.
  int64_t first = CompactRevision() == 0 ? -1 : CompactRevision();
  if (req.revision < first) return Status(Code::kExpired, kv::kErrCompacted);
  return Status::Ok();
}

std::optional<kv::KeyValue> Engine::GetLatest(const ReadState& st, std::string_view key) {
  IndexEntry e;
  {
    std::shared_lock<RwLock> lk(index_mu_, std::defer_lock);
    if (!st.committer) lk.lock();
    auto it = index_.map().find(key);
    if (it == index_.map().end()) return std::nullopt;
    const IndexEntry* p = it->second.At(st.current);
    if (p == nullptr || p->tombstone) return std::nullopt;
    e = *p;
  }
  char kb[kRevKeySize];
  EncodeRevKey(e.rev(), kb);
  MDB_val k{kRevKeySize, kb}, v;
  RecordView rec;
  if (mdb_get(st.txn, kv_dbi_, &k, &v) != 0 || !DecodeRecord(FromVal(v), &rec)) {
    return std::nullopt;
  }
  return ToKeyValue(rec, e.main);
}

bool Engine::CompareOne(const ReadState& st, const kv::Compare& c) {
  std::vector<kv::KeyValue> kvs;
  if (c.range_end.empty()) {
    auto kv = GetLatest(st, c.key);
    if (kv) kvs.push_back(std::move(*kv));
  } else {
    kv::RangeRequest r;
    r.key = c.key;
    r.range_end = c.range_end;
    auto rr = DoRange(st, r);
    if (!rr.ok()) return false;
    kvs = std::move(rr->kvs);
  }
  if (kvs.empty()) {
    // A value compare on a missing key always fails: an empty value is a
    // real value, absence is not (etcd's applyCompare).
    if (c.target == kv::Compare::Target::kValue) return false;
    return CompareKV(c, kv::KeyValue{});
  }
  for (const auto& kv : kvs) {
    if (!CompareKV(c, kv)) return false;
  }
  return true;
}

bool Engine::Compare(const ReadState& st, const std::vector<kv::Compare>& cmps) {
  for (const auto& c : cmps) {
    if (!CompareOne(st, c)) return false;
  }
  return true;
}

}  // namespace common::mvcc
