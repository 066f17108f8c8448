// The embedded MVCC key-value engine: etcd v3 semantics (revisions, ranges,
// txns, compaction, leases, watch) on an LMDB file, with group commit and (by
// default) a write-ahead log in front of it, as etcd has its WAL in front of
// bbolt.
//
// Storage layout (in MvccOptions::dir):
//   data.mdb, lock.mdb  the LMDB environment, tables:
//     "kv"    16-byte big-endian (main revision, sub revision) -> one record:
//             a tombstone flag and the full KeyValue (so keys of any length
//             and values up to LMDB's overflow-page limit fit; LMDB's own
//             511-byte key limit never applies to user keys).
//     "meta"  current revision, scheduled/finished compaction revision,
//             alarms, and the WAL's position (wal_seq, wal_id).
//     "lease" lease id -> granted TTL. Which keys a lease holds is derived
//             from the records at Open.
//   wal/   kWal only: segment files %016x.wal (named by their first record's
//          sequence number), preallocated to wal_segment_bytes, and up to two
//          spare.N segments kept for reuse.
// In memory: an ordered index key -> revisions (etcd's keyIndex, flattened,
// ~170 bytes per key), rebuilt by one scan at Open, the lease table, and in
// kWal the pending buffer (below). A fresh store is at revision 1 and its
// first write gets revision 2, as etcd. One MvccStore per data dir: a second
// Open, in this or another process, fails with kUnavailable (an flock on
// <dir>/kubix.lock).
//
// Watch: synced watchers are indexed by exact key and by identical range, so
// delivering one event costs O(range groups + watchers that match); a
// watcher starting in the past, or more than watch_buffer_events behind, is
// caught up from the store in batches on the watch threads (etcd's
// unsynced/victim watchers), so neither writers nor other watchers wait.
//
// Compaction keeps, for every key, the newest revision <= the compact
// revision unless it is a tombstone (then the key's history goes), exactly as
// etcd's keyIndex.compact; the removal runs in steps between write batches.
//
// Quota: a write that would take the database to quota_bytes or beyond fails
// with kErrNoSpace and raises a persisted NOSPACE alarm; from then on writes
// that add data fail until DisarmAlarms (as etcd's `alarm disarm`); reads,
// deletes, compaction and Defragment keep working. Writes waiting for a
// checkpoint count with the bytes they will take (and in GetStatus's sizes).
//
// Writes: writers queue their request; one committer thread applies
// everything queued, in order, to the in-memory state and collects the
// effects (new records, meta and lease rows) into one batch, makes that batch
// durable ONCE, publishes its revision and then acknowledges all of them
// (group commit). Readers never wait for a commit or a flush: they read a
// published revision under a shared lock on the index (at most they wait out
// one index update, microseconds; Defragment pauses everyone), taking each
// record from the pending buffer or else from a pooled LMDB read transaction.
//
// Durability and crash guarantees, by SyncMode (fsync on):
//   - kWal (the default). Per group commit: ONE record appended to the WAL,
//     ONE fdatasync, then the acknowledgement. The batch stays in the pending
//     buffer (so every read path sees it) until the checkpointer thread
//     commits the batches of the last checkpoint_interval (or
//     checkpoint_batch_limit records) to LMDB in one fully synchronous LMDB
//     transaction that also records the last WAL sequence number it holds;
//     then the buffer drops them and the segments they filled are recycled.
//     Open replays the records after LMDB's wal_seq into LMDB before anything
//     else. SnapshotTo, Defragment, Compact(physical) and the destructor
//     checkpoint first. Why an acknowledged write survives a power loss:
//       * fdatasync returns only when the record's pages are on stable
//         storage, with whatever metadata reading them back needs; segments
//         are allocated up front (no size change to flush) and a segment's
//         name is made durable (directory fsync) before its first record.
//       * A record starts on a fresh 4 KiB page and is written as whole
//         pages, so a later write never rewrites an acknowledged page, and a
//         segment is reused only after a synchronous LMDB commit holds all of
//         its records. LMDB itself is never committed without its own two
//         flushes, so after a power loss it is at its last checkpoint (or
//         the one before, if that commit had not returned): the WAL holds
//         every acknowledged record after it.
//       * Records are written one at a time, each after the previous one's
//         fdatasync returned, so a power loss can damage only the last one,
//         which was never acknowledged: any subset of its pages, in any
//         order, may have reached the disk. Each record carries
//         [crc32c][length][sequence number][log id]; a torn record fails its
//         CRC (or still shows zeros, an older sequence number, or the random
//         log id of an earlier run of the store, which is how leftovers in a
//         recycled segment are told apart) and replay stops there. A
//         complete but unacknowledged record is replayed, as etcd replays
//         such entries.
//       * A damaged record followed by a valid later record cannot be a torn
//         write: Open fails with kInternal naming the segment and offset,
//         rather than silently dropping acknowledged writes.
//     A process kill loses nothing either (the WAL is in the page cache).
//     Assumed, as by etcd and every database: the disk honours flushes (no
//     volatile write cache that lies), and writing one page leaves the
//     others alone. A write or flush error fails the batch (nothing is
//     acknowledged; the next batch rewrites the same place). A failing
//     checkpoint is retried; the WAL keeps growing meanwhile.
//   - kFull: no WAL; each group commit is one LMDB fully synchronous commit
//     (data pages fdatasync'ed, then the meta page written with O_DSYNC: two
//     flushes). Survives a process kill and a power loss; a power loss
//     mid-commit leaves the previous state. Slower: two flushes per commit.
//   - kSingleFlush: no WAL; LMDB commits with MDB_NOSYNC, then ONE fdatasync
//     per group commit before acknowledging. A process kill loses nothing,
//     but a power loss DURING a commit can leave a meta page pointing at
//     unwritten pages (LMDB has no checksums), i.e. a corrupt file. Not safe;
//     kept for comparison.
//   - fsync=false (etcd's --unsafe-no-fsync), any mode: nothing is flushed. A
//     process kill (SIGKILL) loses nothing acknowledged, a power loss may lose
//     recent writes or corrupt the file.
//   Any mode replays a WAL left by an earlier kWal run at Open (the non-WAL
//   modes then remove it), so switching modes across restarts is safe.
//   Revisions are dense in every mode: every acknowledged revision is there
//   after a crash, and no revision is issued twice (the current revision is
//   persisted with the records).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/kv.h"
#include "common/status.h"

