// MvccStore: opening the LMDB environment (after replaying the WAL),
// rebuilding the index, and the read path (pending buffer, then pooled LMDB
// read transactions).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "common/file.h"
#include "common/log.h"
#include "mvcc_internal.h"

namespace common::mvcc {

namespace {

constexpr int64_t kDefaultQuota = int64_t{2} << 30;  // etcd's DefaultQuotaBytes
constexpr size_t kReadPoolMax = 64;

}  // namespace

Metrics& Metrics::Get() {
  static Metrics* m = [] {
    auto& r = metrics::Registry::Default();
    return new Metrics{
        r.AddGauge("etcd_mvcc_db_total_size_in_bytes",
                   "Total size of the underlying database physically allocated in bytes.")
            .With({}),
        r.AddGauge("etcd_mvcc_db_total_size_in_use_in_bytes",
                   "Total size of the underlying database logically in use in bytes.")
            .With({}),
        r.AddGauge("etcd_server_quota_backend_bytes", "Current backend storage quota size in bytes.")
            .With({}),
        r.AddHistogram("etcd_disk_backend_commit_duration_seconds",
                       "The latency distributions of commit called by backend.", {},
                       metrics::ExponentialBuckets(0.001, 2, 14))
            .With({}),
        r.AddHistogram("kubix_mvcc_group_commit_size",
                       "Write requests applied by one LMDB commit (group commit).", {},
                       metrics::ExponentialBuckets(1, 2, 12))
            .With({}),
        r.AddCounter("etcd_mvcc_put_total", "Total number of puts seen by this member.").With({}),
        r.AddCounter("etcd_mvcc_delete_total", "Total number of deletes seen by this member.")
            .With({}),
        r.AddCounter("etcd_mvcc_txn_total", "Total number of txns seen by this member.").With({}),
        r.AddCounter("etcd_mvcc_range_total", "Total number of ranges seen by this member.")
            .With({}),
        r.AddGauge("etcd_debugging_mvcc_keys_total", "Total number of keys.").With({}),
        r.AddGauge("etcd_debugging_mvcc_watcher_total", "Total number of watchers.").With({}),
        r.AddGauge("etcd_debugging_mvcc_slow_watcher_total", "Total number of unsynced slow watchers.")
            .With({}),
        r.AddCounter("etcd_debugging_mvcc_events_total",
                     "Total number of events sent by this member.")
            .With({}),
        r.AddGauge("etcd_debugging_mvcc_current_revision", "The current revision of store.")
            .With({}),
        r.AddGauge("etcd_debugging_mvcc_compact_revision",
                   "The revision of the last compaction in store.")
            .With({}),
        r.AddHistogram("etcd_debugging_mvcc_db_compaction_total_duration_milliseconds",
                       "Bucketed histogram of db compaction total duration.", {},
                       metrics::ExponentialBuckets(100, 2, 14))
            .With({}),
        r.AddCounter("etcd_debugging_lease_granted_total", "The total number of granted leases.")
            .With({}),
        r.AddCounter("etcd_debugging_lease_revoked_total", "The total number of revoked leases.")
            .With({}),
        r.AddCounter("etcd_debugging_lease_renewed_total",
                     "The number of renewed leases seen by the leader.")
            .With({}),
        r.AddHistogram("etcd_disk_wal_fsync_duration_seconds",
                       "The latency distributions of fsync called by WAL.", {},
                       metrics::ExponentialBuckets(0.001, 2, 14))
            .With({}),
        r.AddHistogram("kubix_mvcc_checkpoint_batches",
                       "Group commits moved from the WAL into LMDB by one checkpoint.", {},
                       metrics::ExponentialBuckets(1, 2, 14))
            .With({}),
        r.AddGauge("kubix_mvcc_pending_revisions",
                   "Acknowledged revisions held in memory until a checkpoint writes them to LMDB.")
            .With({}),
    };
  }();
  return *m;
}

// ---------------------------------------------------------------- MvccStore

MvccStore::MvccStore(std::unique_ptr<Engine> engine) : engine_(std::move(engine)) {}
MvccStore::~MvccStore() = default;

Result<std::unique_ptr<MvccStore>> MvccStore::Open(const MvccOptions& options) {
  try {
    ASSIGN_OR_RETURN(auto engine, Engine::Open(options));
    return std::unique_ptr<MvccStore>(new MvccStore(std::move(engine)));
  } catch (const std::exception& e) {
    // Thread creation (std::system_error) or allocation failures.
    return Status::Internal(std::string("mvcc: cannot open the store: ") + e.what());
  }
}

Result<kv::RangeResponse> MvccStore::Range(const kv::RangeRequest& r) { return engine_->Range(r); }
Result<kv::PutResponse> MvccStore::Put(const kv::PutRequest& r) { return engine_->Put(r); }
Result<kv::DeleteRangeResponse> MvccStore::DeleteRange(const kv::DeleteRangeRequest& r) {
  return engine_->DeleteRange(r);
}
Result<kv::TxnResponse> MvccStore::Txn(const kv::TxnRequest& r) { return engine_->Txn(r); }
void MvccStore::PutAsync(kv::PutRequest req, Callback<kv::PutResponse> done) {
  engine_->PutAsync(std::move(req), std::move(done));
}
void MvccStore::DeleteRangeAsync(kv::DeleteRangeRequest req,
                                 Callback<kv::DeleteRangeResponse> done) {
  engine_->DeleteRangeAsync(std::move(req), std::move(done));
}
void MvccStore::TxnAsync(kv::TxnRequest req, Callback<kv::TxnResponse> done) {
  engine_->TxnAsync(std::move(req), std::move(done));
}
Result<kv::CompactResponse> MvccStore::Compact(int64_t rev, bool physical) {
  return engine_->Compact(rev, physical);
}
Result<kv::LeaseGrantResponse> MvccStore::LeaseGrant(int64_t ttl, int64_t id) {
  return engine_->LeaseGrant(ttl, id);
}
Status MvccStore::LeaseRevoke(int64_t id) { return engine_->LeaseRevoke(id); }
Result<int64_t> MvccStore::LeaseKeepAlive(int64_t id) { return engine_->LeaseKeepAlive(id); }
Result<kv::LeaseTimeToLiveResponse> MvccStore::LeaseTimeToLive(int64_t id, bool keys) {
  return engine_->LeaseTimeToLive(id, keys);
}
Result<std::vector<int64_t>> MvccStore::LeaseList() { return engine_->LeaseList(); }
Result<std::unique_ptr<kv::Watcher>> MvccStore::Watch(const kv::WatchRequest& req,
                                                      kv::WatchCallback cb) {
  return engine_->Watch(req, std::move(cb));
}
Result<kv::StatusResponse> MvccStore::GetStatus() { return engine_->GetStatus(); }
Status MvccStore::SnapshotTo(const std::string& path) { return engine_->SnapshotTo(path); }
Status MvccStore::Defragment() { return engine_->Defragment(); }
Status MvccStore::DisarmAlarms() { return engine_->DisarmAlarms(); }
int64_t MvccStore::CurrentRevision() const { return engine_->CurrentRevision(); }
int64_t MvccStore::CompactRevision() const { return engine_->CompactRevision(); }

// ---------------------------------------------------------------- open

Engine::Engine(const MvccOptions& options) : opts_(options), m_(Metrics::Get()) {
  quota_ = opts_.quota_bytes > 0 ? opts_.quota_bytes : kDefaultQuota;
  data_path_ = opts_.dir + "/data.mdb";
}

Result<std::unique_ptr<Engine>> Engine::Open(const MvccOptions& options) {
  if (options.dir.empty()) return Status::Invalid("mvcc: a data directory is required");
  if (options.max_txn_ops <= 0) return Status::Invalid("mvcc: max_txn_ops must be positive");
  if (options.quota_bytes < 0) return Status::Invalid("mvcc: quota_bytes must not be negative");
  if (options.checkpoint_interval.count() < 0 || options.checkpoint_batch_limit <= 0) {
    return Status::Invalid("mvcc: checkpoint_interval and checkpoint_batch_limit must be positive");
  }
  if (options.wal_segment_bytes < 8192) {
    return Status::Invalid("mvcc: wal_segment_bytes must be at least 8 KiB");
  }
  RETURN_IF_ERROR(MakeDirs(options.dir, 0700));
  std::unique_ptr<Engine> e(new Engine(options));
  // Two engines on one file would each issue revisions from their own index:
  // refuse a second opener, in this process or another (LMDB itself allows
  // several processes, and must not be opened twice in one).
  std::string lock_path = options.dir + "/kubix.lock";
  e->lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (e->lock_fd_ < 0) return Status::FromErrno(errno, "open", lock_path);
  if (::flock(e->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Status::Unavailable("mvcc: the database in '" + options.dir +
                                 "' is in use by another store");
    }
    return Status::FromErrno(errno, "lock", lock_path);
  }
  // A defragmentation interrupted by a crash leaves its copy behind; the
  // original file is still the database.
  std::string tmp = options.dir + "/defrag.tmp";
  ::unlink((tmp + "/data.mdb").c_str());
  ::unlink((tmp + "/lock.mdb").c_str());
  ::rmdir(tmp.c_str());
  RETURN_IF_ERROR(e->OpenEnv());
  // Acknowledged writes the last run left only in the WAL go into LMDB
  // first, so Load sees them like every other record.
  RETURN_IF_ERROR(e->Recover());
  RETURN_IF_ERROR(e->Load());
  e->ReleaseMappedPages();
  e->checkpointed_rev_ = e->current_rev_;
  e->hub_ = std::make_shared<WatchHub>(e.get(), e->published_rev_.load());
  e->committer_ = std::thread([p = e.get()] { p->CommitterLoop(); });
  if (e->wal_mode()) e->checkpointer_ = std::thread([p = e.get()] { p->CheckpointerLoop(); });
  e->ticker_ = std::thread([p = e.get()] { p->TickerLoop(); });
  e->m_.quota.Set(static_cast<double>(e->quota_));
  return e;
}

Engine::~Engine() {
  {
    std::lock_guard<std::mutex> lk(q_mu_);
    stopping_ = true;
  }
  q_cv_.notify_all();
  if (committer_.joinable()) committer_.join();
  if (checkpointer_.joinable()) {
    // The last checkpoint: everything logged goes into LMDB, and the WAL is
    // left with nothing to replay.
    {
      std::lock_guard<std::mutex> lk(ck_mu_);
      ck_stop_ = true;
    }
    ck_cv_.notify_all();
    checkpointer_.join();
    if (ck_queue_.empty() && wal_) wal_->Release(ck_applied_seq_, true);
  }
  {
    std::lock_guard<std::mutex> lk(ticker_mu_);
    ticker_stop_ = true;
  }
  ticker_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  if (hub_) hub_->Stop();
  CloseEnv();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}



Status Engine::OpenEnv() {
  int rc = mdb_env_create(&env_);
  if (rc != 0) return LmdbError(rc, "create LMDB environment for", opts_.dir);
  mdb_env_set_maxdbs(env_, 4);
  mdb_env_set_maxreaders(env_, 1024);
  // The map only reserves address space: quota plus room for the deletes and
  // compaction that must keep working once the quota is hit.
  size_t mapsize = static_cast<size_t>(quota_) * 2 + (size_t{1} << 30);
  rc = mdb_env_set_mapsize(env_, mapsize);
  if (rc != 0) return LmdbError(rc, "set map size of", opts_.dir);
  unsigned flags = MDB_NOTLS | MDB_NORDAHEAD;
  if (!opts_.fsync || opts_.sync_mode == SyncMode::kSingleFlush) flags |= MDB_NOSYNC;
  rc = mdb_env_open(env_, opts_.dir.c_str(), flags, 0600);
  if (rc != 0) {
    mdb_env_close(env_);
    env_ = nullptr;
    return LmdbError(rc, "open database in", opts_.dir);
  }
  MDB_txn* txn = nullptr;
  rc = mdb_txn_begin(env_, nullptr, 0, &txn);
  if (rc == 0) rc = mdb_dbi_open(txn, "kv", MDB_CREATE, &kv_dbi_);
  if (rc == 0) rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &meta_dbi_);
  if (rc == 0) rc = mdb_dbi_open(txn, "lease", MDB_CREATE, &lease_dbi_);
  if (rc == 0) {
    rc = mdb_txn_commit(txn);
  } else if (txn != nullptr) {
    mdb_txn_abort(txn);
  }
  if (rc != 0) {
    mdb_env_close(env_);
    env_ = nullptr;
    return LmdbError(rc, "open tables of", data_path_);
  }
  FindMapping(data_path_, &map_addr_, &map_len_);
  return Status::Ok();
}

