// Compaction: Compact records the revision at once (reads below it fail from
// then on) and the committer removes superseded revisions in steps of
// compaction_batch_keys keys between write batches, so writers never wait for
// a whole compaction.
#include "common/log.h"
#include "mvcc_internal.h"

namespace common::mvcc {

Result<kv::CompactResponse> Engine::Compact(int64_t revision, bool physical) {
  WriteOp op;
  op.kind = WriteOp::Kind::kCompact;
  op.a = revision;
  RETURN_IF_ERROR(Submit(&op));
  if (physical) {
    {
      std::unique_lock<std::mutex> lk(q_mu_);
      done_cv_.wait(lk, [&] { return finished_compact_ >= revision || stopping_; });
    }
    // In kWal the removals reach the file with the next checkpoint: make it
    // now, so "physical" means the space is free in LMDB (as etcd commits its
    // backend at the end of a compaction).
    RETURN_IF_ERROR(Checkpoint());
  }
  kv::CompactResponse resp;
  resp.revision = op.rev;
  return resp;
}

Status Engine::ApplyCompact(Batch& b, int64_t rev) {
  // etcd compares with compactMainRev, which is -1 before the first compaction.
  int64_t compacted = CompactRevision() == 0 ? -1 : CompactRevision();
  if (rev <= compacted) return Status(Code::kExpired, kv::kErrCompacted);
  if (rev > current_rev_) return Status::BadRequest(kv::kErrFutureRev);
  RETURN_IF_ERROR(PutMeta(b, "scheduled_compact", rev));
  int64_t old = CompactRevision();
  {
    std::unique_lock<RwLock> lk(index_mu_);
    compact_rev_.store(rev, std::memory_order_release);
  }
  b.undo.push_back([this, old] {
    std::unique_lock<RwLock> lk(index_mu_);
    compact_rev_.store(old, std::memory_order_release);
  });
  b.on_commit.push_back([this, rev] {
    compacting_ = true;
    compact_target_ = rev;
    compact_cursor_.clear();
    compact_started_ = Clock::now();
    m_.compact_revision.Set(static_cast<double>(rev));
  });
  return Status::Ok();
}

bool Engine::CompactionStep() {
  std::vector<CompactionPlan> plans;
  std::vector<Revision> removed;
  // The committer is the only index writer, so planning needs no lock.
  bool more = index_.PlanCompaction(compact_target_, &compact_cursor_,
                                    static_cast<size_t>(opts_.compaction_batch_keys), &plans,
                                    &removed);
  auto log = std::make_shared<BatchLog>();
  for (const Revision& r : removed) {
    Mutation m;
    m.table = Table::kKv;
    m.del = true;
    m.key.resize(kRevKeySize);
    EncodeRevKey(r, m.key.data());
    log->others.push_back(std::move(m));
  }
  if (!more) {
    Mutation m;
    m.key = "compact";
    PutFixed64(&m.value, compact_target_);
    log->others.push_back(std::move(m));
  }
  Status s = Status::Ok();
  if (wal_mode()) {
    // Not logged: the scheduled revision is, and a compaction lost in a crash
    // is planned again from the index at the next Open. The checkpointer
    // applies the removals in order after the batches that wrote them.
    if (!log->empty()) Enqueue(log);
  } else {
    std::shared_lock<RwLock> env(env_mu_);
    if (env_ == nullptr) return false;
    MDB_txn* txn = nullptr;
    int rc = mdb_txn_begin(env_, nullptr, 0, &txn);
    if (rc != 0) {
      s = LmdbError(rc, "compact", data_path_);
    } else {
      s = ApplyLog(txn, *log);
      if (s.ok()) {
        rc = mdb_txn_commit(txn);
        if (rc != 0) s = LmdbError(rc, "compact", data_path_);
      } else {
        mdb_txn_abort(txn);
      }
    }
  }
  if (!s.ok()) {
    // The scheduled revision is persisted: the next Open resumes the work.
    LOG_ERROR("mvcc: compaction step failed; it resumes at the next start", {"error", s.ToString()});
    compacting_ = false;
    // Logically the compaction holds (reads below it fail); do not leave a
    // physical Compact waiting for a removal that resumes only at restart.
    {
      std::lock_guard<std::mutex> lk(q_mu_);
      finished_compact_ = compact_target_;
    }
    done_cv_.notify_all();
    return false;
  }
  {
    std::unique_lock<RwLock> lk(index_mu_);
    index_.ApplyCompaction(plans);
  }
  if (!more) {
    compacting_ = false;
    {
      std::lock_guard<std::mutex> lk(q_mu_);
      finished_compact_ = compact_target_;
    }
    done_cv_.notify_all();
    m_.keys.Set(static_cast<double>(index_.size()));
    m_.compaction_ms.Observe(
        std::chrono::duration<double, std::milli>(Clock::now() - compact_started_).count());
    VLOG(2, "mvcc: compaction finished", {"revision", compact_target_});
  }
  return true;
}

}  // namespace common::mvcc
