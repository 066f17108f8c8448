// Durability: Persist makes a group commit durable (kWal: one WAL record and
// one fdatasync; otherwise one LMDB commit), the checkpointer moves logged
// batches into LMDB in the background, and Recover replays the WAL at Open.
#include <algorithm>
#include <random>

#include "common/log.h"
#include "mvcc_internal.h"

namespace common::mvcc {

namespace {

int64_t GetMetaValue(MDB_txn* txn, MDB_dbi dbi, std::string_view name) {
  MDB_val k = ToVal(name), v;
  if (mdb_get(txn, dbi, &k, &v) != 0 || v.mv_size != 8) return 0;
  return GetFixed64(v.mv_data);
}

int PutMetaValue(MDB_txn* txn, MDB_dbi dbi, std::string_view name, int64_t value) {
  std::string s;
  PutFixed64(&s, value);
  MDB_val k = ToVal(name), v = ToVal(s);
  return mdb_put(txn, dbi, &k, &v, 0);
}

uint64_t NewLogId() {
  std::random_device rd;
  uint64_t id = 0;
  while (id == 0) {
    id = (static_cast<uint64_t>(rd()) << 32) ^ static_cast<uint64_t>(rd()) ^
         static_cast<uint64_t>(Clock::now().time_since_epoch().count());
  }
  return id;
}

}  // namespace

// ---------------------------------------------------------------- applying

Status Engine::ApplyLog(MDB_txn* txn, const BatchLog& log) {
  auto fail = [&](int rc) {
    return rc == MDB_MAP_FULL ? Status::TooManyRequests(kv::kErrNoSpace)
                              : LmdbError(rc, "write", data_path_);
  };
  for (const auto& r : log.records) {
    char kb[kRevKeySize];
    EncodeRevKey(r.rev, kb);
    MDB_val k{kRevKeySize, kb}, v = ToVal(r.data);
    // Revisions only grow, so every record appends at the end of the tree.
    int rc = mdb_put(txn, kv_dbi_, &k, &v, MDB_APPEND);
    if (rc == MDB_KEYEXIST) rc = mdb_put(txn, kv_dbi_, &k, &v, 0);
    if (rc != 0) return fail(rc);
  }
  for (const auto& m : log.others) {
    MDB_dbi dbi = m.table == Table::kKv ? kv_dbi_ : (m.table == Table::kMeta ? meta_dbi_ : lease_dbi_);
    MDB_val k = ToVal(m.key);
    int rc = 0;
    if (m.del) {
      rc = mdb_del(txn, dbi, &k, nullptr);
      if (rc == MDB_NOTFOUND) rc = 0;
    } else {
      MDB_val v = ToVal(m.value);
      rc = mdb_put(txn, dbi, &k, &v, 0);
    }
    if (rc != 0) return fail(rc);
  }
  return Status::Ok();
}

Status Engine::Persist(Batch& b) {
  if (wal_mode()) {
    // The batch is durable once its record is: replay rebuilds it into LMDB.
    RETURN_IF_ERROR(wal_->Append(EncodeBatchLog(*b.log)));
    b.log->seq = wal_->next_seq() - 1;
    if (opts_.fsync) m_.wal_fsync_seconds.Observe(wal_->last_sync_seconds());
    return Status::Ok();
  }
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_, nullptr, 0, &txn);
  if (rc != 0) return LmdbError(rc, "begin a write transaction on", data_path_);
  Status s = ApplyLog(txn, *b.log);
  if (!s.ok()) {
    mdb_txn_abort(txn);
    return s;
  }
  rc = mdb_txn_commit(txn);
  if (rc != 0) {
    return rc == MDB_MAP_FULL ? Status::TooManyRequests(kv::kErrNoSpace)
                              : LmdbError(rc, "commit to", data_path_);
  }
  if (opts_.fsync && opts_.sync_mode == SyncMode::kSingleFlush) {
    rc = mdb_env_sync(env_, 1);
    if (rc != 0) {
      // Committed but maybe not durable: the batch stands (its revisions are
      // in the file), its callers hear about the failed flush.
      b.sync_error = LmdbError(rc, "sync", data_path_);
      LOG_ERROR("mvcc: sync failed", {"error", b.sync_error.ToString()});
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- checkpoints

void Engine::Enqueue(std::shared_ptr<const BatchLog> log) {
  if (!log->records.empty()) pending_logs_.push_back(log);  // committer only
  bool wake = false;
  {
    std::lock_guard<std::mutex> lk(ck_mu_);
    if (ck_queue_.empty()) {
      ck_oldest_ = Clock::now();
      wake = true;  // the checkpointer sets its deadline
    }
    ck_queued_records_ += static_cast<int64_t>(log->records.size() + log->others.size());
    if (ck_queued_records_ >= opts_.checkpoint_batch_limit) wake = true;
    ck_queue_.push_back(std::move(log));
    ++ck_enqueued_;
  }
  if (wake) ck_cv_.notify_one();
}

Status Engine::CommitCheckpoint(const std::vector<std::shared_ptr<const BatchLog>>& logs,
                                uint64_t* seq) {
  for (int attempt = 0;; ++attempt) {
    Status s = Status::Ok();
    {
      std::shared_lock<RwLock> env(env_mu_);
      if (env_ == nullptr) return Status::Unavailable("mvcc: the store is closed");
      auto t0 = Clock::now();
      MDB_txn* txn = nullptr;
      int rc = mdb_txn_begin(env_, nullptr, 0, &txn);
      if (rc != 0) return LmdbError(rc, "begin a write transaction on", data_path_);
      *seq = 0;
      for (const auto& log : logs) {
        s = ApplyLog(txn, *log);
        if (!s.ok()) break;
        *seq = std::max(*seq, log->seq);
      }
      if (s.ok() && *seq > 0) {
        rc = PutMetaValue(txn, meta_dbi_, "wal_seq", static_cast<int64_t>(*seq));
        if (rc != 0) s = LmdbError(rc, "write", data_path_);
      }
      if (!s.ok()) {
        mdb_txn_abort(txn);
      } else {
        CrashPoint("checkpoint-applied");
        // Fully synchronous (kWal opens LMDB without MDB_NOSYNC): when this
        // returns the batches are in LMDB and their WAL records may go.
        rc = mdb_txn_commit(txn);
        if (rc != 0) {
          s = rc == MDB_MAP_FULL ? Status::TooManyRequests(kv::kErrNoSpace)
                                 : LmdbError(rc, "commit to", data_path_);
        } else {
          m_.commit_seconds.Observe(std::chrono::duration<double>(Clock::now() - t0).count());
          m_.checkpoint_size.Observe(static_cast<double>(logs.size()));
          m_.db_size.Set(static_cast<double>(DbBytes()));
          return Status::Ok();
        }
      }
    }
    // Acknowledged writes must reach LMDB: a full map grows (the quota,
    // checked before a write is acknowledged, is what limits the data).
    if (s.code() != Code::kTooManyRequests || attempt >= 4) return s;
    RETURN_IF_ERROR(GrowMap());
  }
}

Status Engine::GrowMap() {
  std::unique_lock<RwLock> env(env_mu_);
  if (env_ == nullptr) return Status::Unavailable("mvcc: the store is closed");
  DropReadPool();
  MDB_envinfo info;
  mdb_env_info(env_, &info);
  size_t size = info.me_mapsize * 2;
  int rc = mdb_env_set_mapsize(env_, size);
  if (rc != 0) return LmdbError(rc, "grow the map of", data_path_);
  FindMapping(data_path_, &map_addr_, &map_len_);
  LOG_WARNING("mvcc: grew the database map", {"bytes", static_cast<int64_t>(size)});
  return Status::Ok();
}

void Engine::CheckpointerLoop() {
  const auto interval = opts_.checkpoint_interval;
  uint64_t applied_seq = 0;
  std::unique_lock<std::mutex> lk(ck_mu_);
  for (;;) {
    while (!ck_stop_ && !ck_force_) {
      if (ck_queue_.empty()) {
        ck_cv_.wait(lk);
        continue;
      }
      if (ck_queued_records_ >= opts_.checkpoint_batch_limit) break;
      auto deadline = ck_oldest_ + interval;
      if (Clock::now() >= deadline) break;
      ck_cv_.wait_until(lk, deadline);
    }
    if (ck_queue_.empty()) {
      ck_force_ = false;
      ck_done_cv_.notify_all();
      if (ck_stop_) break;
      continue;
    }
    std::vector<std::shared_ptr<const BatchLog>> work(ck_queue_.begin(), ck_queue_.end());
    ck_queue_.clear();
    int64_t queued = ck_queued_records_;
    ck_queued_records_ = 0;
    uint64_t upto = ck_enqueued_;
    ck_force_ = false;
    lk.unlock();

    uint64_t seq = 0;
    Status s = CommitCheckpoint(work, &seq);
    if (s.ok()) {
      int64_t rev = 0, bytes = 0;
      for (const auto& log : work) {
        rev = std::max(rev, log->last_rev);
        bytes += log->bytes;
      }
      pending_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
      if (rev > 0) {
        checkpointed_rev_.store(rev, std::memory_order_release);
        {
          std::lock_guard<std::mutex> q(q_mu_);
          trim_due_ = true;
        }
        q_cv_.notify_one();
      }
      CrashPoint("checkpoint-committed");
      if (seq > 0) {
        applied_seq = seq;
        wal_->Release(seq);
      }
      wal_->PrepareSpare();
    }

    lk.lock();
    if (s.ok()) {
      ck_applied_ = upto;
      ck_error_ = Status::Ok();
      ck_applied_seq_ = applied_seq;
    } else {
      LOG_ERROR("mvcc: checkpoint to LMDB failed; the WAL keeps the writes, retrying",
                {"error", s.ToString()});
      ++ck_failures_;
      ck_error_ = s;
      ck_queue_.insert(ck_queue_.begin(), work.begin(), work.end());
      ck_queued_records_ += queued;
      ck_done_cv_.notify_all();
      if (ck_stop_) break;
      ck_cv_.wait_for(lk, std::max(interval, std::chrono::milliseconds(100)),
                      [this] { return ck_stop_; });
      continue;
    }
    ck_done_cv_.notify_all();
  }
  ck_exited_ = true;
  ck_done_cv_.notify_all();
}

Status Engine::Checkpoint() {
  if (!wal_mode() || !checkpointer_.joinable()) return Status::Ok();
  std::unique_lock<std::mutex> lk(ck_mu_);
  uint64_t ticket = ck_enqueued_;
  uint64_t failures = ck_failures_;
  if (ck_applied_ >= ticket) return Status::Ok();
  ck_force_ = true;
  ck_cv_.notify_one();
  ck_done_cv_.wait(lk, [&] {
    return ck_applied_ >= ticket || ck_failures_ != failures || ck_exited_;
  });
  if (ck_applied_ >= ticket) return Status::Ok();
  if (!ck_error_.ok()) return ck_error_;
  return Status::Unavailable("mvcc: the store is closed");
}

// ---------------------------------------------------------------- recovery

Status Engine::Recover() {
  std::string wal_dir = opts_.dir + "/wal";
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_, nullptr, 0, &txn);
  if (rc != 0) return LmdbError(rc, "begin a write transaction on", data_path_);
  auto applied = static_cast<uint64_t>(GetMetaValue(txn, meta_dbi_, "wal_seq"));
  auto log_id = static_cast<uint64_t>(GetMetaValue(txn, meta_dbi_, "wal_id"));
  // Where the file's history ends: the next logged record must continue it
  // (a fresh store is at revision 1).
  int64_t rev = std::max<int64_t>(1, GetMetaValue(txn, meta_dbi_, "rev"));
  {
    MDB_cursor* cur = nullptr;
    MDB_val k, v;
    if (mdb_cursor_open(txn, kv_dbi_, &cur) == 0) {
      if (mdb_cursor_get(cur, &k, &v, MDB_LAST) == 0 && k.mv_size == kRevKeySize) {
        rev = std::max(rev, DecodeRevKey(k.mv_data).main);
      }
      mdb_cursor_close(cur);
    }
  }
  uint64_t last = applied;
  int64_t replayed = 0;
  Status s = Wal::Replay(wal_dir, log_id, applied, [&](uint64_t seq, std::string_view payload) {
    BatchLog log;
    if (!DecodeBatchLog(payload, &log)) {
      return Status::Internal("mvcc: record " + std::to_string(seq) + " of the write-ahead log in '" +
                              wal_dir + "' does not decode");
    }
    if (!log.records.empty() && log.records.front().rev.main != rev + 1) {
      return Status::Internal("mvcc: the write-ahead log in '" + wal_dir + "' does not continue '" +
                              data_path_ + "': record " + std::to_string(seq) + " starts at revision " +
                              std::to_string(log.records.front().rev.main) +
                              ", the database ends at " + std::to_string(rev));
    }
    rev = std::max(rev, log.last_rev);
    RETURN_IF_ERROR(ApplyLog(txn, log));
    last = seq;
    ++replayed;
    return Status::Ok();
  });
  uint64_t new_id = wal_mode() ? NewLogId() : 0;
  if (s.ok() && wal_mode()) {
    // A fresh log id for this life: records a crash leaves in recycled
    // segments can never be taken for ours.
    rc = PutMetaValue(txn, meta_dbi_, "wal_id", static_cast<int64_t>(new_id));
    if (rc == 0) rc = PutMetaValue(txn, meta_dbi_, "wal_seq", static_cast<int64_t>(last));
    if (rc != 0) s = LmdbError(rc, "write", data_path_);
  } else if (s.ok() && replayed > 0) {
    rc = PutMetaValue(txn, meta_dbi_, "wal_seq", static_cast<int64_t>(last));
    if (rc != 0) s = LmdbError(rc, "write", data_path_);
  }
  if (!s.ok()) {
    mdb_txn_abort(txn);
    return s;
  }
  rc = mdb_txn_commit(txn);
  if (rc != 0) return LmdbError(rc, "commit to", data_path_);
  // kSingleFlush opens LMDB with MDB_NOSYNC; the replayed writes were
  // acknowledged, so they are flushed before their log may go.
  if (opts_.fsync && (rc = mdb_env_sync(env_, 1)) != 0) return LmdbError(rc, "sync", data_path_);
  if (replayed > 0) {
    LOG_INFO("mvcc: replayed the write-ahead log", {"records", replayed}, {"revision", rev},
             {"dir", wal_dir});
  }
  if (!wal_mode()) return Wal::Remove(wal_dir);
  Wal::Options wo;
  wo.dir = wal_dir;
  wo.segment_bytes = opts_.wal_segment_bytes;
  wo.fsync = opts_.fsync;
  ASSIGN_OR_RETURN(wal_, Wal::Open(wo, new_id, last + 1));
  ck_applied_seq_ = last;
  return Status::Ok();
}

}  // namespace common::mvcc