namespace common::mvcc {

// Returned by PutRequest with ignore_value/ignore_lease on a missing key
// (gRPC InvalidArgument, as etcd's ErrGRPCKeyNotFound).
inline constexpr const char* kErrKeyNotFound = "etcdserver: key not found";
// ignore_value with a value, ignore_lease with a lease (InvalidArgument).
inline constexpr const char* kErrValueProvided = "etcdserver: value is provided";
inline constexpr const char* kErrLeaseProvided = "etcdserver: lease is provided";
// A lease TTL above kMaxLeaseTtl (InvalidArgument).
inline constexpr const char* kErrLeaseTtlTooLarge = "etcdserver: too large lease TTL";
// etcd's MaxLeaseTTL (seconds).
inline constexpr int64_t kMaxLeaseTtl = 9000000000;
// The etcd version the engine's semantics follow (reported by GetStatus).
inline constexpr const char* kEtcdVersion = "3.5.17";

// How a group commit reaches the disk (see the crash guarantees above).
enum class SyncMode { kWal, kFull, kSingleFlush };

struct MvccOptions {
  // Directory of the LMDB environment; created if missing.
  std::string dir;
  // false = etcd's --unsafe-no-fsync: commits are not synced to disk.
  bool fsync = true;
  // kWal (the default; power-loss safe, one flush per group commit), kFull
  // (power-loss safe, two flushes) or kSingleFlush (one flush, not safe
  // against power loss). With fsync=false the mode only decides the layout.
  SyncMode sync_mode = SyncMode::kWal;
  // kWal: how long a logged batch may wait before the checkpointer commits it
  // to LMDB (etcd's --backend-batch-interval), and how many records and
  // mutations may wait before it starts early (--backend-batch-limit).
  std::chrono::milliseconds checkpoint_interval{100};
  int64_t checkpoint_batch_limit = 10000;
  // kWal: size of a preallocated WAL segment file (etcd's is 64 MiB too).
  int64_t wal_segment_bytes = int64_t{64} << 20;
  // --quota-backend-bytes; 0 = etcd's default of 2 GiB.
  int64_t quota_bytes = 0;
  // --max-txn-ops.
  int64_t max_txn_ops = 128;
  // Leases granted with a smaller TTL get this one (etcd's minLeaseTTL for the
  // default election timeout of 1 s: ceil(1.5 s) = 2 s).
  int64_t min_lease_ttl = 2;
  // How often the background thread looks for expired leases.
  std::chrono::milliseconds lease_check_interval{250};
  // Periodic progress notifications for watches that asked for them
  // (etcd's progressReportInterval is 10 minutes).
  std::chrono::milliseconds progress_notify_interval{std::chrono::minutes(10)};
  // Events a watcher may have queued but not consumed before it is switched to
  // catching up from the database (etcd's "slow watcher"/victim handling).
  int64_t watch_buffer_events = 4096;
  // Events per replay response when a watcher catches up from the database;
  // a response never splits one revision's events.
  int64_t watch_batch_events = 1000;
  // Keys examined per compaction step; the committer interleaves steps with
  // write batches so writers wait for one step at most.
  int64_t compaction_batch_keys = 1000;
  // Threads running watch callbacks.
  int watch_threads = 2;
  // Clock used for lease expiry; tests inject a fake one. Default: steady_clock.
  std::function<std::chrono::steady_clock::time_point()> clock;
};

class Engine;  // internal

// MvccStore implements kv::KV on LMDB. Thread-safe: every method may be called
// from any thread. No exception crosses the API; errors are Status values with
// etcd's messages and the codes documented in common/kv.h.
class MvccStore : public kv::KV {
 public:
  // Opens (creating if needed) the store in options.dir, replays the WAL a
  // crash left, rebuilds the index, restores leases (refreshing their TTL as
  // etcd does on restart) and resumes an interrupted compaction. Errors:
  // kInvalid for bad options, kInternal (with the path) when the directory or
  // file cannot be opened or the WAL is corrupt before its last record.
  static Result<std::unique_ptr<MvccStore>> Open(const MvccOptions& options);

