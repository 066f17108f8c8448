// Client side of the etcd JSON mapping: requests out, responses and errors in.
#include "common/etcd_json.h"
#include "etcd_json_reader.h"
#include "etcd_json_writer.h"

namespace common::etcd {

using internal::Fields;
using internal::LenientBool;
using internal::LenientInt;
using internal::LenientUint;
using internal::Raw;
using internal::Writer;

namespace {

const char* const kSortOrderNames[] = {"NONE", "ASCEND", "DESCEND"};
const char* const kSortTargetNames[] = {"KEY", "VERSION", "CREATE", "MOD", "VALUE"};
const char* const kResultNames[] = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL"};
const char* const kTargetNames[] = {"VERSION", "CREATE", "MOD", "VALUE", "LEASE"};

void Enum(Writer& w, std::string_view name, int v, const char* const* names) {
  if (v != 0) w.Key(name).StringValue(names[v]);
}

void WriteRange(Writer& w, const kv::RangeRequest& r) {
  w.Open();
  w.Bytes("key", r.key);
  w.Bytes("range_end", r.range_end);
  w.Int("limit", r.limit);
  w.Int("revision", r.revision);
  Enum(w, "sort_order", static_cast<int>(r.sort_order), kSortOrderNames);
  Enum(w, "sort_target", static_cast<int>(r.sort_target), kSortTargetNames);
  w.Bool("serializable", r.serializable);
  w.Bool("keys_only", r.keys_only);
  w.Bool("count_only", r.count_only);
  w.Int("min_mod_revision", r.min_mod_revision);
  w.Int("max_mod_revision", r.max_mod_revision);
  w.Int("min_create_revision", r.min_create_revision);
  w.Int("max_create_revision", r.max_create_revision);
  w.Close();
}

void WritePut(Writer& w, const kv::PutRequest& r) {
  w.Open();
  w.Bytes("key", r.key);
  w.Bytes("value", r.value);
  w.Int("lease", r.lease);
  w.Bool("prev_kv", r.prev_kv);
  w.Bool("ignore_value", r.ignore_value);
  w.Bool("ignore_lease", r.ignore_lease);
  w.Close();
}

void WriteDelete(Writer& w, const kv::DeleteRangeRequest& r) {
  w.Open();
  w.Bytes("key", r.key);
  w.Bytes("range_end", r.range_end);
  w.Bool("prev_kv", r.prev_kv);
  w.Close();
}

void WriteTxn(Writer& w, const kv::TxnRequest& r);

void WriteOps(Writer& w, std::string_view name, const std::vector<kv::RequestOp>& ops) {
  if (ops.empty()) return;
  w.Key(name).OpenArray();
  for (const auto& op : ops) {
    w.Open();
    if (auto* rr = std::get_if<kv::RangeRequest>(&op.op)) {
      w.Key("request_range");
      WriteRange(w, *rr);
    } else if (auto* pr = std::get_if<kv::PutRequest>(&op.op)) {
      w.Key("request_put");
      WritePut(w, *pr);
    } else if (auto* dr = std::get_if<kv::DeleteRangeRequest>(&op.op)) {
      w.Key("request_delete_range");
      WriteDelete(w, *dr);
    } else if (auto* tr = std::get_if<std::shared_ptr<kv::TxnRequest>>(&op.op)) {
      w.Key("request_txn");
      if (*tr) {
        WriteTxn(w, **tr);
      } else {
        w.Open().Close();
      }
    }
    w.Close();
  }
  w.CloseArray();
}

void WriteTxn(Writer& w, const kv::TxnRequest& r) {
  w.Open();
  if (!r.compare.empty()) {
    w.Key("compare").OpenArray();
    for (const auto& c : r.compare) {
      w.Open();
      Enum(w, "result", static_cast<int>(c.result), kResultNames);
      Enum(w, "target", static_cast<int>(c.target), kTargetNames);
      w.Bytes("key", c.key);
      // The union member is always written: it says which one is meant.
      switch (c.target) {
        case kv::Compare::Target::kVersion: w.Key("version").QuotedNumber(c.number); break;
        case kv::Compare::Target::kCreate: w.Key("create_revision").QuotedNumber(c.number); break;
        case kv::Compare::Target::kMod: w.Key("mod_revision").QuotedNumber(c.number); break;
        case kv::Compare::Target::kLease: w.Key("lease").QuotedNumber(c.number); break;
        case kv::Compare::Target::kValue: w.Key("value").BytesValue(c.value); break;
      }
      w.Bytes("range_end", c.range_end);
      w.Close();
    }
    w.CloseArray();
  }
  WriteOps(w, "success", r.success);
  WriteOps(w, "failure", r.failure);
  w.Close();
}

// ---------------------------------------------------------------------------
// Decoding responses.

Status Malformed(const Status& st) {
  return Status::Internal("malformed response from server: " + st.message());
}

// The top-level object of a response body.
Status Top(std::string_view body, Raw* obj) {
  size_t pos = 0;
  Raw raw;
  Status st = internal::DecodeNext(body, &pos, &raw);
  if (!st.ok()) return Malformed(st.code() == Code::kNotFound ? Status::BadRequest("empty body") : st);
  if (raw.first() != '{') return Malformed(Status::BadRequest("not a JSON object"));
  *obj = raw;
  return Status::Ok();
}

std::string Bytes(const Raw* raw) {
  std::string out;
  if (raw && raw->first() == '"') {
    std::string_view inner = raw->text.substr(1, raw->text.size() - 2);
    std::string unq = inner.find('\\') != std::string_view::npos ? internal::Unquote(raw->text)
                                                                  : std::string(inner);
    auto dec = Base64Decode(unq);
    if (dec) out = std::move(*dec);
  }
  return out;
}

std::string Str(const Raw* raw) {
  std::string out;
  if (raw && raw->first() == '"') out = internal::Unquote(raw->text);
  return out;
}

std::vector<Raw> Array(const Raw* raw) {
  std::vector<Raw> out;
  if (raw && raw->first() == '[') (void)internal::ReadRepeated(raw, &out);
  return out;
}

Header ReadHeader(const Fields& f) {
  Header h;
  const Raw* raw = f.Find("header");
  if (raw && raw->first() == '{') {
    Fields hf(*raw);
    h.cluster_id = LenientUint(hf.Find("cluster_id", "clusterId"));
    h.member_id = LenientUint(hf.Find("member_id", "memberId"));
    h.revision = LenientInt(hf.Find("revision"));
    h.raft_term = LenientUint(hf.Find("raft_term", "raftTerm"));
  }
  return h;
}

kv::KeyValue ReadKv(const Raw& raw) {
  kv::KeyValue kv;
  if (raw.first() != '{') return kv;
  Fields f(raw);
  kv.key = Bytes(f.Find("key"));
  kv.create_revision = LenientInt(f.Find("create_revision", "createRevision"));
  kv.mod_revision = LenientInt(f.Find("mod_revision", "modRevision"));
  kv.version = LenientInt(f.Find("version"));
  kv.value = Bytes(f.Find("value"));
  kv.lease = LenientInt(f.Find("lease"));
  return kv;
}

std::vector<kv::KeyValue> ReadKvs(const Raw* raw) {
  std::vector<kv::KeyValue> out;
  for (const Raw& e : Array(raw)) out.push_back(ReadKv(e));
  return out;
}

kv::RangeResponse ReadRangeResp(const Fields& f) {
  kv::RangeResponse r;
  r.revision = ReadHeader(f).revision;
  r.kvs = ReadKvs(f.Find("kvs"));
  r.more = LenientBool(f.Find("more"));
  r.count = LenientInt(f.Find("count"));
  return r;
}

kv::PutResponse ReadPutResp(const Fields& f) {
  kv::PutResponse r;
  r.revision = ReadHeader(f).revision;
  if (const Raw* p = f.Find("prev_kv", "prevKv")) r.prev_kv = ReadKv(*p);
  return r;
}

kv::DeleteRangeResponse ReadDeleteResp(const Fields& f) {
  kv::DeleteRangeResponse r;
  r.revision = ReadHeader(f).revision;
  r.deleted = LenientInt(f.Find("deleted"));
  r.prev_kvs = ReadKvs(f.Find("prev_kvs", "prevKvs"));
  return r;
}

kv::TxnResponse ReadTxnResp(const Fields& f) {
  kv::TxnResponse r;
  r.revision = ReadHeader(f).revision;
  r.succeeded = LenientBool(f.Find("succeeded"));
  for (const Raw& e : Array(f.Find("responses"))) {
    if (e.first() != '{') continue;
    Fields of(e);
    kv::ResponseOp op;
    if (const Raw* x = of.Find("response_range", "responseRange"); x && x->first() == '{') {
      op.op = ReadRangeResp(Fields(*x));
    } else if (const Raw* x = of.Find("response_put", "responsePut"); x && x->first() == '{') {
      op.op = ReadPutResp(Fields(*x));
    } else if (const Raw* x = of.Find("response_delete_range", "responseDeleteRange");
               x && x->first() == '{') {
      op.op = ReadDeleteResp(Fields(*x));
    } else if (const Raw* x = of.Find("response_txn", "responseTxn"); x && x->first() == '{') {
      op.op = std::make_shared<kv::TxnResponse>(ReadTxnResp(Fields(*x)));
    } else {
      continue;
    }
    r.responses.push_back(std::move(op));
  }
  return r;
}

template <typename T, typename Fn>
Result<T> DecodeResp(std::string_view body, Header* header, Fn fn) {
  Raw obj;
  RETURN_IF_ERROR(Top(body, &obj));
  Fields f(obj);
  if (header) *header = ReadHeader(f);
  return fn(f);
}

}  // namespace

std::string EncodeRangeRequest(const kv::RangeRequest& r) {
  Writer w;
  WriteRange(w, r);
  return w.Take();
}
std::string EncodePutRequest(const kv::PutRequest& r) {
  Writer w(r.value.size() * 4 / 3 + r.key.size() * 4 / 3 + 64);
  WritePut(w, r);
  return w.Take();
}
std::string EncodeDeleteRangeRequest(const kv::DeleteRangeRequest& r) {
  Writer w;
  WriteDelete(w, r);
  return w.Take();
}
std::string EncodeTxnRequest(const kv::TxnRequest& r) {
  Writer w(512);
  WriteTxn(w, r);
  return w.Take();
}
std::string EncodeCompactionRequest(const CompactionRequest& r) {
  Writer w;
  w.Open().Int("revision", r.revision).Bool("physical", r.physical).Close();
  return w.Take();
}
std::string EncodeLeaseGrantRequest(const LeaseGrantRequest& r) {
  Writer w;
  w.Open().Int("TTL", r.ttl).Int("ID", r.id).Close();
  return w.Take();
}
std::string EncodeLeaseIdRequest(const LeaseIdRequest& r) {
  Writer w;
  w.Open().Int("ID", r.id).Close();
  return w.Take();
}
std::string EncodeLeaseTimeToLiveRequest(const LeaseTimeToLiveRequest& r) {
  Writer w;
  w.Open().Int("ID", r.id).Bool("keys", r.keys).Close();
  return w.Take();
}
std::string EncodeAlarmRequest(const AlarmRequest& r) {
  static const char* const kActions[] = {"GET", "ACTIVATE", "DEACTIVATE"};
  Writer w;
  w.Open();
  if (r.action > 0 && r.action < 3) w.Key("action").StringValue(kActions[r.action]);
  w.Uint("memberID", r.member_id);
  if (!AlarmName(r.alarm).empty() && r.alarm != 0) w.Key("alarm").StringValue(AlarmName(r.alarm));
  w.Close();
  return w.Take();
}

std::string EncodeWatchCreate(const WatchControl& c) {
  const kv::WatchRequest& r = c.create;
  Writer w;
  w.Open().Key("create_request").Open();
  w.Bytes("key", r.key);
  w.Bytes("range_end", r.range_end);
  w.Int("start_revision", r.start_revision);
  w.Bool("progress_notify", r.progress_notify);
  if (r.no_put || r.no_delete) {
    w.Key("filters").OpenArray();
    if (r.no_put) w.StringValue("NOPUT");
    if (r.no_delete) w.StringValue("NODELETE");
    w.CloseArray();
  }
  w.Bool("prev_kv", r.prev_kv);
  w.Int("watch_id", c.watch_id);
  w.Bool("fragment", c.fragment);
  w.Close().Close();
  return w.Take();
}

std::string EncodeWatchCancel(int64_t watch_id) {
  Writer w;
  w.Open().Key("cancel_request").Open().Key("watch_id").QuotedNumber(watch_id).Close().Close();
  return w.Take();
}

std::string EncodeWatchProgress() { return "{\"progress_request\":{}}"; }

Result<kv::RangeResponse> DecodeRangeResponse(std::string_view body, Header* header) {
  return DecodeResp<kv::RangeResponse>(body, header, ReadRangeResp);
}
Result<kv::PutResponse> DecodePutResponse(std::string_view body, Header* header) {
  return DecodeResp<kv::PutResponse>(body, header, ReadPutResp);
}
Result<kv::DeleteRangeResponse> DecodeDeleteRangeResponse(std::string_view body, Header* header) {
  return DecodeResp<kv::DeleteRangeResponse>(body, header, ReadDeleteResp);
}
Result<kv::TxnResponse> DecodeTxnResponse(std::string_view body, Header* header) {
  return DecodeResp<kv::TxnResponse>(body, header, ReadTxnResp);
}
Result<Header> DecodeHeaderOnly(std::string_view body) {
  return DecodeResp<Header>(body, nullptr, [](const Fields& f) { return ReadHeader(f); });
}

Result<kv::LeaseGrantResponse> DecodeLeaseGrantResponse(std::string_view body) {
  return DecodeResp<kv::LeaseGrantResponse>(
      body, nullptr, [](const Fields& f) -> Result<kv::LeaseGrantResponse> {
        // etcd 3.4 can report a grant failure in the body's "error" field.
        std::string err = Str(f.Find("error"));
        if (!err.empty()) return Status::Internal(err);
        kv::LeaseGrantResponse r;
        r.revision = ReadHeader(f).revision;
        r.id = LenientInt(f.Find("ID"));
        r.ttl = LenientInt(f.Find("TTL"));
        return r;
      });
}

Result<int64_t> DecodeLeaseKeepAliveResponse(std::string_view body, Header* header) {
  return DecodeResp<int64_t>(body, header,
                             [](const Fields& f) { return LenientInt(f.Find("TTL")); });
}

Result<kv::LeaseTimeToLiveResponse> DecodeLeaseTimeToLiveResponse(std::string_view body) {
  return DecodeResp<kv::LeaseTimeToLiveResponse>(body, nullptr, [](const Fields& f) {
    kv::LeaseTimeToLiveResponse r;
    r.revision = ReadHeader(f).revision;
    r.id = LenientInt(f.Find("ID"));
    r.ttl = LenientInt(f.Find("TTL"));
    r.granted_ttl = LenientInt(f.Find("grantedTTL"));
    for (const Raw& k : Array(f.Find("keys"))) r.keys.push_back(Bytes(&k));
    return r;
  });
}

Result<std::vector<int64_t>> DecodeLeaseLeasesResponse(std::string_view body, Header* header) {
  return DecodeResp<std::vector<int64_t>>(body, header, [](const Fields& f) {
    std::vector<int64_t> ids;
    for (const Raw& l : Array(f.Find("leases")))
      if (l.first() == '{') ids.push_back(LenientInt(Fields(l).Find("ID")));
    return ids;
  });
}

Result<StatusInfo> DecodeStatusResponse(std::string_view body, Header* header) {
  return DecodeResp<StatusInfo>(body, header, [](const Fields& f) {
    StatusInfo s;
    s.version = Str(f.Find("version"));
    s.db_size = LenientInt(f.Find("dbSize"));
    s.leader = LenientUint(f.Find("leader"));
    s.raft_index = LenientUint(f.Find("raftIndex"));
    s.raft_term = LenientUint(f.Find("raftTerm"));
    s.raft_applied_index = LenientUint(f.Find("raftAppliedIndex"));
    for (const Raw& e : Array(f.Find("errors"))) s.errors.push_back(Str(&e));
    s.db_size_in_use = LenientInt(f.Find("dbSizeInUse"));
    s.is_learner = LenientBool(f.Find("isLearner"));
    return s;
  });
}

Result<std::vector<AlarmMember>> DecodeAlarmResponse(std::string_view body) {
  return DecodeResp<std::vector<AlarmMember>>(body, nullptr, [](const Fields& f) {
    std::vector<AlarmMember> out;
    for (const Raw& a : Array(f.Find("alarms"))) {
      if (a.first() != '{') continue;
      Fields af(a);
      AlarmMember m;
      m.member_id = LenientUint(af.Find("memberID"));
      const Raw* alarm = af.Find("alarm");
      if (alarm && alarm->first() == '"') {
        m.alarm = std::max(0, AlarmFromName(Str(alarm)));
      } else {
        m.alarm = static_cast<int>(LenientInt(alarm));
      }
      out.push_back(m);
    }
    return out;
  });
}

Result<uint32_t> DecodeHashResponse(std::string_view body, Header* header) {
  return DecodeResp<uint32_t>(body, header, [](const Fields& f) {
    return static_cast<uint32_t>(LenientUint(f.Find("hash")));
  });
}

Result<WatchResult> DecodeWatchResult(std::string_view body) {
  return DecodeResp<WatchResult>(body, nullptr, [](const Fields& f) {
    WatchResult r;
    r.header = ReadHeader(f);
    r.watch_id = LenientInt(f.Find("watch_id", "watchId"));
    r.created = LenientBool(f.Find("created"));
    r.canceled = LenientBool(f.Find("canceled"));
    r.compact_revision = LenientInt(f.Find("compact_revision", "compactRevision"));
    r.cancel_reason = Str(f.Find("cancel_reason", "cancelReason"));
    r.fragment = LenientBool(f.Find("fragment"));
    for (const Raw& e : Array(f.Find("events"))) {
      if (e.first() != '{') continue;
      Fields ef(e);
      kv::Event ev;
      const Raw* type = ef.Find("type");
      if (type && (type->text == "\"DELETE\"" || type->text == "1"))
        ev.type = kv::Event::Type::kDelete;
      if (const Raw* k = ef.Find("kv")) ev.kv = ReadKv(*k);
      if (const Raw* p = ef.Find("prev_kv", "prevKv")) ev.prev_kv = ReadKv(*p);
      r.events.push_back(std::move(ev));
    }
    return r;
  });
}

Status SplitStreamLine(std::string_view line, std::string_view* result) {
  Raw obj;
  RETURN_IF_ERROR(Top(line, &obj));
  Fields f(obj);
  if (const Raw* r = f.Find("result"); r && r->first() == '{') {
    *result = r->text;
    return Status::Ok();
  }
  if (const Raw* e = f.Find("error")) {
    // v1: {"grpc_code","http_code","message","http_status"}; v2: a google.rpc.Status.
    if (e->first() == '{') {
      Fields ef(*e);
      int64_t code = LenientInt(ef.Find("grpc_code", "grpcCode"));
      if (code == 0) code = LenientInt(ef.Find("code"));
      return StatusFromGrpc(static_cast<int>(code), Str(ef.Find("message")));
    }
    return StatusFromGrpc(2, Str(e));
  }
  return Malformed(Status::BadRequest("stream line without result or error"));
}

Result<SnapshotChunk> DecodeSnapshotChunk(std::string_view result) {
  return DecodeResp<SnapshotChunk>(result, nullptr, [](const Fields& f) {
    SnapshotChunk c;
    c.remaining_bytes = LenientUint(f.Find("remaining_bytes", "remainingBytes"));
    c.blob = Bytes(f.Find("blob"));
    return c;
  });
}

Status StatusFromGrpc(int code, std::string message) {
  switch (code) {
    case 0: return Status::Ok();
    case 3: return Status::BadRequest(std::move(message));
    case 5: return Status::NotFound(std::move(message));
    case 6:
    case 9: return Status::AlreadyExists(std::move(message));
    case 8: return Status::TooManyRequests(std::move(message));
    case 11:
      if (message == kv::kErrFutureRev) return Status::BadRequest(std::move(message));
      if (message == kv::kErrCompacted) return Status::Expired(std::move(message));
      return Status::BadRequest(std::move(message));
    case 4: return Status::Timeout(std::move(message));
    case 7: return Status::Forbidden(std::move(message));
    case 14: return Status::Unavailable(std::move(message));
    case 16: return Status(Code::kUnauthorized, std::move(message));
    default: return Status::Internal(std::move(message));
  }
}

Status DecodeError(int http_status, std::string_view body) {
  size_t pos = 0;
  Raw raw;
  if (internal::DecodeNext(body, &pos, &raw).ok() && raw.first() == '{') {
    Fields f(raw);
    std::string msg = Str(f.Find("message"));
    if (msg.empty()) msg = Str(f.Find("error"));
    const Raw* code = f.Find("code");
    if (code || !msg.empty()) {
      int c = code ? static_cast<int>(LenientInt(code)) : 2;
      if (msg.empty()) msg = "etcd returned HTTP " + std::to_string(http_status);
      return StatusFromGrpc(c, std::move(msg));
    }
  }
  std::string text(body.substr(0, 200));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::string msg = "HTTP " + std::to_string(http_status) + (text.empty() ? "" : ": " + text);
  Code c = CodeFromHttpStatus(http_status);
  if (c == Code::kOk) c = Code::kInternal;
  return Status(c, std::move(msg));
}

}  // namespace common::etcd
