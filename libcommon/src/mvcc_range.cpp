// Range reads and txn compares, shared by readers (a published revision) and
// the committer (its own unpublished batch); where records are read from (the
// pending buffer, else LMDB).
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

// ---------------------------------------------------------------- records

const LoggedRecord* Engine::Pending(Revision r) const {
  if (pending_.empty() || r.main < pending_base_) return nullptr;
  auto i = static_cast<size_t>(r.main - pending_base_);
  if (i >= pending_.size()) return nullptr;
  const PendingRev& p = pending_[i];
  if (r.sub < 0 || r.sub >= static_cast<int64_t>(p.count)) return nullptr;
  return &p.log->records[p.first + static_cast<size_t>(r.sub)];
}

void Engine::AddPending(const BatchLog* log, size_t index) {
  const Revision& r = log->records[index].rev;
  if (r.sub == 0) {
    if (pending_.empty()) pending_base_ = r.main;
    pending_.push_back(PendingRev{log, static_cast<uint32_t>(index), 1});
  } else {
    ++pending_.back().count;
  }
}

void Engine::TrimPending(int64_t rev) {
  std::unique_lock<RwLock> lk(index_mu_);
  while (!pending_.empty() && pending_base_ <= rev) {
    pending_.pop_front();
    ++pending_base_;
  }
  while (!pending_logs_.empty() && pending_logs_.front()->last_rev <= rev) pending_logs_.pop_front();
  m_.pending_revisions.Set(static_cast<double>(pending_.size()));
}

Status Engine::ReadStored(const ReadState& st, Revision r, RecordView* out) {
  char kb[kRevKeySize];
  EncodeRevKey(r, kb);
  ReadTxn& rt = *st.rt;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (rt.txn == nullptr) {
      ASSIGN_OR_RETURN(rt.txn, BeginRead());
    } else if (attempt > 0) {
      // A checkpoint may have moved the record from the buffer into LMDB
      // after this snapshot began: look at the newest one.
      mdb_txn_reset(rt.txn);
      int rc = mdb_txn_renew(rt.txn);
      if (rc != 0) {
        mdb_txn_abort(rt.txn);
        rt.txn = nullptr;
        return LmdbError(rc, "begin a read transaction on", data_path_);
      }
    }
    MDB_val k{kRevKeySize, kb}, v;
    int rc = mdb_get(rt.txn, kv_dbi_, &k, &v);
    if (rc == 0) {
      if (!DecodeRecord(FromVal(v), out)) {
        return Status::Internal("mvcc: corrupt record at revision " + std::to_string(r.main) +
                                " in '" + data_path_ + "'");
      }
      return Status::Ok();
    }
    if (rc != MDB_NOTFOUND) return LmdbError(rc, "read", data_path_);
  }
  return Status::NotFound("mvcc: revision " + std::to_string(r.main) + " missing from '" +
                          data_path_ + "'");
}

Status Engine::ReadRecord(const ReadState& st, Revision r, RecordView* out) {
  if (const LoggedRecord* p = Pending(r)) {
    if (!DecodeRecord(p->data, out)) return Status::Internal("mvcc: corrupt buffered record");
    return Status::Ok();
  }
  return ReadStored(st, r, out);
}

void Engine::EndRead(ReadTxn& rt) {
  if (rt.txn != nullptr) EndRead(rt.txn);
  rt.txn = nullptr;
}

// ---------------------------------------------------------------- ranges

Result<kv::RangeResponse> Engine::DoRange(const ReadState& st, const kv::RangeRequest& req) {
  int64_t rev = req.revision > 0 ? req.revision : st.current;
  if (rev > st.current) return Status::BadRequest(kv::kErrFutureRev);
  // As etcd's applier: sorting and filters need every key, otherwise one more
  // than the limit is fetched to learn `more`.
  int64_t limit = req.limit;
  if (req.sort_order != kv::SortOrder::kNone || HasFilters(req)) limit = 0;
  if (limit > 0) limit += 1;

  // Records still in the pending buffer are copied under the index lock;
  // the others (stored[i]) are read from LMDB after it.
  const bool with_value = !req.keys_only || req.sort_target == kv::SortTarget::kValue;
  kv::RangeResponse resp;
  resp.revision = st.current;
  std::vector<Revision> revs;
  std::vector<bool> stored;
  int64_t count = 0;
  {
    std::shared_lock<RwLock> lk(index_mu_, std::defer_lock);
    if (!st.committer) lk.lock();
    if (rev < CompactRevision()) return Status(Code::kExpired, kv::kErrCompacted);
    index_.Visit(req.key, req.range_end, rev, [&](const std::string&, const IndexEntry& e) {
      ++count;
      if (!req.count_only && (limit <= 0 || static_cast<int64_t>(revs.size()) < limit)) {
        revs.push_back(e.rev());
        RecordView rec;
        const LoggedRecord* p = Pending(e.rev());
        if (p != nullptr && DecodeRecord(p->data, &rec)) {
          resp.kvs.push_back(ToKeyValue(rec, e.main, with_value));
          stored.push_back(false);
        } else {
          resp.kvs.emplace_back();
          stored.push_back(true);
        }
      }
      return true;
    });
  }
  resp.count = count;
  for (size_t i = 0; i < revs.size(); ++i) {
    if (!stored[i]) continue;
    RecordView rec;
    Status s = ReadStored(st, revs[i], &rec);
    if (s.IsNotFound()) {
      // A compaction that started after the index was read removed it.
      if (rev < CompactRevision()) return Status(Code::kExpired, kv::kErrCompacted);
      return Status::Internal(s.message());
    }
    RETURN_IF_ERROR(s);
    resp.kvs[i] = ToKeyValue(rec, revs[i].main, with_value);
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
  RecordView rec;
  {
    std::shared_lock<RwLock> lk(index_mu_, std::defer_lock);
    if (!st.committer) lk.lock();
    auto it = index_.map().find(key);
    if (it == index_.map().end()) return std::nullopt;
    const IndexEntry* p = it->second.At(st.current);
    if (p == nullptr || p->tombstone) return std::nullopt;
    e = *p;
    const LoggedRecord* buffered = Pending(e.rev());
    if (buffered != nullptr && DecodeRecord(buffered->data, &rec)) return ToKeyValue(rec, e.main);
  }
  if (!ReadStored(st, e.rev(), &rec).ok()) return std::nullopt;
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
