// The write path: a queue, one committer thread, group commit. The committer
// applies every queued request to the in-memory state (index, pending buffer,
// leases) and collects their effects in one BatchLog, makes it durable once
// (Persist: a WAL record, or an LMDB commit), then publishes and acknowledges.
#include <algorithm>
#include <climits>

#include "common/log.h"
#include "mvcc_internal.h"

namespace common::mvcc {

namespace {

// Bounds one batch: larger batches stop paying off and delay acknowledgement.
constexpr size_t kMaxBatch = 1024;

}  // namespace

Result<kv::PutResponse> Engine::Put(const kv::PutRequest& req) {
  RETURN_IF_ERROR(CheckPutRequest(req));
  WriteOp op;
  op.kind = WriteOp::Kind::kPut;
  op.put = &req;
  RETURN_IF_ERROR(Submit(&op));
  return std::move(op.put_resp);
}

Result<kv::DeleteRangeResponse> Engine::DeleteRange(const kv::DeleteRangeRequest& req) {
  if (req.key.empty()) return Status::BadRequest(kv::kErrEmptyKey);
  WriteOp op;
  op.kind = WriteOp::Kind::kDelete;
  op.del = &req;
  RETURN_IF_ERROR(Submit(&op));
  return std::move(op.del_resp);
}

void Engine::PutAsync(kv::PutRequest req, std::function<void(Result<kv::PutResponse>)> done) {
  Status s = CheckPutRequest(req);
  if (!s.ok()) return done(s);
  auto* op = new WriteOp;
  op->kind = WriteOp::Kind::kPut;
  op->own_put = std::move(req);
  op->put = &op->own_put;
  op->on_done = [done = std::move(done)](WriteOp* o) {
    done(o->status.ok() ? Result<kv::PutResponse>(std::move(o->put_resp)) : Result<kv::PutResponse>(o->status));
  };
  SubmitAsync(op);
}

void Engine::DeleteRangeAsync(kv::DeleteRangeRequest req,
                              std::function<void(Result<kv::DeleteRangeResponse>)> done) {
  if (req.key.empty()) return done(Status::BadRequest(kv::kErrEmptyKey));
  auto* op = new WriteOp;
  op->kind = WriteOp::Kind::kDelete;
  op->own_del = std::move(req);
  op->del = &op->own_del;
  op->on_done = [done = std::move(done)](WriteOp* o) {
    done(o->status.ok() ? Result<kv::DeleteRangeResponse>(std::move(o->del_resp)) : Result<kv::DeleteRangeResponse>(o->status));
  };
  SubmitAsync(op);
}

void Engine::TxnAsync(kv::TxnRequest req, std::function<void(Result<kv::TxnResponse>)> done) {
  Status s = CheckTxnRequest(req, opts_.max_txn_ops);
  if (s.ok()) s = CheckTxnIntervals(req);
  if (!s.ok()) return done(s);
  if (TxnIsReadOnly(req)) return done(Txn(req));  // never queues
  m_.txns.Inc();
  auto* op = new WriteOp;
  op->kind = WriteOp::Kind::kTxn;
  op->own_txn = std::move(req);
  op->txn = &op->own_txn;
  op->on_done = [done = std::move(done)](WriteOp* o) {
    done(o->status.ok() ? Result<kv::TxnResponse>(std::move(o->txn_resp)) : Result<kv::TxnResponse>(o->status));
  };
  SubmitAsync(op);
}

void Engine::SubmitAsync(WriteOp* op) {
  {
    std::lock_guard<std::mutex> lk(q_mu_);
    if (!stopping_) {
      queue_.push_back(op);
      if (queue_.size() == 1) q_cv_.notify_one();
      return;
    }
  }
  op->status = Status::Unavailable("mvcc: the store is closed");
  op->on_done(op);
  delete op;
}

Status Engine::DisarmAlarms() {
  WriteOp op;
  op.kind = WriteOp::Kind::kDisarm;
  return Submit(&op);
}

Status Engine::Submit(WriteOp* op) {
  std::unique_lock<std::mutex> lk(q_mu_);
  if (stopping_) return Status::Unavailable("mvcc: the store is closed");
  queue_.push_back(op);
  if (queue_.size() == 1) q_cv_.notify_one();
  done_cv_.wait(lk, [op] { return op->done; });
  return op->status;
}

void Engine::SubmitAll(std::vector<WriteOp>& ops) {
  std::unique_lock<std::mutex> lk(q_mu_);
  if (stopping_) {
    for (auto& op : ops) op.status = Status::Unavailable("mvcc: the store is closed");
    return;
  }
  for (auto& op : ops) queue_.push_back(&op);
  q_cv_.notify_one();
  done_cv_.wait(lk, [&ops] {
    for (const auto& op : ops) {
      if (!op.done) return false;
    }
    return true;
  });
}

void Engine::CommitterLoop() {
  std::vector<WriteOp*> ops;
  std::vector<WriteOp*> async;
  for (;;) {
    {
      std::unique_lock<std::mutex> lk(q_mu_);
      q_cv_.wait(lk, [this] { return !queue_.empty() || stopping_ || compacting_ || trim_due_; });
      if (trim_due_) {
        trim_due_ = false;
        lk.unlock();
        TrimPending(checkpointed_rev_.load(std::memory_order_acquire));
        lk.lock();
      }
      if (queue_.empty() && stopping_) break;
      size_t n = std::min(queue_.size(), kMaxBatch);
      ops.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    if (!ops.empty()) {
      RunBatch(ops);
      // A synchronous op lives on its caller's stack and may be gone as soon
      // as it is marked done: sort the asynchronous ones out first.
      async.clear();
      {
        std::lock_guard<std::mutex> lk(q_mu_);
        for (WriteOp* op : ops) {
          if (op->on_done) {
            async.push_back(op);
          } else {
            op->done = true;
          }
        }
      }
      done_cv_.notify_all();
      // Asynchronous callers are answered from here, after the commit.
      for (WriteOp* op : async) {
        op->on_done(op);
        delete op;
      }
      ops.clear();
    }
    // One compaction step between batches: writers wait for a step at most.
    if (compacting_) CompactionStep();
  }
}

void Engine::RunBatch(std::vector<WriteOp*>& ops) {
  std::shared_lock<RwLock> env(env_mu_);
  if (env_ == nullptr) {
    for (WriteOp* op : ops) op->status = Status::Unavailable("mvcc: the store is closed");
    return;
  }
  auto t0 = Clock::now();
  Batch b;
  b.base_size = DbBytes() + pending_bytes_.load(std::memory_order_relaxed);
  b.start_rev = current_rev_;
  for (WriteOp* op : ops) {
    ApplyOne(b, op);
    if (!b.fatal.ok()) break;
  }
  EndRead(b.rt);
  if (b.fatal.ok() && current_rev_ != b.start_rev) (void)PutMeta(b, "rev", current_rev_);
  b.log->last_rev = current_rev_;
  if (b.fatal.ok() && !b.log->empty()) b.fatal = Persist(b);
  if (!b.fatal.ok()) {
    Rollback(b);
    if (b.fatal.code() == Code::kTooManyRequests) nospace_ = true;
    LOG_ERROR("mvcc: write batch failed", {"error", b.fatal.ToString()},
              {"requests", static_cast<int64_t>(ops.size())});
    for (WriteOp* op : ops) {
      if (op->status.ok()) op->status = b.fatal;
    }
    return;
  }
  // In kWal the backend commit is the checkpoint's (and the flush here is
  // etcd_disk_wal_fsync_duration_seconds).
  if (!wal_mode()) m_.commit_seconds.Observe(std::chrono::duration<double>(Clock::now() - t0).count());
  m_.batch_size.Observe(static_cast<double>(ops.size()));
  if (!b.log->empty() && wal_mode()) {
    // Queued before anyone can see the revision, so a Checkpoint() after a
    // read of it covers it.
    pending_bytes_.fetch_add(b.log->bytes, std::memory_order_relaxed);
    Enqueue(b.log);
  }
  published_rev_.store(current_rev_, std::memory_order_release);
  // Outside kWal the batch is in LMDB now.
  if (!wal_mode()) TrimPending(current_rev_);
  for (auto& fn : b.on_commit) fn();
  if (!b.sync_error.ok()) {
    for (WriteOp* op : ops) {
      if (op->status.ok()) op->status = b.sync_error;
    }
  }
  if (current_rev_ != b.start_rev) {
    m_.current_revision.Set(static_cast<double>(current_rev_));
    m_.keys.Set(static_cast<double>(index_.size()));
    if (!wal_mode()) m_.db_size.Set(static_cast<double>(DbBytes()));
  }
  if (!b.events.empty()) hub_->Notify(std::move(b.events), current_rev_);
}

void Engine::Rollback(Batch& b) {
  {
    std::unique_lock<RwLock> lk(index_mu_);
    for (const auto& key : b.touched) index_.Truncate(key, b.start_rev);
    while (!pending_.empty() && pending_base_ + static_cast<int64_t>(pending_.size()) - 1 > b.start_rev) {
      pending_.pop_back();
    }
  }
  for (auto it = b.undo.rbegin(); it != b.undo.rend(); ++it) (*it)();
  current_rev_ = b.start_rev;
}

void Engine::ApplyOne(Batch& b, WriteOp* op) {
  switch (op->kind) {
    case WriteOp::Kind::kPut: {
      m_.puts.Inc();
      const kv::PutRequest& req = *op->put;
      op->status = CheckSpace(b, PutCost(req));
      if (!op->status.ok()) return;
      if (req.lease != 0 && !LeaseExists(req.lease)) {
        op->status = Status::NotFound(kv::kErrLeaseNotFound);
        return;
      }
      OpCtx ctx{current_rev_};
      op->status = ApplyPut(b, ctx, req, &op->put_resp);
      if (ctx.changed()) current_rev_ = ctx.rev();
      return;
    }
    case WriteOp::Kind::kDelete: {
      OpCtx ctx{current_rev_};
      op->status = ApplyDelete(b, ctx, op->del->key, op->del->range_end, op->del->prev_kv,
                               &op->del_resp);
      if (ctx.changed()) current_rev_ = ctx.rev();
      return;
    }
    case WriteOp::Kind::kTxn: {
      const kv::TxnRequest& req = *op->txn;
      op->status = CheckSpace(b, TxnCost(req));
      if (!op->status.ok()) return;
      ReadState st{&b.rt, current_rev_, true};
      std::vector<bool> path;
      EvalPath(st, req, &path);
      size_t pos = 0;
      op->status = CheckPath(st, req, path, &pos, true);
      if (!op->status.ok()) return;
      pos = 0;
      op->status = CheckPath(st, req, path, &pos, false);
      if (!op->status.ok()) return;
      OpCtx ctx{current_rev_};
      pos = 0;
      op->status = ApplyTxn(b, ctx, req, path, &pos, &op->txn_resp);
      if (!op->status.ok() && b.fatal.ok()) b.fatal = op->status;
      if (ctx.changed()) current_rev_ = ctx.rev();
      op->txn_resp.revision = current_rev_;
      return;
    }
    case WriteOp::Kind::kCompact:
      op->status = ApplyCompact(b, op->a);
      op->rev = current_rev_;
      return;
    case WriteOp::Kind::kLeaseGrant:
      op->status = ApplyLeaseGrant(b, op);
      op->rev = current_rev_;
      return;
    case WriteOp::Kind::kLeaseRevoke:
    case WriteOp::Kind::kLeaseExpire: {
      OpCtx ctx{current_rev_};
      op->status = ApplyLeaseRevoke(b, ctx, op->a, op->kind == WriteOp::Kind::kLeaseExpire);
      if (ctx.changed()) current_rev_ = ctx.rev();
      op->rev = current_rev_;
      return;
    }
    case WriteOp::Kind::kDisarm:
      if (nospace_) {
        nospace_ = false;
        b.undo.push_back([this] { nospace_ = true; });
        op->status = PutMeta(b, "alarm_nospace", 0);
      }
      return;
  }
}

Status Engine::CheckSpace(Batch& b, int64_t cost) {
  if (cost <= 0) return Status::Ok();
  if (nospace_) return Status::TooManyRequests(kv::kErrNoSpace);
  // etcd's backendQuota.Available: size + cost must stay below the quota.
  if (b.base_size + b.added_bytes + cost >= quota_) {
    nospace_ = true;
    (void)PutMeta(b, "alarm_nospace", 1);
    LOG_WARNING("mvcc: database space exceeded, NOSPACE alarm raised",
                {"size", b.base_size + b.added_bytes}, {"quota", quota_});
    return Status::TooManyRequests(kv::kErrNoSpace);
  }
  b.added_bytes += cost;
  return Status::Ok();
}

Status Engine::PutMeta(Batch& b, std::string_view name, int64_t value) {
  Mutation m;
  m.table = Table::kMeta;
  m.key.assign(name);
  PutFixed64(&m.value, value);
  b.log->bytes += static_cast<int64_t>(m.key.size() + m.value.size());
  b.log->others.push_back(std::move(m));
  return b.fatal;
}

Status Engine::WriteRecord(Batch& b, OpCtx& ctx, kv::KeyValue kv, bool tombstone) {
  Revision r{ctx.rev(), ctx.sub};
  auto& recs = b.log->records;
  recs.push_back(LoggedRecord{r, EncodeRecord(kv, tombstone)});
  b.log->bytes += static_cast<int64_t>(kRevKeySize + recs.back().data.size());
  {
    std::unique_lock<RwLock> lk(index_mu_);
    index_.Append(kv.key, IndexEntry{r.main, static_cast<uint32_t>(r.sub), tombstone ? 1u : 0u});
    AddPending(b.log.get(), recs.size() - 1);
  }
  b.touched.insert(kv.key);
  ++ctx.sub;
  kv::Event ev;
  ev.type = tombstone ? kv::Event::Type::kDelete : kv::Event::Type::kPut;
  ev.kv = std::move(kv);
  b.events.push_back(std::move(ev));
  return Status::Ok();
}

Status Engine::ApplyPut(Batch& b, OpCtx& ctx, const kv::PutRequest& req, kv::PutResponse* resp) {
  const IndexEntry* latest = index_.Latest(req.key);
  bool exists = latest != nullptr && !latest->tombstone;
  RecordView prev;
  int64_t prev_main = 0;
  if (exists) {
    prev_main = latest->main;
    Status s = ReadRecord(ReadState{&b.rt, current_rev_, true}, latest->rev(), &prev);
    if (!s.ok()) {
      if (b.fatal.ok()) {
        b.fatal = Status::Internal("mvcc: cannot read the current value of a key: " + s.ToString());
      }
      return b.fatal;
    }
  }
  if ((req.ignore_value || req.ignore_lease) && !exists) {
    return Status::BadRequest(kErrKeyNotFound);
  }
  // Everything taken from `prev` is copied before the write: its bytes may
  // live in this batch's log, which the write may reallocate.
  kv::KeyValue kv;
  kv.key = req.key;
  kv.mod_revision = ctx.rev();
  kv.value = req.ignore_value ? std::string(prev.value) : req.value;
  kv.lease = req.ignore_lease ? prev.lease : req.lease;
  kv.create_revision = exists ? prev.create_revision : ctx.rev();
  kv.version = exists ? prev.version + 1 : 1;
  int64_t old_lease = exists ? prev.lease : 0;
  int64_t new_lease = kv.lease;
  if (req.prev_kv && exists) resp->prev_kv = ToKeyValue(prev, prev_main);
  RETURN_IF_ERROR(WriteRecord(b, ctx, std::move(kv), false));
  if (old_lease != new_lease) {
    if (old_lease != 0) Detach(b, old_lease, req.key);
    if (new_lease != 0) Attach(b, new_lease, req.key);
  }
  resp->revision = ctx.rev();
  return Status::Ok();
}

Status Engine::ApplyDelete(Batch& b, OpCtx& ctx, const std::string& key, const std::string& end,
                           bool prev_kv, kv::DeleteRangeResponse* resp) {
  std::vector<std::pair<std::string, Revision>> victims;
  index_.Visit(key, end, INT64_MAX, [&](const std::string& k, const IndexEntry& e) {
    victims.emplace_back(k, e.rev());
    return true;
  });
  for (auto& [k, r] : victims) {
    RecordView rec;
    Status s = ReadRecord(ReadState{&b.rt, current_rev_, true}, r, &rec);
    if (!s.ok()) {
      if (b.fatal.ok()) {
        b.fatal = Status::Internal("mvcc: cannot read a key being deleted: " + s.ToString());
      }
      return b.fatal;
    }
    int64_t lease = rec.lease;
    if (prev_kv) resp->prev_kvs.push_back(ToKeyValue(rec, r.main));
    kv::KeyValue tomb;
    tomb.key = k;
    tomb.mod_revision = ctx.rev();
    RETURN_IF_ERROR(WriteRecord(b, ctx, std::move(tomb), true));
    if (lease != 0) Detach(b, lease, k);
  }
  m_.deletes.Inc(static_cast<double>(victims.size()));
  resp->deleted = static_cast<int64_t>(victims.size());
  resp->revision = ctx.changed() ? ctx.rev() : ctx.begin;
  return Status::Ok();
}

Status Engine::ApplyTxn(Batch& b, OpCtx& ctx, const kv::TxnRequest& req,
                        const std::vector<bool>& path, size_t* pos, kv::TxnResponse* resp) {
  resp->succeeded = path[(*pos)++];
  for (const auto& op : resp->succeeded ? req.success : req.failure) {
    if (const auto* r = std::get_if<kv::RangeRequest>(&op.op)) {
      // Reads inside a txn see the txn's own earlier writes (etcd 3.4+).
      ReadState st{&b.rt, ctx.changed() ? ctx.rev() : ctx.begin, true};
      ASSIGN_OR_RETURN(auto rr, DoRange(st, *r));
      resp->responses.emplace_back().op.emplace<kv::RangeResponse>(std::move(rr));
    } else if (const auto* p = std::get_if<kv::PutRequest>(&op.op)) {
      m_.puts.Inc();
      kv::PutResponse pr;
      RETURN_IF_ERROR(ApplyPut(b, ctx, *p, &pr));
      resp->responses.emplace_back().op.emplace<kv::PutResponse>(std::move(pr));
    } else if (const auto* d = std::get_if<kv::DeleteRangeRequest>(&op.op)) {
      kv::DeleteRangeResponse dr;
      RETURN_IF_ERROR(ApplyDelete(b, ctx, d->key, d->range_end, d->prev_kv, &dr));
      resp->responses.emplace_back().op.emplace<kv::DeleteRangeResponse>(std::move(dr));
    } else if (const auto* t = std::get_if<std::shared_ptr<kv::TxnRequest>>(&op.op)) {
      auto sub = std::make_shared<kv::TxnResponse>();
      if (*t != nullptr) RETURN_IF_ERROR(ApplyTxn(b, ctx, **t, path, pos, sub.get()));
      // A nested txn's response has an empty header, as etcd's.
      sub->revision = 0;
      resp->responses.emplace_back().op.emplace<std::shared_ptr<kv::TxnResponse>>(std::move(sub));
    }
  }
  return Status::Ok();
}

}  // namespace common::mvcc
