// Internals of the MVCC engine shared by the mvcc_*.cpp files. Not a public
// header: only libcommon/src/mvcc*.cpp include it.
#pragma once

#include <lmdb.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/kv.h"
#include "common/metrics.h"
#include "common/mvcc.h"
#include "common/status.h"

namespace common::mvcc {

using Clock = std::chrono::steady_clock;

// A reader/writer lock that prefers writers. glibc's default rwlock (and so
// std::shared_mutex) prefers readers: a steady stream of range requests could
// starve the committer's index updates or Defragment forever.
// REQUIRES: a thread never takes the shared side twice (non-recursive).
class RwLock {
 public:
  RwLock() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&lock_, &attr);
    pthread_rwlockattr_destroy(&attr);
  }
  ~RwLock() { pthread_rwlock_destroy(&lock_); }
  RwLock(const RwLock&) = delete;
  RwLock& operator=(const RwLock&) = delete;
  void lock() { pthread_rwlock_wrlock(&lock_); }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

// ---------------------------------------------------------------- codec
// (mvcc_codec.cpp)

// A point in history: the revision of a write request and the position of one
// change inside it (a txn or a multi-key delete changes several keys at once).
struct Revision {
  int64_t main = 0;
  int64_t sub = 0;
};

// "kv" records are keyed by 16 bytes: big-endian main then sub, so LMDB's
// memcmp order is revision order and new records always append.
inline constexpr size_t kRevKeySize = 16;
void EncodeRevKey(Revision rev, char out[kRevKeySize]);
Revision DecodeRevKey(const void* data);

// A record as stored: [flags:1][create:8][version:8][lease:8][klen:4][key][value]
// (little-endian). A tombstone keeps only the key.
struct RecordView {
  bool tombstone = false;
  int64_t create_revision = 0;
  int64_t version = 0;
  int64_t lease = 0;
  std::string_view key;
  std::string_view value;
};
std::string EncodeRecord(const kv::KeyValue& kv, bool tombstone);
// Returns false when `data` is not a well-formed record. The views point into
// `data` (for LMDB data: valid until the transaction ends).
bool DecodeRecord(std::string_view data, RecordView* out);
kv::KeyValue ToKeyValue(const RecordView& rec, int64_t mod_revision, bool with_value = true);

void PutFixed64(std::string* out, int64_t v);
int64_t GetFixed64(const void* p);

// Finds the mapping of file `path` in /proc/self/maps (nullptr/0 if none).
void FindMapping(const std::string& path, void** addr, size_t* len);

// "cannot <what> '<subject>': <mdb_strerror>" as kInternal.
Status LmdbError(int rc, std::string_view what, std::string_view subject);

// ---------------------------------------------------------------- batch logs

// The LMDB tables.
enum class Table : uint8_t { kKv = 0, kMeta = 1, kLease = 2 };

// One change of an LMDB table other than a new kv record: meta values, lease
// rows, and the kv deletions of a compaction step.
struct Mutation {
  Table table = Table::kMeta;
  bool del = false;
  std::string key;
  std::string value;
};

// A new kv record: its revision and its bytes (EncodeRecord).
struct LoggedRecord {
  Revision rev;
  std::string data;
};

// The effects of one group commit, or of one compaction step: what a WAL
// record holds and what a checkpoint applies to LMDB. Records only append
// (revisions grow), and mutations of one table and key apply in order, so
// applying logs in order, or again after a crash, gives the same tables.
// Immutable once handed to readers or the checkpointer.
struct BatchLog {
  uint64_t seq = 0;      // WAL sequence number; 0 = not logged (compaction)
  int64_t last_rev = 0;  // store revision after it (0 for compaction steps)
  std::vector<LoggedRecord> records;
  std::vector<Mutation> others;
  int64_t bytes = 0;     // estimate of the space it takes in LMDB
  bool empty() const { return records.empty() && others.empty(); }
};

// The WAL payload of a log (seq travels in the record header).
std::string EncodeBatchLog(const BatchLog& log);
// Returns false when `data` is not a well-formed payload.
bool DecodeBatchLog(std::string_view data, BatchLog* out);
// CRC-32C (Castagnoli), hardware-accelerated where the CPU has SSE4.2.
uint32_t Crc32c(const void* data, size_t n, uint32_t crc = 0);

// ---------------------------------------------------------------- WAL
// (mvcc_wal.cpp)