void Engine::CloseEnv() {
  if (env_ == nullptr) return;
  DropReadPool();
  mdb_env_close(env_);
  env_ = nullptr;
  map_addr_ = nullptr;
  map_len_ = 0;
}

namespace {

int64_t GetMeta(MDB_txn* txn, MDB_dbi dbi, std::string_view name) {
  MDB_val k = ToVal(name), v;
  if (mdb_get(txn, dbi, &k, &v) != 0 || v.mv_size != 8) return 0;
  return GetFixed64(v.mv_data);
}

}  // namespace

Status Engine::Load() {
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
  if (rc != 0) return LmdbError(rc, "read", data_path_);
  int64_t meta_rev = GetMeta(txn, meta_dbi_, "rev");
  int64_t finished = GetMeta(txn, meta_dbi_, "compact");
  int64_t scheduled = GetMeta(txn, meta_dbi_, "scheduled_compact");
  nospace_ = GetMeta(txn, meta_dbi_, "alarm_nospace") != 0;

  // Rebuild the index in revision order; remember the lease of each key's
  // newest record to re-attach keys to leases.
  std::unordered_map<std::string, int64_t> key_lease;
  int64_t last_main = 0;
  MDB_cursor* cur = nullptr;
  rc = mdb_cursor_open(txn, kv_dbi_, &cur);
  if (rc != 0) {
    mdb_txn_abort(txn);
    return LmdbError(rc, "read", data_path_);
  }
  MDB_val k, v;
  std::string key;
  for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
       rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
    RecordView rec;
    if (k.mv_size != kRevKeySize || !DecodeRecord(FromVal(v), &rec)) {
      mdb_cursor_close(cur);
      mdb_txn_abort(txn);
      return Status::Internal("mvcc: corrupt record in '" + data_path_ + "'");
    }
    Revision r = DecodeRevKey(k.mv_data);
    key.assign(rec.key);
    index_.Append(key, IndexEntry{r.main, static_cast<uint32_t>(r.sub), rec.tombstone ? 1u : 0u});
    if (rec.tombstone || rec.lease == 0) {
      if (!key_lease.empty()) key_lease.erase(key);
    } else {
      key_lease[key] = rec.lease;
    }
    last_main = r.main;
  }
  mdb_cursor_close(cur);
  if (rc != MDB_NOTFOUND) {
    mdb_txn_abort(txn);
    return LmdbError(rc, "read", data_path_);
  }

  // Leases come back with their full TTL, as etcd's lessor refreshes every
  // lease when a leader is promoted after a restart.
  auto now = Now();
  rc = mdb_cursor_open(txn, lease_dbi_, &cur);
  if (rc == 0) {
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
      if (k.mv_size != 8 || v.mv_size != 8) continue;
      const auto* p = static_cast<const unsigned char*>(k.mv_data);
      uint64_t id = 0;
      for (int i = 0; i < 8; ++i) id = (id << 8) | p[i];
      Lease l;
      l.id = static_cast<int64_t>(id);
      l.ttl = GetFixed64(v.mv_data);
      l.expiry = now + std::chrono::seconds(l.ttl);
      leases_.emplace(l.id, std::move(l));
    }
    mdb_cursor_close(cur);
  }
  mdb_txn_abort(txn);
  for (auto& [k2, lease] : key_lease) {
    auto it = leases_.find(lease);
    if (it != leases_.end()) it->second.keys.insert(k2);
  }

  // A fresh store is at revision 1, its first write at 2 (etcd's NewStore
  // starts currentRev at 1).
  current_rev_ = std::max({meta_rev, last_main, finished, scheduled, int64_t{1}});
  published_rev_ = current_rev_;
  finished_compact_ = finished;
  compact_rev_ = std::max(finished, scheduled);
  if (scheduled > finished) {
    // Resume the compaction a crash interrupted.
    compacting_ = true;
    compact_target_ = scheduled;
    compact_cursor_.clear();
    compact_started_ = Clock::now();
  }
  std::random_device rd;
  next_lease_id_ = ((static_cast<uint64_t>(rd()) << 32) ^ static_cast<uint64_t>(
                        std::chrono::system_clock::now().time_since_epoch().count())) &
                   0x7fffffffffff0000ULL;
  m_.keys.Set(static_cast<double>(index_.size()));
  m_.current_revision.Set(static_cast<double>(current_rev_));
  m_.compact_revision.Set(static_cast<double>(compact_rev_.load()));
  m_.db_size.Set(static_cast<double>(DbBytes()));
  return Status::Ok();
}

