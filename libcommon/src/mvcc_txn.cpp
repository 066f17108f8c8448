// Txn validation (etcd's checkTxnRequest and checkIntervals), compare paths,
// and the read-only txn fast path that never queues behind writers.
#include <unordered_set>

#include "mvcc_internal.h"

namespace common::mvcc {

namespace {

// etcd's quota estimates (etcdserver/quota.go).
constexpr int64_t kKvOverhead = 256;

// A delete's key interval as etcd's adt.StringAffineInterval: a single key is
// [k, k+"\0"); a range_end of "\0" is taken literally there, so it overlaps
// nothing (matching etcd, which does not flag it).
struct Interval {
  std::string begin;
  std::string end;
};

bool Intersects(const std::vector<Interval>& dels, const std::string& k) {
  for (const auto& iv : dels) {
    if (iv.begin <= k && k < iv.end) return true;
  }
  return false;
}

Status Duplicate() { return Status::BadRequest(kv::kErrDuplicateKey); }

Status CheckIntervals(const std::vector<kv::RequestOp>& reqs, std::unordered_set<std::string>* puts,
                      std::vector<Interval>* dels) {
  for (const auto& op : reqs) {
    if (const auto* d = std::get_if<kv::DeleteRangeRequest>(&op.op)) {
      dels->push_back(d->range_end.empty() ? Interval{d->key, d->key + std::string(1, '\0')}
                                           : Interval{d->key, d->range_end});
    }
  }
  for (const auto& op : reqs) {
    const auto* t = std::get_if<std::shared_ptr<kv::TxnRequest>>(&op.op);
    if (t == nullptr || *t == nullptr) continue;
    std::unordered_set<std::string> puts_then, puts_else;
    std::vector<Interval> dels_then, dels_else;
    RETURN_IF_ERROR(CheckIntervals((*t)->success, &puts_then, &dels_then));
    RETURN_IF_ERROR(CheckIntervals((*t)->failure, &puts_else, &dels_else));
    for (const auto& k : puts_then) {
      if (puts->count(k) != 0 || Intersects(*dels, k)) return Duplicate();
      puts->insert(k);
    }
    for (const auto& k : puts_else) {
      // then/else are exclusive, so the same key in both is fine.
      if (puts->count(k) != 0 && puts_then.count(k) == 0) return Duplicate();
      if (Intersects(*dels, k)) return Duplicate();
      puts->insert(k);
    }
    dels->insert(dels->end(), dels_then.begin(), dels_then.end());
    dels->insert(dels->end(), dels_else.begin(), dels_else.end());
  }
  for (const auto& op : reqs) {
    const auto* p = std::get_if<kv::PutRequest>(&op.op);
    if (p == nullptr) continue;
    if (puts->count(p->key) != 0 || Intersects(*dels, p->key)) return Duplicate();
    puts->insert(p->key);
  }
  return Status::Ok();
}

Status CheckOp(const kv::RequestOp& op, int64_t max_ops) {
  if (const auto* r = std::get_if<kv::RangeRequest>(&op.op)) {
    if (r->key.empty()) return Status::BadRequest(kv::kErrEmptyKey);
  } else if (const auto* p = std::get_if<kv::PutRequest>(&op.op)) {
    return CheckPutRequest(*p);
  } else if (const auto* d = std::get_if<kv::DeleteRangeRequest>(&op.op)) {
    if (d->key.empty()) return Status::BadRequest(kv::kErrEmptyKey);
  } else if (const auto* t = std::get_if<std::shared_ptr<kv::TxnRequest>>(&op.op)) {
    if (*t == nullptr) return Status::BadRequest("etcdserver: key not found");
    return CheckTxnRequest(**t, max_ops);
  }
  return Status::Ok();
}

int64_t OpsCost(const std::vector<kv::RequestOp>& ops) {
  int64_t cost = 0;
  for (const auto& op : ops) {
    if (const auto* p = std::get_if<kv::PutRequest>(&op.op)) cost += PutCost(*p);
  }
  return cost;
}

}  // namespace

Status CheckPutRequest(const kv::PutRequest& req) {
  if (req.key.empty()) return Status::BadRequest(kv::kErrEmptyKey);
  if (req.ignore_value && !req.value.empty()) return Status::BadRequest(kErrValueProvided);
  if (req.ignore_lease && req.lease != 0) return Status::BadRequest(kErrLeaseProvided);
  return Status::Ok();
}

Status CheckTxnRequest(const kv::TxnRequest& req, int64_t max_ops) {
  int64_t opc = static_cast<int64_t>(
      std::max({req.compare.size(), req.success.size(), req.failure.size()}));
  if (opc > max_ops) return Status::BadRequest(kv::kErrTooManyOps);
  for (const auto& c : req.compare) {
    if (c.key.empty()) return Status::BadRequest(kv::kErrEmptyKey);
  }
  // Nested txns share the budget left by this level (etcd's checkTxnRequest).
  for (const auto& op : req.success) RETURN_IF_ERROR(CheckOp(op, max_ops - opc));
  for (const auto& op : req.failure) RETURN_IF_ERROR(CheckOp(op, max_ops - opc));
  return Status::Ok();
}

Status CheckTxnIntervals(const kv::TxnRequest& req) {
  {
    std::unordered_set<std::string> puts;
    std::vector<Interval> dels;
    RETURN_IF_ERROR(CheckIntervals(req.success, &puts, &dels));
  }
  std::unordered_set<std::string> puts;
  std::vector<Interval> dels;
  return CheckIntervals(req.failure, &puts, &dels);
}

bool TxnIsReadOnly(const kv::TxnRequest& req) {
  for (const auto* ops : {&req.success, &req.failure}) {
    for (const auto& op : *ops) {
      if (!std::holds_alternative<kv::RangeRequest>(op.op)) return false;
    }
  }
  return true;
}

int64_t PutCost(const kv::PutRequest& req) {
  return kKvOverhead + static_cast<int64_t>(req.key.size() + req.value.size()) + 16;
}

int64_t TxnCost(const kv::TxnRequest& req) {
  return std::max(OpsCost(req.success), OpsCost(req.failure));
}

// ---------------------------------------------------------------- engine side

void Engine::EvalPath(const ReadState& st, const kv::TxnRequest& req, std::vector<bool>* path) {
  bool ok = Compare(st, req.compare);
  path->push_back(ok);
  for (const auto& op : ok ? req.success : req.failure) {
    if (const auto* t = std::get_if<std::shared_ptr<kv::TxnRequest>>(&op.op)) {
      if (*t != nullptr) EvalPath(st, **t, path);
    }
  }
}

Status Engine::CheckPath(const ReadState& st, const kv::TxnRequest& req,
                         const std::vector<bool>& path, size_t* pos, bool check_puts) {
  bool ok = path[(*pos)++];
  for (const auto& op : ok ? req.success : req.failure) {
    if (const auto* t = std::get_if<std::shared_ptr<kv::TxnRequest>>(&op.op)) {
      if (*t != nullptr) RETURN_IF_ERROR(CheckPath(st, **t, path, pos, check_puts));
    } else if (const auto* p = std::get_if<kv::PutRequest>(&op.op)) {
      if (!check_puts) continue;
      if (p->lease != 0 && !LeaseExists(p->lease)) return Status::NotFound(kv::kErrLeaseNotFound);
      if ((p->ignore_value || p->ignore_lease) && !GetLatest(st, p->key)) {
        return Status::BadRequest(kErrKeyNotFound);
      }
    } else if (const auto* r = std::get_if<kv::RangeRequest>(&op.op)) {
      if (check_puts) continue;
      RETURN_IF_ERROR(CheckRangeRevision(st, *r));
    }
  }
  return Status::Ok();
}

Result<kv::TxnResponse> Engine::ReadOnlyTxn(const ReadState& st, const kv::TxnRequest& req,
                                            const std::vector<bool>& path, size_t* pos) {
  kv::TxnResponse resp;
  resp.succeeded = path[(*pos)++];
  resp.revision = st.current;
  for (const auto& op : resp.succeeded ? req.success : req.failure) {
    const auto* r = std::get_if<kv::RangeRequest>(&op.op);
    if (r == nullptr) continue;  // REQUIRES: TxnIsReadOnly(req)
    ASSIGN_OR_RETURN(auto rr, DoRange(st, *r));
    resp.responses.emplace_back().op.emplace<kv::RangeResponse>(std::move(rr));
  }
  return resp;
}

Result<kv::TxnResponse> Engine::Txn(const kv::TxnRequest& req) {
  RETURN_IF_ERROR(CheckTxnRequest(req, opts_.max_txn_ops));
  RETURN_IF_ERROR(CheckTxnIntervals(req));
  m_.txns.Inc();
  if (TxnIsReadOnly(req)) {
    // Compares and reads at one published revision: no need to queue behind
    // writers, exactly as etcd serves read-only txns without raft writes.
    std::shared_lock<RwLock> env(env_mu_);
    if (env_ == nullptr) return Status::Unavailable("mvcc: the store is closed");
    for (int attempt = 0;; ++attempt) {
      ReadTxn rt;
      ReadState st{&rt, CurrentRevision(), false};
      std::vector<bool> path;
      EvalPath(st, req, &path);
      size_t pos = 0;
      Status checked = CheckPath(st, req, path, &pos, false);
      pos = 0;
      Result<kv::TxnResponse> out =
          checked.ok() ? ReadOnlyTxn(st, req, path, &pos) : Result<kv::TxnResponse>(checked);
      EndRead(rt);
      // The compares and reads take the index lock several times; a
      // compaction past the snapshot revision in between could have hidden
      // history they needed. Rare: evaluate again at a newer revision.
      if (CompactRevision() > st.current && attempt < 3) continue;
      return out;
    }
  }
  WriteOp op;
  op.kind = WriteOp::Kind::kTxn;
  op.txn = &req;
  RETURN_IF_ERROR(Submit(&op));
  return std::move(op.txn_resp);
}

}  // namespace common::mvcc