// The write-ahead log: a directory of segment files named by the sequence
// number of their first record (%016x.wal), preallocated, and spare segments
// (spare.N) kept for reuse. A record is
//   [crc32c:4][len:4][seq:8][log id:8][payload:len], zero-padded to 4 KiB,
// little-endian, the CRC covering everything after itself. Records of one
// segment have consecutive seqs from the name on. Each Open of a store writes
// under a fresh random log id (persisted in LMDB first), so bytes left in a
// recycled segment by an earlier life never pass for records.
// Thread-compatible: Append runs on one thread (the committer), Release and
// PrepareSpare on another (the checkpointer); they share only a locked list.
class Wal {
 public:
  static constexpr size_t kPage = 4096;
  // A record that reaches past what the segment has had written carries
  // zeros up to the next multiple of this (see AppendRecord).
  static constexpr size_t kWriteAhead = 256 * 1024;
  static constexpr size_t kHeader = 24;

  struct Options {
    std::string dir;          // <data dir>/wal
    int64_t segment_bytes = 0;
    bool fsync = true;
  };

  // Calls fn(seq, payload) for every record with seq > applied, in order,
  // written under `log_id`. A damaged or partial record is the end of the log
  // when nothing valid follows it (a write that was never acknowledged);
  // kInternal naming the segment when a valid record follows a damaged one,
  // or when the log skips a sequence number. No directory: nothing to replay.
  static Status Replay(const std::string& dir, uint64_t log_id, uint64_t applied,
                       const std::function<Status(uint64_t, std::string_view)>& fn);

  // Prepares to append records from `next_seq` on under `log_id`; every
  // segment already in the directory must have been applied (they become
  // spares or are removed).
  static Result<std::unique_ptr<Wal>> Open(const Options& o, uint64_t log_id, uint64_t next_seq);
  // Removes the log directory (the store runs without a WAL).
  static Status Remove(const std::string& dir);
  ~Wal();

  // Writes the next record (seq = next_seq()) and, with fsync, fdatasyncs it.
  // Not durable on error: the caller must not acknowledge it, and no further
  // append may be made (the file state is unknown): every later call fails.
  Status Append(std::string_view payload);
  uint64_t next_seq() const { return next_seq_; }
  // Seconds the last Append spent in fdatasync.
  double last_sync_seconds() const { return last_sync_seconds_; }

  // Recycles every segment whose records all have seq <= applied, except the
  // one being written (all of them when `all`: the writer has stopped).
  void Release(uint64_t applied, bool all = false);
  // Makes sure a preallocated spare segment is ready, so Append rarely
  // creates one. Quietly gives up on errors (Append creates one then).
  void PrepareSpare();

 private:
  struct Segment {
    uint64_t first = 0;
    std::string path;
    int64_t size = 0;
  };
  Wal(const Options& o, uint64_t log_id, uint64_t next_seq);
  Status AppendRecord(std::string_view payload, size_t need);
  Status SwitchSegment(size_t need);
  Result<std::string> NewSegmentFile(int64_t size);
  std::string SegmentPath(uint64_t first) const;

  Options o_;
  uint64_t log_id_;
  uint64_t next_seq_;
  // The segment being written (committer only).
  int fd_ = -1;
  int64_t off_ = 0;
  int64_t size_ = 0;
  // Bytes from the segment's start that this log has written (records, and
  // zeros ahead of them): below it, a record's fdatasync flushes data only.
  int64_t written_ = 0;
  std::string path_;
  std::string buf_;
  double last_sync_seconds_ = 0;
  Status broken_ = Status::Ok();  // set by a failed Append (committer only)

  std::mutex mu_;
  std::deque<Segment> segments_;   // oldest first; back() is being written
  std::vector<std::string> spares_;
  uint64_t spare_counter_ = 0;
};

// Test hook: called with a point name ("checkpoint-applied",
// "checkpoint-committed") where crash tests may end the process.
extern std::atomic<void (*)(const char*)> g_mvcc_crash_hook;
inline void CrashPoint(const char* point) {
  if (auto* f = g_mvcc_crash_hook.load(std::memory_order_relaxed)) f(point);
}