// ---------------------------------------------------------------- reads

Result<MDB_txn*> Engine::BeginRead() {
  MDB_txn* txn = nullptr;
  {
    std::lock_guard<std::mutex> lk(rtxn_mu_);
    if (!rtxn_pool_.empty()) {
      txn = rtxn_pool_.back();
      rtxn_pool_.pop_back();
    }
  }
  if (txn != nullptr) {
    if (mdb_txn_renew(txn) == 0) return txn;
    mdb_txn_abort(txn);
    txn = nullptr;
  }
  int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
  if (rc != 0) return LmdbError(rc, "begin a read transaction on", data_path_);
  return txn;
}

void Engine::EndRead(MDB_txn* txn) {
  mdb_txn_reset(txn);
  std::lock_guard<std::mutex> lk(rtxn_mu_);
  if (rtxn_pool_.size() < kReadPoolMax) {
    rtxn_pool_.push_back(txn);
  } else {
    mdb_txn_abort(txn);
  }
}

void Engine::DropReadPool() {
  std::lock_guard<std::mutex> lk(rtxn_mu_);
  for (MDB_txn* t : rtxn_pool_) mdb_txn_abort(t);
  rtxn_pool_.clear();
}

Result<kv::RangeResponse> Engine::Range(const kv::RangeRequest& req) {
  if (req.key.empty()) return Status::BadRequest(kv::kErrEmptyKey);
  m_.ranges.Inc();
  std::shared_lock<RwLock> env(env_mu_);
  if (env_ == nullptr) return Status::Unavailable("mvcc: the store is closed");
  for (int attempt = 0;; ++attempt) {
    ReadTxn rt;
    ReadState st{&rt, CurrentRevision(), false};
    auto r = DoRange(st, req);
    EndRead(rt);
    // A read of the latest revision only fails as compacted when a compaction
    // past our snapshot revision raced with it: read again, newer.
    if (!r.ok() && r.status().code() == Code::kExpired && req.revision <= 0 && attempt < 3) {
      continue;
    }
    return r;
  }
}

