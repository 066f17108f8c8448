// The etcd v3 key-value model as one C++ interface: the embedded MVCC engine
// (LMDB) and the etcd JSON client (kvstore or a real etcd) both implement it,
// so apiserve stores objects the same way through either.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"

namespace common::kv {

// Error messages are etcd's own ("etcdserver: mvcc: required revision has been
// compacted"), so a server can hand them to etcd clients unchanged. Codes:
//   kExpired          ErrCompacted (gRPC OutOfRange)
//   kBadRequest       InvalidArgument: empty key, too many ops, duplicate key,
//                     request too large; and ErrFutureRev (OutOfRange)
//   kNotFound         lease not found
//   kAlreadyExists    lease already exists (FailedPrecondition)
//   kTooManyRequests  database space exceeded (ResourceExhausted)
//   kUnavailable      the store is closed or cannot be reached
// GrpcCode() below gives the exact gRPC code for a Status from a KV.
int GrpcCode(const Status& status);

// etcd's canonical messages.
inline constexpr const char* kErrCompacted = "etcdserver: mvcc: required revision has been compacted";
inline constexpr const char* kErrFutureRev = "etcdserver: mvcc: required revision is a future revision";
inline constexpr const char* kErrEmptyKey = "etcdserver: key is not provided";
inline constexpr const char* kErrTooManyOps = "etcdserver: too many operations in txn request";
inline constexpr const char* kErrDuplicateKey = "etcdserver: duplicate key given in txn request";
inline constexpr const char* kErrLeaseNotFound = "etcdserver: requested lease not found";
inline constexpr const char* kErrLeaseExists = "etcdserver: lease already exists";
inline constexpr const char* kErrNoSpace = "etcdserver: mvcc: database space exceeded";
inline constexpr const char* kErrRequestTooLarge = "etcdserver: request is too large";

struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;
  int64_t mod_revision = 0;
  int64_t version = 0;  // 1 on create, +1 per put; a delete resets it to 0
  int64_t lease = 0;
};

enum class SortOrder { kNone, kAscend, kDescend };
enum class SortTarget { kKey, kVersion, kCreate, kMod, kValue };

// range_end semantics as etcd's: "" = the single key; "\0" = every key >= key;
// otherwise [key, range_end). PrefixEnd() gives the range_end of a prefix.
struct RangeRequest {
  std::string key;
  std::string range_end;
  int64_t limit = 0;     // 0 = no limit
  int64_t revision = 0;  // <= 0 = latest
  SortOrder sort_order = SortOrder::kNone;
  SortTarget sort_target = SortTarget::kKey;
  bool serializable = false;
  bool keys_only = false;
  bool count_only = false;
  int64_t min_mod_revision = 0;
  int64_t max_mod_revision = 0;
  int64_t min_create_revision = 0;
  int64_t max_create_revision = 0;
};

struct RangeResponse {
  int64_t revision = 0;  // the store revision the read was served at
  std::vector<KeyValue> kvs;
  bool more = false;     // more keys matched than `limit`
  int64_t count = 0;     // keys in the range, regardless of limit
};

struct PutRequest {
  std::string key;
  std::string value;
  int64_t lease = 0;
  bool prev_kv = false;
  bool ignore_value = false;
  bool ignore_lease = false;
};

struct PutResponse {
  int64_t revision = 0;
  std::optional<KeyValue> prev_kv;
};

struct DeleteRangeRequest {
  std::string key;
  std::string range_end;
  bool prev_kv = false;
};

struct DeleteRangeResponse {
  int64_t revision = 0;
  int64_t deleted = 0;
  std::vector<KeyValue> prev_kvs;
};

struct Compare {
  enum class Result { kEqual, kGreater, kLess, kNotEqual };
  enum class Target { kVersion, kCreate, kMod, kValue, kLease };
  Result result = Result::kEqual;
  Target target = Target::kVersion;
  std::string key;
  std::string range_end;  // compares every key in [key, range_end) when set
  int64_t number = 0;     // version, create/mod revision or lease, by target
  std::string value;      // for Target::kValue
};

struct TxnRequest;
struct TxnResponse;

struct RequestOp {
  std::variant<RangeRequest, PutRequest, DeleteRangeRequest, std::shared_ptr<TxnRequest>> op;
};