inline MDB_val ToVal(std::string_view s) {
  return MDB_val{s.size(), const_cast<char*>(s.data())};
}
inline std::string_view FromVal(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

// ---------------------------------------------------------------- index
// (mvcc_index.cpp)

// One change of a key. Entries of a key are kept in revision order; a
// tombstone ends a generation (etcd's keyIndex, flattened).
struct IndexEntry {
  int64_t main = 0;
  uint32_t sub = 0;
  uint32_t tombstone = 0;
  Revision rev() const { return Revision{main, sub}; }
};

struct KeyIndex {
  std::vector<IndexEntry> revs;
  // The last entry with main <= rev, or nullptr.
  const IndexEntry* At(int64_t rev) const;
};

// What one compaction step removes from one key: the first `drop` entries,
// and the key itself when nothing is left.
struct CompactionPlan {
  std::string key;
  size_t drop = 0;
  bool erase = false;
};

// The ordered key index. Not synchronized: the engine guards it with
// index_mu_ (the committer is its only mutator and reads it without the lock).
class Index {
 public:
  using Map = std::map<std::string, KeyIndex, std::less<>>;

  // Calls fn(key, entry) in key order for every key in the range that is live
  // at `rev`; fn returns false to stop. end "" = only `key`, "\0" = every key
  // >= key, otherwise [key, end).
  template <typename F>
  void Visit(std::string_view key, std::string_view end, int64_t rev, F&& fn) const {
    if (end.empty()) {
      auto it = map_.find(key);
      if (it == map_.end()) return;
      const IndexEntry* e = it->second.At(rev);
      if (e != nullptr && !e->tombstone) fn(it->first, *e);
      return;
    }
    bool unbounded = end.size() == 1 && end[0] == '\0';
    for (auto it = map_.lower_bound(key); it != map_.end(); ++it) {
      if (!unbounded && std::string_view(it->first) >= end) break;
      const IndexEntry* e = it->second.At(rev);
      if (e == nullptr || e->tombstone) continue;
      if (!fn(it->first, *e)) return;
    }
  }

  // The newest entry of `key` (live or tombstone), or nullptr.
  const IndexEntry* Latest(std::string_view key) const;
  // REQUIRES: e.main is above every entry of `key`.
  void Append(const std::string& key, IndexEntry e);
  // Removes the entries of `key` newer than `rev` (undoing an aborted batch).
  void Truncate(const std::string& key, int64_t rev);
  // Plans the next compaction step at `rev`: looks at up to `max_keys` keys
  // from *cursor on, appends their removable revisions to *removed, and
  // advances *cursor. Returns false when the key space is exhausted.
  bool PlanCompaction(int64_t rev, std::string* cursor, size_t max_keys,
                      std::vector<CompactionPlan>* plans, std::vector<Revision>* removed) const;
  void ApplyCompaction(const std::vector<CompactionPlan>& plans);

  size_t size() const { return map_.size(); }
  const Map& map() const { return map_; }

 private:
  Map map_;
};

// ---------------------------------------------------------------- metrics

struct Metrics {
  metrics::Gauge& db_size;
  metrics::Gauge& db_size_in_use;
  metrics::Gauge& quota;
  metrics::Histogram& commit_seconds;
  metrics::Histogram& batch_size;
  metrics::Counter& puts;
  metrics::Counter& deletes;
  metrics::Counter& txns;
  metrics::Counter& ranges;
  metrics::Gauge& keys;
  metrics::Gauge& watchers;
  metrics::Gauge& slow_watchers;
  metrics::Counter& events;
  metrics::Gauge& current_revision;
  metrics::Gauge& compact_revision;
  metrics::Histogram& compaction_ms;
  metrics::Counter& leases_granted;
  metrics::Counter& leases_revoked;
  metrics::Counter& leases_renewed;
  metrics::Histogram& wal_fsync_seconds;
  metrics::Histogram& checkpoint_size;
  metrics::Gauge& pending_revisions;
  static Metrics& Get();
};

// ---------------------------------------------------------------- writes

// One queued write request; the caller blocks until `done`.
struct WriteOp {
  enum class Kind { kPut, kDelete, kTxn, kCompact, kLeaseGrant, kLeaseRevoke, kLeaseExpire, kDisarm };
  Kind kind = Kind::kPut;
  const kv::PutRequest* put = nullptr;
  const kv::DeleteRangeRequest* del = nullptr;
  const kv::TxnRequest* txn = nullptr;
  int64_t a = 0;  // compact revision / lease id
  int64_t b = 0;  // lease ttl

  Status status;
  kv::PutResponse put_resp;
  kv::DeleteRangeResponse del_resp;
  kv::TxnResponse txn_resp;
  int64_t rev = 0;
  int64_t out_id = 0;
  int64_t out_ttl = 0;
  bool done = false;

  // Asynchronous ops: the request lives here, and the committer calls
  // on_done(this) after the batch and then deletes the op.
  std::function<void(WriteOp*)> on_done;
  kv::PutRequest own_put;
  kv::DeleteRangeRequest own_del;
  kv::TxnRequest own_txn;
};

// An LMDB read transaction begun on first use (ReadStored) and renewed when
// a record is newer than its snapshot.
struct ReadTxn {
  MDB_txn* txn = nullptr;
};

// The write batch the committer is filling: the changes of its requests, in
// memory until Persist writes them to the WAL (or commits them to LMDB).
struct Batch {
  std::shared_ptr<BatchLog> log = std::make_shared<BatchLog>();
  ReadTxn rt;  // the committer's reads of records already in LMDB
  // Inverse operations for in-memory changes, run newest first on abort.
  std::vector<std::function<void()>> undo;
  std::unordered_set<std::string> touched;  // keys that got index entries
  std::vector<kv::Event> events;            // every change, revision order
  std::vector<std::function<void()>> on_commit;  // run once durable
  int64_t added_bytes = 0;                  // estimate, for the quota
  int64_t base_size = 0;                    // db bytes when the batch began
  int64_t start_rev = 0;                    // store revision before the batch
  Status fatal;                             // a storage error: the batch aborts
  Status sync_error;                        // kSingleFlush: committed, flush failed
};

// The revision one write request is building.
struct OpCtx {
  int64_t begin = 0;  // store revision before the request
  int64_t sub = 0;    // changes made so far
  int64_t rev() const { return begin + 1; }
  bool changed() const { return sub > 0; }
};

// A point to read at: the highest revision whose index entries it may use,
// and where to read records that are no longer in the pending buffer. Records
// never change once written (compaction only removes them), so a read may
// mix LMDB snapshots. The committer reads its own unpublished batch
// (committer = true: no index lock, revision bound is its own).
struct ReadState {
  ReadTxn* rt = nullptr;
  int64_t current = 0;
  bool committer = false;
};

// ---------------------------------------------------------------- leases

struct Lease {
  int64_t id = 0;
  int64_t ttl = 0;
  Clock::time_point expiry;
  std::set<std::string> keys;
};

class WatchHub;

// ---------------------------------------------------------------- engine

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> Open(const MvccOptions& options);
  ~Engine();

  Result<kv::RangeResponse> Range(const kv::RangeRequest& req);
  Result<kv::PutResponse> Put(const kv::PutRequest& req);
  Result<kv::DeleteRangeResponse> DeleteRange(const kv::DeleteRangeRequest& req);
  Result<kv::TxnResponse> Txn(const kv::TxnRequest& req);
  void PutAsync(kv::PutRequest req, std::function<void(Result<kv::PutResponse>)> done);
  void DeleteRangeAsync(kv::DeleteRangeRequest req,
                        std::function<void(Result<kv::DeleteRangeResponse>)> done);
  void TxnAsync(kv::TxnRequest req, std::function<void(Result<kv::TxnResponse>)> done);
  Result<kv::CompactResponse> Compact(int64_t revision, bool physical);
  Result<kv::LeaseGrantResponse> LeaseGrant(int64_t ttl, int64_t id);
  Status LeaseRevoke(int64_t id);
  Result<int64_t> LeaseKeepAlive(int64_t id);
  Result<kv::LeaseTimeToLiveResponse> LeaseTimeToLive(int64_t id, bool keys);
  Result<std::vector<int64_t>> LeaseList();
  Result<std::unique_ptr<kv::Watcher>> Watch(const kv::WatchRequest& req, kv::WatchCallback cb);
  Result<kv::StatusResponse> GetStatus();
  Status SnapshotTo(const std::string& path);
  Status Defragment();
  Status DisarmAlarms();
  int64_t CurrentRevision() const { return published_rev_.load(std::memory_order_acquire); }
  int64_t CompactRevision() const { return compact_rev_.load(std::memory_order_acquire); }

  // ---- used by the watch hub (thread-safe)
  // The key's value at `rev` (prev_kv of an event at rev+1); nullopt when
  // absent or compacted.
  std::optional<kv::KeyValue> GetAt(const std::string& key, int64_t rev);
  // Reads the changes of revisions [from, to] in [key, end) from the
  // database, whole revisions only, stopping after about `max_events` events.
  // Returns the last revision fully read (from-1 when none).
  Result<int64_t> ReadEvents(int64_t from, int64_t to, const std::string& key,
                             const std::string& end, int64_t max_events,
                             std::vector<kv::Event>* out);
  Clock::time_point Now() const { return opts_.clock ? opts_.clock() : Clock::now(); }
  const MvccOptions& options() const { return opts_; }

 private:
  explicit Engine(const MvccOptions& options);
  Status OpenEnv();
  void CloseEnv();
  Status Load();

  // Read transactions, pooled (MDB_NOTLS: any thread may use any of them).
  Result<MDB_txn*> BeginRead();
  void EndRead(MDB_txn* txn);
  void EndRead(ReadTxn& rt);
  void DropReadPool();

  // The pending buffer: records of published (or, for the committer, applied)
  // revisions not yet in LMDB. Returns the record of `r`, or nullptr when it
  // is older than the buffer (then it is in LMDB, or compacted away).
  // REQUIRES: index_mu_ held, or the committer thread.
  const LoggedRecord* Pending(Revision r) const;
  void AddPending(const BatchLog* log, size_t index);  // REQUIRES: index_mu_ exclusive
  // Drops buffered revisions <= rev (they are in LMDB). Committer only.
  void TrimPending(int64_t rev);
  // Reads record `r` from LMDB through st.rt, beginning the transaction or
  // renewing it when its snapshot predates the record. kNotFound when absent.
  // *out points into LMDB's map: valid until st.rt is reset.
  Status ReadStored(const ReadState& st, Revision r, RecordView* out);
  // Decodes record `r` from the buffer or LMDB. REQUIRES: committer thread.
  Status ReadRecord(const ReadState& st, Revision r, RecordView* out);

  // Durability (mvcc_checkpoint.cpp). Persist makes a batch durable: one WAL
  // record (kWal) or one LMDB commit. ApplyLog writes a log into a write txn.
  bool wal_mode() const { return opts_.sync_mode == SyncMode::kWal; }
  Status Persist(Batch& b);
  Status ApplyLog(MDB_txn* txn, const BatchLog& log);
  Status Recover();
  void Enqueue(std::shared_ptr<const BatchLog> log);
  void CheckpointerLoop();
  Status CommitCheckpoint(const std::vector<std::shared_ptr<const BatchLog>>& logs,
                          uint64_t* seq);
  // Waits until everything queued so far is committed to LMDB (no-op
  // outside kWal). Errors: the checkpoint's, or kUnavailable when closing.
  Status Checkpoint();
  // Grows LMDB's map when a checkpoint hit MDB_MAP_FULL (acknowledged writes
  // must always fit). Takes env_mu_ exclusively.
  Status GrowMap();

  // Ranges (mvcc_range.cpp).
  Result<kv::RangeResponse> DoRange(const ReadState& st, const kv::RangeRequest& req);
  Status CheckRangeRevision(const ReadState& st, const kv::RangeRequest& req) const;
  std::optional<kv::KeyValue> GetLatest(const ReadState& st, std::string_view key);
  bool CompareOne(const ReadState& st, const kv::Compare& c);
  bool Compare(const ReadState& st, const std::vector<kv::Compare>& cmps);

  // Writes (mvcc_apply.cpp). All run on the committer thread.
  Status Submit(WriteOp* op);
  // Queues an op with on_done set; takes ownership.
  void SubmitAsync(WriteOp* op);
  // Queues every op at once (they may share one commit) and waits for all.
  void SubmitAll(std::vector<WriteOp>& ops);
  void CommitterLoop();
  void RunBatch(std::vector<WriteOp*>& ops);
  void ApplyOne(Batch& b, WriteOp* op);
  Status ApplyPut(Batch& b, OpCtx& ctx, const kv::PutRequest& req, kv::PutResponse* resp);
  Status ApplyDelete(Batch& b, OpCtx& ctx, const std::string& key, const std::string& end,
                     bool prev_kv, kv::DeleteRangeResponse* resp);
  Status ApplyTxn(Batch& b, OpCtx& ctx, const kv::TxnRequest& req, const std::vector<bool>& path,
                  size_t* path_pos, kv::TxnResponse* resp);
  Status WriteRecord(Batch& b, OpCtx& ctx, kv::KeyValue kv, bool tombstone);
  Status PutMeta(Batch& b, std::string_view name, int64_t value);
  Status CheckSpace(Batch& b, int64_t cost);
  void Rollback(Batch& b);
  int64_t DbBytes();

  // Txn analysis (mvcc_txn.cpp).
  void EvalPath(const ReadState& st, const kv::TxnRequest& req, std::vector<bool>* path);
  Status CheckPath(const ReadState& st, const kv::TxnRequest& req, const std::vector<bool>& path,
                   size_t* pos, bool check_puts);
  Result<kv::TxnResponse> ReadOnlyTxn(const ReadState& st, const kv::TxnRequest& req,
                                      const std::vector<bool>& path, size_t* pos);

  // Compaction (mvcc_compact.cpp).
  Status ApplyCompact(Batch& b, int64_t rev);
  bool CompactionStep();

  // Leases (mvcc_lease.cpp).
  Status ApplyLeaseGrant(Batch& b, WriteOp* op);
  Status ApplyLeaseRevoke(Batch& b, OpCtx& ctx, int64_t id, bool only_if_expired);
  void Attach(Batch& b, int64_t lease, const std::string& key);
  void Detach(Batch& b, int64_t lease, const std::string& key);
  bool LeaseExists(int64_t id);
  void TickerLoop();
  // Drops this process's page-table mappings of the database file (the pages
  // stay in the page cache; the next access maps them again).
  void ReleaseMappedPages();

  MvccOptions opts_;
  int64_t quota_ = 0;
  std::string data_path_;
  int lock_fd_ = -1;  // flock on <dir>/kubix.lock: one engine per data dir
  // LMDB's mapping of data.mdb (LMDB does not expose it; read from
  // /proc/self/maps at OpenEnv). Guarded by env_mu_.
  void* map_addr_ = nullptr;
  size_t map_len_ = 0;

  MDB_env* env_ = nullptr;
  MDB_dbi kv_dbi_ = 0, meta_dbi_ = 0, lease_dbi_ = 0;
  // Shared by every LMDB user; Defragment takes it exclusively to swap files.
  RwLock env_mu_;
  std::mutex rtxn_mu_;
  std::vector<MDB_txn*> rtxn_pool_;

  mutable RwLock index_mu_;
  Index index_;
  // The pending buffer (guarded by index_mu_; the committer alone changes it):
  // revision pending_base_ + i has its records at pending_[i].
  struct PendingRev {
    const BatchLog* log = nullptr;
    uint32_t first = 0;  // index of its sub 0 in log->records
    uint32_t count = 0;
  };
  std::deque<PendingRev> pending_;
  std::deque<std::shared_ptr<const BatchLog>> pending_logs_;  // owners
  int64_t pending_base_ = 0;
  // Bytes of acknowledged logs not yet in LMDB (quota, status).
  std::atomic<int64_t> pending_bytes_{0};
  std::atomic<int64_t> published_rev_{0};
  std::atomic<int64_t> compact_rev_{0};
  int64_t current_rev_ = 0;  // committer only: includes the open batch

  // The write queue.
  std::mutex q_mu_;
  std::condition_variable q_cv_;
  std::condition_variable done_cv_;
  std::deque<WriteOp*> queue_;
  bool stopping_ = false;
  bool trim_due_ = false;  // a checkpoint finished: trim the pending buffer
  std::thread committer_;

  // The WAL and the checkpointer (kWal only). The committer appends to the
  // WAL and queues each log for the checkpointer, which commits the queue to
  // LMDB every checkpoint_interval and recycles segments.
  std::unique_ptr<Wal> wal_;
  std::mutex ck_mu_;
  std::condition_variable ck_cv_;       // wakes the checkpointer
  std::condition_variable ck_done_cv_;  // a checkpoint finished or failed
  std::deque<std::shared_ptr<const BatchLog>> ck_queue_;
  int64_t ck_queued_records_ = 0;
  Clock::time_point ck_oldest_;
  uint64_t ck_enqueued_ = 0;  // logs queued since Open
  uint64_t ck_applied_ = 0;   // of which committed to LMDB
  uint64_t ck_failures_ = 0;
  Status ck_error_;
  bool ck_force_ = false;
  bool ck_stop_ = false;
  bool ck_exited_ = false;
  uint64_t ck_applied_seq_ = 0;  // last WAL record in LMDB
  std::thread checkpointer_;
  std::atomic<int64_t> checkpointed_rev_{0};

  // Compaction in progress (committer only, except finished_compact_ which
  // Compact(physical) waits on under q_mu_).
  int64_t compact_target_ = 0;
  std::string compact_cursor_;
  bool compacting_ = false;
  int64_t finished_compact_ = 0;
  Clock::time_point compact_started_;

  // Alarms (NOSPACE), guarded by q_mu_ for readers; written by the committer.
  std::atomic<bool> nospace_{false};

  // Leases.
  std::mutex lease_mu_;
  std::unordered_map<int64_t, Lease> leases_;
  uint64_t next_lease_id_ = 0;

  std::shared_ptr<WatchHub> hub_;
  std::thread ticker_;
  std::mutex ticker_mu_;
  std::condition_variable ticker_cv_;
  bool ticker_stop_ = false;

  Metrics& m_;
};