  // Waits for queued writes, checkpoints the WAL into LMDB, stops the
  // background threads and closes the file. Watchers still registered get no
  // further callbacks.
  ~MvccStore() override;

  // Reads at req.revision (<= 0: the latest) without waiting for writers.
  // Errors: kErrEmptyKey, kErrFutureRev (revision > current), kErrCompacted
  // (revision < compact revision; reading AT it works).
  Result<kv::RangeResponse> Range(const kv::RangeRequest& req) override;
  // Returns once the write is durable (see SyncMode). One new revision.
  // Errors: kErrEmptyKey, kErrValueProvided, kErrLeaseProvided,
  // kErrKeyNotFound (ignore_value/ignore_lease on a missing key),
  // kErrLeaseNotFound, kErrNoSpace.
  Result<kv::PutResponse> Put(const kv::PutRequest& req) override;
  // One revision for all deleted keys; none (and the current revision in the
  // response) when nothing matched. Errors: kErrEmptyKey.
  Result<kv::DeleteRangeResponse> DeleteRange(const kv::DeleteRangeRequest& req) override;
  // etcd's txn: compares of every nested txn are evaluated first against the
  // state before the txn; reads inside see the txn's earlier writes; one
  // revision when anything changed. A txn of ranges only is served at a
  // published revision without queueing behind writers. Errors:
  // kErrTooManyOps, kErrDuplicateKey, kErrEmptyKey, and the Put/Range errors
  // of the chosen branch (nothing is applied then).
  Result<kv::TxnResponse> Txn(const kv::TxnRequest& req) override;
  // Asynchronous writes, for servers that should not park a thread per write
  // in flight: same semantics and errors as Put/DeleteRange/Txn. `done` runs
  // exactly once: on the caller's thread for input errors (and for a txn of
  // ranges only, which never queues), otherwise on the committer thread once
  // the write is durable or has failed. It must be quick and must not call
  // back into a blocking write of this store (the next commit waits for it).
  template <typename T>
  using Callback = std::function<void(Result<T>)>;
  void PutAsync(kv::PutRequest req, Callback<kv::PutResponse> done);
  void DeleteRangeAsync(kv::DeleteRangeRequest req, Callback<kv::DeleteRangeResponse> done);
  void TxnAsync(kv::TxnRequest req, Callback<kv::TxnResponse> done);

