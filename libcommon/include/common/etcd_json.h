// The etcd v3 gRPC-gateway JSON mapping of the kv.h messages, both ways:
// a server decodes requests and encodes responses, a client the reverse.
//
// The mapping is the one etcd 3.4/3.5 emit and accept (grpc-gateway v1 with
// jsonpb, OrigName): proto field names ("create_revision", "ID", "TTL",
// "grantedTTL", "dbSize"), bytes as standard base64, 64-bit integers as JSON
// strings on output and strings or numbers on input, zero fields omitted,
// enums by name on output and by name or number on input, camelCase names
// accepted, unknown fields ignored. Decoding errors carry the exact text Go's
// encoding/json and jsonpb produce ("invalid character 'x' looking for
// beginning of value", "illegal base64 data at input byte 3", "json: cannot
// unmarshal bool into Go value of type int64"), so etcd clients see the same
// error bodies from kvstore as from etcd.
//
// Every function here is pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/kv.h"
#include "common/status.h"

namespace common::etcd {

// The ResponseHeader every etcd response carries. Inside a txn, sub-responses
// carry only the revision; a nested txn's header is empty.
struct Header {
  uint64_t cluster_id = 0;
  uint64_t member_id = 0;
  int64_t revision = 0;
  uint64_t raft_term = 0;
};

// ---------------------------------------------------------------------------
// Requests that kv.h has no struct for.

struct CompactionRequest {
  int64_t revision = 0;
  bool physical = false;
};

struct LeaseGrantRequest {
  int64_t ttl = 0;
  int64_t id = 0;
};

// LeaseRevokeRequest and LeaseKeepAliveRequest: {"ID":...}.
struct LeaseIdRequest {
  int64_t id = 0;
};

struct LeaseTimeToLiveRequest {
  int64_t id = 0;
  bool keys = false;
};

// One WatchRequest of a /v3/watch body: a create, a cancel or a progress
// request (or none of them: an empty object, which etcd ignores).
struct WatchControl {
  enum class Kind { kNone, kCreate, kCancel, kProgress };
  Kind kind = Kind::kNone;
  kv::WatchRequest create;  // kCreate
  int64_t watch_id = 0;     // kCreate: client-chosen id (0 = server picks); kCancel: the id
  bool fragment = false;    // kCreate: the client accepts fragmented responses
};

// AlarmRequest. Actions: 0 GET, 1 ACTIVATE, 2 DEACTIVATE. Alarms: 0 NONE,
// 1 NOSPACE, 2 CORRUPT.
struct AlarmRequest {
  int action = 0;
  uint64_t member_id = 0;
  int alarm = 0;
};

struct AlarmMember {
  uint64_t member_id = 0;
  int alarm = 0;  // 1 NOSPACE, 2 CORRUPT
};

// Name of an AlarmType value ("NOSPACE"), "" when unknown; and the reverse (-1).
std::string_view AlarmName(int alarm);
int AlarmFromName(std::string_view name);

// ---------------------------------------------------------------------------
// Server side: decoding requests. `body` is a whole HTTP request body; as
// etcd's gateway does, the first JSON value is read and anything after it is
// ignored, and an empty body is an empty message. Errors are BadRequest with
// Go's message text (gRPC InvalidArgument). Semantic checks (empty key, too
// many ops) are not made here.

Result<kv::RangeRequest> DecodeRangeRequest(std::string_view body);
Result<kv::PutRequest> DecodePutRequest(std::string_view body);
Result<kv::DeleteRangeRequest> DecodeDeleteRangeRequest(std::string_view body);
// An empty RequestOp ({}) is refused as etcd refuses it: "etcdserver: key not found".
Result<kv::TxnRequest> DecodeTxnRequest(std::string_view body);
Result<CompactionRequest> DecodeCompactionRequest(std::string_view body);
Result<LeaseGrantRequest> DecodeLeaseGrantRequest(std::string_view body);
Result<LeaseIdRequest> DecodeLeaseIdRequest(std::string_view body);
Result<LeaseTimeToLiveRequest> DecodeLeaseTimeToLiveRequest(std::string_view body);
Result<AlarmRequest> DecodeAlarmRequest(std::string_view body);
// HashKVRequest {revision}.
Result<int64_t> DecodeHashKVRequest(std::string_view body);
// Checks that `body` is a well-formed message with no fields we need
// (StatusRequest, DefragmentRequest, SnapshotRequest, LeaseLeasesRequest).
Status DecodeEmptyRequest(std::string_view body);

// A stream body holding requests one after another (a watch or keepalive
// body). Next() decodes the next one; it returns false at the end of the
// body, after an error (then error() says what went wrong), or, when the body
// is fed as it arrives, when the next request is not complete yet (then
// waiting() is true: Append more and call Next again).
class RequestStream {
 public:
  // The whole body at once; `body` must outlive the stream.
  explicit RequestStream(std::string_view body) : body_(body), finished_(true) {}
  // A body fed piece by piece with Append, then Finish at its end.
  RequestStream() = default;
  RequestStream(const RequestStream&) = delete;
  RequestStream& operator=(const RequestStream&) = delete;
  void Append(std::string_view data);
  void Finish() { finished_ = true; }