// ---------------------------------------------------------------- watch
// (mvcc_watch.cpp)

struct WatcherState;

// Fans committed events out to watchers. Synced watchers get live events from
// the dispatcher thread; unsynced ones (a start revision in the past, or too
// slow) catch up from the database on the watch threads, then join the synced
// set. Callbacks never run under the hub lock.
class WatchHub : public std::enable_shared_from_this<WatchHub> {
 public:
  WatchHub(Engine* engine, int64_t rev);
  ~WatchHub();
  // Stops the threads; no callback runs after it returns.
  void Stop();

  // Queues the events of a committed batch (revision order) up to `rev`.
  void Notify(std::vector<kv::Event> events, int64_t rev);
  Result<std::unique_ptr<kv::Watcher>> Watch(const kv::WatchRequest& req, kv::WatchCallback cb);
  void Cancel(const std::shared_ptr<WatcherState>& w);
  void RequestProgress(const std::shared_ptr<WatcherState>& w);
  // Sends progress notifications to synced watchers that asked for them.
  void ProgressTick();
  int64_t watcher_count() const;

 private:
  void DispatchLoop();
  void Dispatch(const std::vector<kv::Event>& events, int64_t rev);
  void Enqueue(const std::shared_ptr<WatcherState>& w, kv::WatchResponse resp, int64_t events);
  void Schedule(const std::shared_ptr<WatcherState>& w);
  void Drain(std::shared_ptr<WatcherState> w);
  bool CatchUp(const std::shared_ptr<WatcherState>& w);
  void AddSynced(const std::shared_ptr<WatcherState>& w);
  void RemoveSynced(const std::shared_ptr<WatcherState>& w);
  void Deliver(WatcherState& w, kv::WatchResponse resp);
  void WorkerLoop();