struct ResponseOp {
  std::variant<RangeResponse, PutResponse, DeleteRangeResponse, std::shared_ptr<TxnResponse>> op;
};

struct TxnRequest {
  std::vector<Compare> compare;
  std::vector<RequestOp> success;
  std::vector<RequestOp> failure;
};

struct TxnResponse {
  int64_t revision = 0;
  bool succeeded = false;
  std::vector<ResponseOp> responses;
};

struct CompactResponse {
  int64_t revision = 0;
};

struct LeaseGrantResponse {
  int64_t revision = 0;
  int64_t id = 0;
  int64_t ttl = 0;
};

struct LeaseTimeToLiveResponse {
  int64_t revision = 0;
  int64_t id = 0;
  int64_t ttl = -1;          // seconds left; -1 when the lease does not exist
  int64_t granted_ttl = 0;
  std::vector<std::string> keys;
};

struct StatusResponse {
  int64_t revision = 0;
  int64_t compact_revision = 0;
  int64_t db_size = 0;         // bytes the data file takes
  int64_t db_size_in_use = 0;  // bytes actually used by live pages
  std::string version;         // server version ("3.5.17" style)
  std::vector<std::string> alarms;  // "NOSPACE" when the quota was hit
};

struct Event {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  KeyValue kv;  // for kDelete: key and mod_revision (the delete's revision) only
  std::optional<KeyValue> prev_kv;
};

struct WatchRequest {
  std::string key;
  std::string range_end;
  int64_t start_revision = 0;  // 0 = from the next revision
  bool prev_kv = false;
  bool no_put = false;          // filter out PUT events
  bool no_delete = false;       // filter out DELETE events
  bool progress_notify = false; // periodic empty responses with the current revision
};

// One delivery to a watcher. Events of one revision are never split.
struct WatchResponse {
  int64_t revision = 0;            // header revision
  std::vector<Event> events;
  bool canceled = false;           // the watch is over (see compact_revision/cancel_reason)
  int64_t compact_revision = 0;    // set when start_revision was compacted
  std::string cancel_reason;
  bool progress = false;           // an empty progress notification
};

// A running watch. Destroying it (or Cancel) stops deliveries; after Cancel
// returns, the callback is not running and will not run again.
class Watcher {
 public:
  virtual ~Watcher() = default;
  virtual void Cancel() = 0;
  // Asks for a progress notification (an empty response at the current revision).
  virtual void RequestProgress() = 0;
};

using WatchCallback = std::function<void(WatchResponse)>;

// Thread-safe.
class KV {
 public:
  virtual ~KV() = default;

  virtual Result<RangeResponse> Range(const RangeRequest& req) = 0;
  virtual Result<PutResponse> Put(const PutRequest& req) = 0;
  virtual Result<DeleteRangeResponse> DeleteRange(const DeleteRangeRequest& req) = 0;
  virtual Result<TxnResponse> Txn(const TxnRequest& req) = 0;
  virtual Result<CompactResponse> Compact(int64_t revision, bool physical = false) = 0;

  // ttl in seconds; id 0 lets the store choose.
  virtual Result<LeaseGrantResponse> LeaseGrant(int64_t ttl, int64_t id = 0) = 0;
  virtual Status LeaseRevoke(int64_t id) = 0;
  // Renews the lease; returns its TTL (0 when it does not exist, as etcd does).
  virtual Result<int64_t> LeaseKeepAlive(int64_t id) = 0;
  virtual Result<LeaseTimeToLiveResponse> LeaseTimeToLive(int64_t id, bool keys) = 0;
  virtual Result<std::vector<int64_t>> LeaseList() = 0;

  // Starts a watch. `cb` runs on a store thread, one response at a time per
  // watcher, and must not block for long. A compacted start revision gives one
  // response with canceled=true and compact_revision set.
  virtual Result<std::unique_ptr<Watcher>> Watch(const WatchRequest& req, WatchCallback cb) = 0;

  virtual Result<StatusResponse> GetStatus() = 0;
};

// The range_end that selects every key starting with `prefix` (etcd's
// GetPrefixRangeEnd): the prefix with its last non-0xff byte incremented and
// what follows dropped; "\0" when the prefix is all 0xff bytes or empty.
std::string PrefixEnd(const std::string& prefix);

}  // namespace common::kv