  bool NextWatch(WatchControl* out);
  bool NextLeaseId(LeaseIdRequest* out);
  const Status& error() const { return error_; }
  bool waiting() const { return waiting_; }
  // Bytes held for requests not decoded yet.
  size_t buffered() const { return body_.size() - pos_; }
  // True when nothing has been decoded yet (etcd fails the whole stream when
  // its first message is malformed, and only logs later ones).
  bool at_start() const { return count_ == 0; }

 private:
  // The next value; false (with error_ or waiting_ set) when there is none.
  bool NextRaw(std::string_view* raw);

  std::string own_;  // the unread part of an appended body
  std::string_view body_;
  size_t pos_ = 0;
  int count_ = 0;
  bool finished_ = false;
  bool waiting_ = false;
  Status error_;
};

// ---------------------------------------------------------------------------
// Server side: encoding responses. Each returns a complete JSON document.

std::string EncodeRangeResponse(const Header& h, const kv::RangeResponse& r);
std::string EncodePutResponse(const Header& h, const kv::PutResponse& r);
std::string EncodeDeleteRangeResponse(const Header& h, const kv::DeleteRangeResponse& r);
// Sub-response headers carry only their revision, as etcd's do.
std::string EncodeTxnResponse(const Header& h, const kv::TxnResponse& r);
// CompactionResponse, LeaseRevokeResponse, and any other header-only reply.
std::string EncodeHeaderOnly(const Header& h);
std::string EncodeLeaseGrantResponse(const Header& h, const kv::LeaseGrantResponse& r);
std::string EncodeLeaseKeepAliveResponse(const Header& h, int64_t id, int64_t ttl);
std::string EncodeLeaseTimeToLiveResponse(const Header& h, const kv::LeaseTimeToLiveResponse& r);
std::string EncodeLeaseLeasesResponse(const Header& h, const std::vector<int64_t>& ids);

// StatusResponse as etcd 3.4 fills it for a single member.
struct StatusInfo {
  std::string version;
  int64_t db_size = 0;
  uint64_t leader = 0;
  uint64_t raft_index = 0;
  uint64_t raft_term = 0;
  uint64_t raft_applied_index = 0;
  std::vector<std::string> errors;
  int64_t db_size_in_use = 0;
  bool is_learner = false;
};
std::string EncodeStatusResponse(const Header& h, const StatusInfo& s);
// AlarmResponse. etcd 3.4 sends no header here; pass nullptr to match.
std::string EncodeAlarmResponse(const Header* h, const std::vector<AlarmMember>& alarms);
// HashResponse / HashKVResponse (hash is a uint32: a JSON number).
std::string EncodeHashResponse(const Header& h, uint32_t hash, int64_t compact_revision = 0);
// One snapshot chunk, as a whole stream line {"result":{...}}\n.
std::string EncodeSnapshotChunk(std::string_view blob, uint64_t remaining_bytes);

// One WatchResponse.
struct WatchResult {
  Header header;
  int64_t watch_id = 0;
  bool created = false;
  bool canceled = false;
  int64_t compact_revision = 0;
  std::string cancel_reason;
  bool fragment = false;
  std::vector<kv::Event> events;
};
// The stream line {"result":{...}}\n (with the trailing newline).
std::string EncodeWatchLine(const WatchResult& w);
// Wraps a message as a stream line: {"result":<json>}\n.
std::string StreamLine(std::string_view json);

// etcd's error body {"error":m,"message":m,"code":c} and the HTTP status the
// gateway maps gRPC code `c` to (InvalidArgument/OutOfRange/FailedPrecondition
// 400, NotFound 404, ResourceExhausted 429, Unavailable 503, Unknown 500...).
struct ErrorReply {
  int http_status = 500;
  std::string body;
};
ErrorReply EncodeError(int grpc_code, std::string_view message);
// For a Status from a KV (kv::GrpcCode gives the code).
ErrorReply EncodeError(const Status& status);
int HttpStatusFromGrpc(int grpc_code);
// The stream error line grpc-gateway v1 sends when a stream fails mid-way:
// {"error":{"grpc_code":c,"http_code":h,"message":m,"http_status":"..."}}\n.
std::string EncodeStreamError(int grpc_code, std::string_view message);

// ---------------------------------------------------------------------------
// Client side: encoding requests (int64s as strings, zero fields omitted).

std::string EncodeRangeRequest(const kv::RangeRequest& r);
std::string EncodePutRequest(const kv::PutRequest& r);
std::string EncodeDeleteRangeRequest(const kv::DeleteRangeRequest& r);
std::string EncodeTxnRequest(const kv::TxnRequest& r);
std::string EncodeCompactionRequest(const CompactionRequest& r);
std::string EncodeLeaseGrantRequest(const LeaseGrantRequest& r);
std::string EncodeLeaseIdRequest(const LeaseIdRequest& r);
std::string EncodeLeaseTimeToLiveRequest(const LeaseTimeToLiveRequest& r);
std::string EncodeAlarmRequest(const AlarmRequest& r);
std::string EncodeWatchCreate(const WatchControl& c);
std::string EncodeWatchCancel(int64_t watch_id);
std::string EncodeWatchProgress();

// ---------------------------------------------------------------------------
// Client side: decoding responses. Lenient as a client should be: numbers or
// strings for integers, missing fields are zero, unknown fields ignored.
// Malformed input gives Code::kInternal. `header` (optional) receives the
// response header.

Result<kv::RangeResponse> DecodeRangeResponse(std::string_view body, Header* header = nullptr);
Result<kv::PutResponse> DecodePutResponse(std::string_view body, Header* header = nullptr);
Result<kv::DeleteRangeResponse> DecodeDeleteRangeResponse(std::string_view body,
                                                          Header* header = nullptr);
Result<kv::TxnResponse> DecodeTxnResponse(std::string_view body, Header* header = nullptr);
Result<Header> DecodeHeaderOnly(std::string_view body);
Result<kv::LeaseGrantResponse> DecodeLeaseGrantResponse(std::string_view body);
// LeaseKeepAliveResponse (one stream result): returns the TTL (0 = unknown lease).
Result<int64_t> DecodeLeaseKeepAliveResponse(std::string_view body, Header* header = nullptr);
Result<kv::LeaseTimeToLiveResponse> DecodeLeaseTimeToLiveResponse(std::string_view body);
Result<std::vector<int64_t>> DecodeLeaseLeasesResponse(std::string_view body,
                                                        Header* header = nullptr);
Result<StatusInfo> DecodeStatusResponse(std::string_view body, Header* header = nullptr);
Result<std::vector<AlarmMember>> DecodeAlarmResponse(std::string_view body);
Result<uint32_t> DecodeHashResponse(std::string_view body, Header* header = nullptr);
Result<WatchResult> DecodeWatchResult(std::string_view body);

// One line of a gateway stream: {"result":{...}} or {"error":{...}}.
// `result` receives the raw JSON of the result; an error line becomes a
// Status (see DecodeError).
Status SplitStreamLine(std::string_view line, std::string_view* result);

// A snapshot stream result: the blob and remaining_bytes.
struct SnapshotChunk {
  std::string blob;
  uint64_t remaining_bytes = 0;
};
Result<SnapshotChunk> DecodeSnapshotChunk(std::string_view result);

// Turns a non-200 reply into a Status with kv.h's codes and etcd's message.
// Reads etcd 3.4/3.5 bodies ({"error","message","code"}), 3.6 ones
// ({"code","message"}) and plain text (404/405 from a wrong URL).
Status DecodeError(int http_status, std::string_view body);
// The Status kv.h uses for gRPC code `code` with etcd's `message`.
Status StatusFromGrpc(int code, std::string message);

}  // namespace common::etcd