  Engine* engine_;
  mutable std::mutex mu_;
  int64_t dispatched_rev_;
  int64_t next_id_ = 1;
  std::unordered_map<std::string, std::vector<std::shared_ptr<WatcherState>>> key_watchers_;
  std::map<std::pair<std::string, std::string>, std::vector<std::shared_ptr<WatcherState>>>
      range_watchers_;
  std::unordered_set<std::shared_ptr<WatcherState>> unsynced_;
  int64_t prev_kv_watchers_ = 0;

  // Committed batches waiting for the dispatcher.
  std::mutex nq_mu_;
  std::condition_variable nq_cv_;
  std::deque<std::pair<std::vector<kv::Event>, int64_t>> nq_;
  std::atomic<bool> stop_{false};
  std::thread dispatcher_;

  // Watchers with work for the watch threads.
  std::mutex wq_mu_;
  std::condition_variable wq_cv_;
  std::deque<std::shared_ptr<WatcherState>> wq_;
  std::vector<std::thread> workers_;
};

// Validation shared by the API entry points (mvcc_txn.cpp).
Status CheckPutRequest(const kv::PutRequest& req);
Status CheckTxnRequest(const kv::TxnRequest& req, int64_t max_ops);
Status CheckTxnIntervals(const kv::TxnRequest& req);
bool TxnIsReadOnly(const kv::TxnRequest& req);
// Bytes a txn's puts would add (etcd's quota cost); 0 for reads and deletes.
int64_t TxnCost(const kv::TxnRequest& req);
int64_t PutCost(const kv::PutRequest& req);

}  // namespace common::mvcc