std::optional<kv::KeyValue> Engine::GetAt(const std::string& key, int64_t rev) {
  std::shared_lock<RwLock> env(env_mu_);
  if (env_ == nullptr || rev <= 0) return std::nullopt;
  IndexEntry e;
  RecordView rec;
  {
    std::shared_lock<RwLock> lk(index_mu_);
    if (rev < CompactRevision()) return std::nullopt;
    auto it = index_.map().find(key);
    if (it == index_.map().end()) return std::nullopt;
    const IndexEntry* p = it->second.At(rev);
    if (p == nullptr || p->tombstone) return std::nullopt;
    e = *p;
    const LoggedRecord* buffered = Pending(e.rev());
    if (buffered != nullptr && DecodeRecord(buffered->data, &rec)) return ToKeyValue(rec, e.main);
  }
  ReadTxn rt;
  std::optional<kv::KeyValue> out;
  if (ReadStored(ReadState{&rt, rev, false}, e.rev(), &rec).ok()) out = ToKeyValue(rec, e.main);
  EndRead(rt);
  return out;
}

Result<int64_t> Engine::ReadEvents(int64_t from, int64_t to, const std::string& key,
                                   const std::string& end, int64_t max_events,
                                   std::vector<kv::Event>* out) {
  std::shared_lock<RwLock> env(env_mu_);
  if (env_ == nullptr) return Status::Unavailable("mvcc: the store is closed");
  bool single = end.empty();
  bool unbounded = end.size() == 1 && end[0] == '\0';
  auto match = [&](std::string_view k) {
    return single ? k == key : (k >= std::string_view(key) && (unbounded || k < std::string_view(end)));
  };
  auto event = [](const RecordView& rec, int64_t main) {
    kv::Event ev;
    ev.type = rec.tombstone ? kv::Event::Type::kDelete : kv::Event::Type::kPut;
    ev.kv = ToKeyValue(rec, main);
    return ev;
  };

  // Revisions >= base are in the pending buffer: copy them first. A snapshot
  // begun afterwards holds every older one (the buffer is trimmed only after
  // a checkpoint committed what it drops).
  std::vector<kv::Event> buffered;
  int64_t base = INT64_MAX;
  int64_t buffered_to = to;  // the buffer part is complete through here
  {
    std::shared_lock<RwLock> lk(index_mu_);
    if (!pending_.empty()) base = pending_base_;
    for (int64_t m = std::max(from, base); m <= to; ++m) {
      if (!buffered.empty() && static_cast<int64_t>(buffered.size()) >= max_events) {
        buffered_to = m - 1;
        break;
      }
      auto i = static_cast<size_t>(m - pending_base_);
      if (i >= pending_.size()) {
        buffered_to = m - 1;
        break;
      }
      const PendingRev& p = pending_[i];
      for (uint32_t j = 0; j < p.count; ++j) {
        RecordView rec;
        if (DecodeRecord(p.log->records[p.first + j].data, &rec) && match(rec.key)) {
          buffered.push_back(event(rec, m));
        }
      }
    }
  }

  ASSIGN_OR_RETURN(MDB_txn * txn, BeginRead());
  // Checked after the snapshot began: a compaction that could remove
  // revisions >= from publishes its revision before removing anything.
  if (from < CompactRevision()) {
    EndRead(txn);
    return Status(Code::kExpired, kv::kErrCompacted);
  }
  const int64_t stored_to = std::min(to, base - 1);
  int64_t cur_rev = -1;
  if (from <= stored_to) {
    MDB_cursor* cur = nullptr;
    int rc = mdb_cursor_open(txn, kv_dbi_, &cur);
    if (rc != 0) {
      EndRead(txn);
      return LmdbError(rc, "read", data_path_);
    }
    char kb[kRevKeySize];
    EncodeRevKey(Revision{from, 0}, kb);
    MDB_val k{kRevKeySize, kb}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
      Revision r = DecodeRevKey(k.mv_data);
      if (r.main > stored_to) break;
      if (r.main != cur_rev) {
        if (cur_rev != -1 && static_cast<int64_t>(out->size()) >= max_events) {
          mdb_cursor_close(cur);
          EndRead(txn);
          return cur_rev;
        }
        cur_rev = r.main;
      }
      RecordView rec;
      if (!DecodeRecord(FromVal(v), &rec) || !match(rec.key)) continue;
      out->push_back(event(rec, r.main));
    }
    mdb_cursor_close(cur);
  }
  EndRead(txn);

  // Then the buffered revisions, whole revisions only.
  for (size_t i = 0; i < buffered.size();) {
    int64_t r = buffered[i].kv.mod_revision;
    if (r - 1 >= from && static_cast<int64_t>(out->size()) >= max_events) return r - 1;
    while (i < buffered.size() && buffered[i].kv.mod_revision == r) out->push_back(std::move(buffered[i++]));
  }
  return buffered_to;
}

}  // namespace common::mvcc