  // Records `revision` as compacted (reads below it fail with kErrCompacted
  // from return on) and removes superseded revisions in the background, in
  // steps. physical=true returns only when the removal has finished and is
  // committed to the LMDB file.
  Result<kv::CompactResponse> Compact(int64_t revision, bool physical = false) override;

  // TTL below min_lease_ttl is raised to it; id 0 picks a unique positive id.
  // Errors: kErrLeaseExists, kErrLeaseTtlTooLarge, kErrNoSpace.
  Result<kv::LeaseGrantResponse> LeaseGrant(int64_t ttl, int64_t id = 0) override;
  // Deletes the lease's keys in one revision (none without keys).
  // Errors: kErrLeaseNotFound.
  Status LeaseRevoke(int64_t id) override;
  // Restarts the lease's TTL; returns it, or 0 for an unknown/expired lease.
  Result<int64_t> LeaseKeepAlive(int64_t id) override;
  // ttl -1 for an unknown lease (not an error, as etcd's gateway answers).
  Result<kv::LeaseTimeToLiveResponse> LeaseTimeToLive(int64_t id, bool keys) override;
  // Lease ids in ascending order.
  Result<std::vector<int64_t>> LeaseList() override;

  // Callbacks run on the store's watch threads, one response at a time per
  // watcher, in revision order. A watcher whose callback falls behind by more
  // than watch_buffer_events is caught up from the database later; writers and
  // other watchers never wait for it.
  Result<std::unique_ptr<kv::Watcher>> Watch(const kv::WatchRequest& req,
                                             kv::WatchCallback cb) override;

  // Revision, compact revision, file size, bytes in use (file minus LMDB's
  // free pages), kEtcdVersion and the raised alarms ("NOSPACE").
  Result<kv::StatusResponse> GetStatus() override;

  // Checkpoints, then writes a consistent, compacted copy of the database to
  // the file `path` (created or truncated; its directory must exist): every
  // write acknowledged before the call is in it. Copying it to <dir>/data.mdb
  // of an empty data dir restores the store. Writers keep going.
  Status SnapshotTo(const std::string& path);

  // Checkpoints, then rewrites the database file without free pages and swaps
  // it in while open.
  // Readers and writers pause for the duration and then continue; nothing is
  // lost (a crash midway leaves either the old or the new file).
  Status Defragment();

  // Clears the NOSPACE alarm (etcd's `alarm disarm`). Alarms are never cleared
  // automatically: after compaction + Defragment bring the size under the quota
  // the operator disarms, as with etcd. A write over quota raises it again.
  Status DisarmAlarms();

  // The latest acknowledged (published) revision.
  int64_t CurrentRevision() const;
  // The revision of the last Compact (0 when never compacted).
  int64_t CompactRevision() const;

 private:
  explicit MvccStore(std::unique_ptr<Engine> engine);
  std::unique_ptr<Engine> engine_;
};

}  // namespace common::mvcc
