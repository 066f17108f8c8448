// Server side of the etcd JSON mapping: requests in, responses and errors out.
#include "common/etcd_json.h"

#include "etcd_json_reader.h"
#include "etcd_json_writer.h"

namespace common::etcd {

using internal::Fields;
using internal::Raw;
using internal::Writer;

namespace {

const std::vector<std::string_view> kSortOrders = {"NONE", "ASCEND", "DESCEND"};
const std::vector<std::string_view> kSortTargets = {"KEY", "VERSION", "CREATE", "MOD", "VALUE"};
const std::vector<std::string_view> kCompareResults = {"EQUAL", "GREATER", "LESS", "NOT_EQUAL"};
const std::vector<std::string_view> kCompareTargets = {"VERSION", "CREATE", "MOD", "VALUE",
                                                       "LEASE"};
const std::vector<std::string_view> kFilterTypes = {"NOPUT", "NODELETE"};
const std::vector<std::string_view> kAlarmActions = {"GET", "ACTIVATE", "DEACTIVATE"};
const std::vector<std::string_view> kAlarmTypes = {"NONE", "NOSPACE", "CORRUPT"};

// The first JSON value of a body, as the gateway's json.Decoder reads it; an
// empty body is an empty message.
Status TopLevel(std::string_view body, Raw* obj) {
  size_t pos = 0;
  Raw raw;
  Status st = internal::DecodeNext(body, &pos, &raw);
  if (st.code() == Code::kNotFound) {
    *obj = Raw{"{}"};
    return Status::Ok();
  }
  RETURN_IF_ERROR(st);
  return internal::ReadMessage(&raw, obj);
}

// An enum value outside the names we know is kept as etcd keeps it (a number);
// kv.h's enums only hold known values, so an unknown one falls back to the
// default as etcd's server treats it.
template <typename E>
E EnumOr(int v, int count, E fallback) {
  return (v >= 0 && v < count) ? static_cast<E>(v) : fallback;
}

Status ReadRange(const Raw& obj, kv::RangeRequest* r) {
  Fields f(obj);
  int order = 0, target = 0;
  RETURN_IF_ERROR(internal::ReadBytes(f.Find("key"), &r->key));
  RETURN_IF_ERROR(internal::ReadBytes(f.Find("range_end", "rangeEnd"), &r->range_end));
  RETURN_IF_ERROR(internal::ReadInt64(f.Find("limit"), &r->limit));
  RETURN_IF_ERROR(internal::ReadInt64(f.Find("revision"), &r->revision));
  RETURN_IF_ERROR(internal::ReadEnum(f.Find("sort_order", "sortOrder"), kSortOrders,
                                     "etcdserverpb.RangeRequest_SortOrder", &order));
  RETURN_IF_ERROR(internal::ReadEnum(f.Find("sort_target", "sortTarget"), kSortTargets,
                                     "etcdserverpb.RangeRequest_SortTarget", &target));
  RETURN_IF_ERROR(internal::ReadBool(f.Find("serializable"), &r->serializable));
  RETURN_IF_ERROR(internal::ReadBool(f.Find("keys_only", "keysOnly"), &r->keys_only));
  RETURN_IF_ERROR(internal::ReadBool(f.Find("count_only", "countOnly"), &r->count_only));
  RETURN_IF_ERROR(
      internal::ReadInt64(f.Find("min_mod_revision", "minModRevision"), &r->min_mod_revision));
  RETURN_IF_ERROR(
      internal::ReadInt64(f.Find("max_mod_revision", "maxModRevision"), &r->max_mod_revision));
  RETURN_IF_ERROR(internal::ReadInt64(f.Find("min_create_revision", "minCreateRevision"),
                                      &r->min_create_revision));
  RETURN_IF_ERROR(internal::ReadInt64(f.Find("max_create_revision", "maxCreateRevision"),
                                      &r->max_create_revision));
  // etcd sorts by key for an out-of-range order/target only when ordering is
  // asked; an unknown enum number behaves as the default.
  r->sort_order = EnumOr(order, 3, kv::SortOrder::kNone);
  r->sort_target = EnumOr(target, 5, kv::SortTarget::kKey);
  return Status::Ok();
}

Status ReadPut(const Raw& obj, kv::PutRequest* r) {
  Fields f(obj);
  RETURN_IF_ERROR(internal::ReadBytes(f.Find("key"), &r->key));
  RETURN_IF_ERROR(internal::ReadBytes(f.Find("value"), &r->value));
  RETURN_IF_ERROR(internal::ReadInt64(f.Find("lease"), &r->lease));
  RETURN_IF_ERROR(internal::ReadBool(f.Find("prev_kv", "prevKv"), &r->prev_kv));
  RETURN_IF_ERROR(internal::ReadBool(f.Find("ignore_value", "ignoreValue"), &r->ignore_value));
  RETURN_IF_ERROR(internal::ReadBool(f.Find("ignore_lease", "ignoreLease"), &r->ignore_lease));
  return Status::Ok();
}

Status ReadDelete(const Raw& obj, kv::DeleteRangeRequest* r) {
  Fields f(obj);
  RETURN_IF_ERROR(internal::ReadBytes(f.Find("key"), &r->key));
  RETURN_IF_ERROR(internal::ReadBytes(f.Find("range_end", "rangeEnd"), &r->range_end));
  RETURN_IF_ERROR(internal::ReadBool(f.Find("prev_kv", "prevKv"), &r->prev_kv));
  return Status::Ok();
}

Status ReadTxn(const Raw& obj, kv::TxnRequest* r);

Status ReadCompare(const Raw& obj, kv::Compare* c) {
  Fields f(obj);
  int result = 0, target = 0;
  RETURN_IF_ERROR(internal::ReadEnum(f.Find("result"), kCompareResults,
                                     "etcdserverpb.Compare_CompareResult", &result));
  RETURN_IF_ERROR(internal::ReadEnum(f.Find("target"), kCompareTargets,
                                     "etcdserverpb.Compare_CompareTarget", &target));
  RETURN_IF_ERROR(internal::ReadBytes(f.Find("key"), &c->key));
  RETURN_IF_ERROR(internal::ReadBytes(f.Find("range_end", "rangeEnd"), &c->range_end));
  // The union: etcd reads the member matching `target` and 0 for any other.
  int64_t version = 0, create = 0, mod = 0, lease = 0;
  std::string value;
  RETURN_IF_ERROR(internal::ReadInt64(f.Find("version"), &version));
  RETURN_IF_ERROR(internal::ReadInt64(f.Find("create_revision", "createRevision"), &create));
  RETURN_IF_ERROR(internal::ReadInt64(f.Find("mod_revision", "modRevision"), &mod));
  RETURN_IF_ERROR(internal::ReadBytes(f.Find("value"), &value));
  RETURN_IF_ERROR(internal::ReadInt64(f.Find("lease"), &lease));
  c->result = EnumOr(result, 4, kv::Compare::Result::kEqual);
  c->target = EnumOr(target, 5, kv::Compare::Target::kVersion);
  switch (c->target) {
    case kv::Compare::Target::kVersion: c->number = version; break;
    case kv::Compare::Target::kCreate: c->number = create; break;
    case kv::Compare::Target::kMod: c->number = mod; break;
    case kv::Compare::Target::kLease: c->number = lease; break;
    case kv::Compare::Target::kValue: c->value = std::move(value); break;
  }
  return Status::Ok();
}

Status ReadOps(const Raw* raw, std::vector<kv::RequestOp>* ops) {
  std::vector<Raw> elems;
  RETURN_IF_ERROR(internal::ReadRepeated(raw, &elems));
  for (const Raw& e : elems) {
    Raw obj;
    RETURN_IF_ERROR(internal::ReadMessage(&e, &obj));
    Fields f(obj);
    // A oneof: the gateway keeps whichever member it decodes last.
    const Raw* range = f.Find("request_range", "requestRange");
    const Raw* put = f.Find("request_put", "requestPut");
    const Raw* del = f.Find("request_delete_range", "requestDeleteRange");
    const Raw* txn = f.Find("request_txn", "requestTxn");
    kv::RequestOp op;
    bool any = false;
    if (range) {
      Raw m;
      kv::RangeRequest r;
      RETURN_IF_ERROR(internal::ReadMessage(range, &m));
      RETURN_IF_ERROR(ReadRange(m, &r));
      op.op = std::move(r);
      any = true;
    }
    if (put) {
      Raw m;
      kv::PutRequest r;
      RETURN_IF_ERROR(internal::ReadMessage(put, &m));
      RETURN_IF_ERROR(ReadPut(m, &r));
      op.op = std::move(r);
      any = true;
    }
    if (del) {
      Raw m;
      kv::DeleteRangeRequest r;
      RETURN_IF_ERROR(internal::ReadMessage(del, &m));
      RETURN_IF_ERROR(ReadDelete(m, &r));
      op.op = std::move(r);
      any = true;
    }
    if (txn) {
      Raw m;
      auto r = std::make_shared<kv::TxnRequest>();
      RETURN_IF_ERROR(internal::ReadMessage(txn, &m));
      RETURN_IF_ERROR(ReadTxn(m, r.get()));
      op.op = std::move(r);
      any = true;
    }
    // etcd's checkRequestOp refuses an empty op with ErrGRPCKeyNotFound.
    if (!any) return Status::BadRequest("etcdserver: key not found");
    ops->push_back(std::move(op));
  }
  return Status::Ok();
}

Status ReadTxn(const Raw& obj, kv::TxnRequest* r) {
  Fields f(obj);
  std::vector<Raw> cmps;
  RETURN_IF_ERROR(internal::ReadRepeated(f.Find("compare"), &cmps));
  for (const Raw& e : cmps) {
    Raw m;
    RETURN_IF_ERROR(internal::ReadMessage(&e, &m));
    kv::Compare c;
    RETURN_IF_ERROR(ReadCompare(m, &c));
    r->compare.push_back(std::move(c));
  }
  RETURN_IF_ERROR(ReadOps(f.Find("success"), &r->success));
  RETURN_IF_ERROR(ReadOps(f.Find("failure"), &r->failure));
  return Status::Ok();
}

Status ReadWatch(const Raw& obj, WatchControl* w) {
  Fields f(obj);
  const Raw* create = f.Find("create_request", "createRequest");
  const Raw* cancel = f.Find("cancel_request", "cancelRequest");
  const Raw* progress = f.Find("progress_request", "progressRequest");
  *w = WatchControl{};
  if (create) {
    Raw m;
    RETURN_IF_ERROR(internal::ReadMessage(create, &m));
    Fields c(m);
    kv::WatchRequest& r = w->create;
    RETURN_IF_ERROR(internal::ReadBytes(c.Find("key"), &r.key));
    RETURN_IF_ERROR(internal::ReadBytes(c.Find("range_end", "rangeEnd"), &r.range_end));
    RETURN_IF_ERROR(internal::ReadInt64(c.Find("start_revision", "startRevision"),
                                        &r.start_revision));
    RETURN_IF_ERROR(internal::ReadBool(c.Find("progress_notify", "progressNotify"),
                                       &r.progress_notify));
    std::vector<Raw> filters;
    RETURN_IF_ERROR(internal::ReadRepeated(c.Find("filters"), &filters));
    for (const Raw& fr : filters) {
      int v = 0;
      RETURN_IF_ERROR(internal::ReadEnum(&fr, kFilterTypes,
                                         "etcdserverpb.WatchCreateRequest_FilterType", &v));
      if (v == 0) r.no_put = true;
      if (v == 1) r.no_delete = true;
    }
    RETURN_IF_ERROR(internal::ReadBool(c.Find("prev_kv", "prevKv"), &r.prev_kv));
    RETURN_IF_ERROR(internal::ReadInt64(c.Find("watch_id", "watchId"), &w->watch_id));
    RETURN_IF_ERROR(internal::ReadBool(c.Find("fragment"), &w->fragment));
    w->kind = WatchControl::Kind::kCreate;
  }
  if (cancel) {
    Raw m;
    RETURN_IF_ERROR(internal::ReadMessage(cancel, &m));
    Fields c(m);
    WatchControl cw;
    RETURN_IF_ERROR(internal::ReadInt64(c.Find("watch_id", "watchId"), &cw.watch_id));
    cw.kind = WatchControl::Kind::kCancel;
    *w = std::move(cw);
  }
  if (progress) {
    Raw m;
    RETURN_IF_ERROR(internal::ReadMessage(progress, &m));
    *w = WatchControl{};
    w->kind = WatchControl::Kind::kProgress;
  }
  return Status::Ok();
}

template <typename T, typename Fn>
Result<T> DecodeWith(std::string_view body, Fn fn) {
  Raw obj;
  RETURN_IF_ERROR(TopLevel(body, &obj));
  T out{};
  RETURN_IF_ERROR(fn(obj, &out));
  return out;
}

// ---------------------------------------------------------------------------
// Encoding.

void WriteHeader(Writer& w, const Header& h) {
  w.Key("header").Open();
  w.Uint("cluster_id", h.cluster_id);
  w.Uint("member_id", h.member_id);
  w.Int("revision", h.revision);
  w.Uint("raft_term", h.raft_term);
  w.Close();
}

void WriteKv(Writer& w, const kv::KeyValue& kv) {
  w.Open();
  w.Bytes("key", kv.key);
  w.Int("create_revision", kv.create_revision);
  w.Int("mod_revision", kv.mod_revision);
  w.Int("version", kv.version);
  w.Bytes("value", kv.value);
  w.Int("lease", kv.lease);
  w.Close();
}

void WriteRangeBody(Writer& w, const kv::RangeResponse& r) {
  if (!r.kvs.empty()) {
    w.Key("kvs").OpenArray();
    for (const auto& kv : r.kvs) WriteKv(w, kv);
    w.CloseArray();
  }
  w.Bool("more", r.more);
  w.Int("count", r.count);
}

void WriteDeleteBody(Writer& w, const kv::DeleteRangeResponse& r) {
  w.Int("deleted", r.deleted);
  if (!r.prev_kvs.empty()) {
    w.Key("prev_kvs").OpenArray();
    for (const auto& kv : r.prev_kvs) WriteKv(w, kv);
    w.CloseArray();
  }
}

void WriteTxnBody(Writer& w, const kv::TxnResponse& r);

void WriteSubHeader(Writer& w, int64_t revision) {
  w.Key("header").Open();
  w.Int("revision", revision);
  w.Close();
}

void WriteTxnBody(Writer& w, const kv::TxnResponse& r) {
  w.Bool("succeeded", r.succeeded);
  if (r.responses.empty()) return;
  w.Key("responses").OpenArray();
  for (const auto& op : r.responses) {
    w.Open();
    if (auto* rr = std::get_if<kv::RangeResponse>(&op.op)) {
      w.Key("response_range").Open();
      WriteSubHeader(w, rr->revision);
      WriteRangeBody(w, *rr);
      w.Close();
    } else if (auto* pr = std::get_if<kv::PutResponse>(&op.op)) {
      w.Key("response_put").Open();
      WriteSubHeader(w, pr->revision);
      if (pr->prev_kv) {
        w.Key("prev_kv");
        WriteKv(w, *pr->prev_kv);
      }
      w.Close();
    } else if (auto* dr = std::get_if<kv::DeleteRangeResponse>(&op.op)) {
      w.Key("response_delete_range").Open();
      WriteSubHeader(w, dr->revision);
      WriteDeleteBody(w, *dr);
      w.Close();
    } else if (auto* tr = std::get_if<std::shared_ptr<kv::TxnResponse>>(&op.op)) {
      // etcd leaves a nested txn's header empty.
      w.Key("response_txn").Open();
      w.Key("header").Open().Close();
      if (*tr) WriteTxnBody(w, **tr);
      w.Close();
    }
    w.Close();
  }
  w.CloseArray();
}

}  // namespace

// ---------------------------------------------------------------------------

std::string_view AlarmName(int alarm) {
  return alarm >= 0 && alarm < static_cast<int>(kAlarmTypes.size()) ? kAlarmTypes[alarm] : "";
}

int AlarmFromName(std::string_view name) {
  for (size_t i = 0; i < kAlarmTypes.size(); ++i)
    if (kAlarmTypes[i] == name) return static_cast<int>(i);
  return -1;
}

Result<kv::RangeRequest> DecodeRangeRequest(std::string_view body) {
  return DecodeWith<kv::RangeRequest>(body, ReadRange);
}
Result<kv::PutRequest> DecodePutRequest(std::string_view body) {
  return DecodeWith<kv::PutRequest>(body, ReadPut);
}
Result<kv::DeleteRangeRequest> DecodeDeleteRangeRequest(std::string_view body) {
  return DecodeWith<kv::DeleteRangeRequest>(body, ReadDelete);
}
Result<kv::TxnRequest> DecodeTxnRequest(std::string_view body) {
  return DecodeWith<kv::TxnRequest>(body, ReadTxn);
}

Result<CompactionRequest> DecodeCompactionRequest(std::string_view body) {
  return DecodeWith<CompactionRequest>(body, [](const Raw& obj, CompactionRequest* r) {
    Fields f(obj);
    RETURN_IF_ERROR(internal::ReadInt64(f.Find("revision"), &r->revision));
    return internal::ReadBool(f.Find("physical"), &r->physical);
  });
}

Result<LeaseGrantRequest> DecodeLeaseGrantRequest(std::string_view body) {
  return DecodeWith<LeaseGrantRequest>(body, [](const Raw& obj, LeaseGrantRequest* r) {
    Fields f(obj);
    RETURN_IF_ERROR(internal::ReadInt64(f.Find("TTL"), &r->ttl));
    return internal::ReadInt64(f.Find("ID"), &r->id);
  });
}

Result<LeaseIdRequest> DecodeLeaseIdRequest(std::string_view body) {
  return DecodeWith<LeaseIdRequest>(body, [](const Raw& obj, LeaseIdRequest* r) {
    Fields f(obj);
    return internal::ReadInt64(f.Find("ID"), &r->id);
  });
}

Result<LeaseTimeToLiveRequest> DecodeLeaseTimeToLiveRequest(std::string_view body) {
  return DecodeWith<LeaseTimeToLiveRequest>(body, [](const Raw& obj, LeaseTimeToLiveRequest* r) {
    Fields f(obj);
    RETURN_IF_ERROR(internal::ReadInt64(f.Find("ID"), &r->id));
    return internal::ReadBool(f.Find("keys"), &r->keys);
  });
}

Result<AlarmRequest> DecodeAlarmRequest(std::string_view body) {
  return DecodeWith<AlarmRequest>(body, [](const Raw& obj, AlarmRequest* r) {
    Fields f(obj);
    RETURN_IF_ERROR(internal::ReadEnum(f.Find("action"), kAlarmActions,
                                       "etcdserverpb.AlarmRequest_AlarmAction", &r->action));
    RETURN_IF_ERROR(internal::ReadUint64(f.Find("memberID"), &r->member_id));
    return internal::ReadEnum(f.Find("alarm"), kAlarmTypes, "etcdserverpb.AlarmType", &r->alarm);
  });
}

Result<int64_t> DecodeHashKVRequest(std::string_view body) {
  return DecodeWith<int64_t>(body, [](const Raw& obj, int64_t* rev) {
    Fields f(obj);
    return internal::ReadInt64(f.Find("revision"), rev);
  });
}

Status DecodeEmptyRequest(std::string_view body) {
  Raw obj;
  return TopLevel(body, &obj);
}

void RequestStream::Append(std::string_view data) {
  own_.erase(0, pos_);
  own_.append(data);
  body_ = own_;
  pos_ = 0;
}

bool RequestStream::NextRaw(std::string_view* out) {
  waiting_ = false;
  if (!error_.ok()) return false;
  Raw raw;
  size_t pos = pos_;
  Status st = internal::DecodeNext(body_, &pos, &raw);
  if (st.ok()) {
    pos_ = pos;
    *out = raw.text;
    return true;
  }
  // An incomplete value (or none yet) in a body still arriving: wait for more.
  const bool incomplete = st.code() == Code::kNotFound || st.message() == "unexpected EOF";
  if (incomplete && !finished_) {
    waiting_ = true;
    return false;
  }
  if (st.code() != Code::kNotFound) error_ = st;
  pos_ = pos;
  return false;
}

bool RequestStream::NextWatch(WatchControl* out) {
  std::string_view text;
  if (!NextRaw(&text)) return false;
  Raw raw{text}, obj;
  Status st = internal::ReadMessage(&raw, &obj);
  if (st.ok()) st = ReadWatch(obj, out);
  if (!st.ok()) {
    error_ = st;
    return false;
  }
  ++count_;
  return true;
}

bool RequestStream::NextLeaseId(LeaseIdRequest* out) {
  std::string_view text;
  if (!NextRaw(&text)) return false;
  Raw raw{text}, obj;
  Status st = internal::ReadMessage(&raw, &obj);
  if (st.ok()) {
    *out = LeaseIdRequest{};
    st = internal::ReadInt64(Fields(obj).Find("ID"), &out->id);
  }
  if (!st.ok()) {
    error_ = st;
    return false;
  }
  ++count_;
  return true;
}

std::string EncodeRangeResponse(const Header& h, const kv::RangeResponse& r) {
  Writer w(160 + r.kvs.size() * 96);
  w.Open();
  WriteHeader(w, h);
  WriteRangeBody(w, r);
  w.Close();
  return w.Take();
}

std::string EncodePutResponse(const Header& h, const kv::PutResponse& r) {
  Writer w;
  w.Open();
  WriteHeader(w, h);
  if (r.prev_kv) {
    w.Key("prev_kv");
    WriteKv(w, *r.prev_kv);
  }
  w.Close();
  return w.Take();
}

std::string EncodeDeleteRangeResponse(const Header& h, const kv::DeleteRangeResponse& r) {
  Writer w;
  w.Open();
  WriteHeader(w, h);
  WriteDeleteBody(w, r);
  w.Close();
  return w.Take();
}

std::string EncodeTxnResponse(const Header& h, const kv::TxnResponse& r) {
  Writer w(512);
  w.Open();
  WriteHeader(w, h);
  WriteTxnBody(w, r);
  w.Close();
  return w.Take();
}

std::string EncodeHeaderOnly(const Header& h) {
  Writer w;
  w.Open();
  WriteHeader(w, h);
  w.Close();
  return w.Take();
}

std::string EncodeLeaseGrantResponse(const Header& h, const kv::LeaseGrantResponse& r) {
  Writer w;
  w.Open();
  WriteHeader(w, h);
  w.Int("ID", r.id);
  w.Int("TTL", r.ttl);
  w.Close();
  return w.Take();
}

std::string EncodeLeaseKeepAliveResponse(const Header& h, int64_t id, int64_t ttl) {
  Writer w;
  w.Open();
  WriteHeader(w, h);
  w.Int("ID", id);
  w.Int("TTL", ttl);
  w.Close();
  return w.Take();
}

std::string EncodeLeaseTimeToLiveResponse(const Header& h, const kv::LeaseTimeToLiveResponse& r) {
  Writer w;
  w.Open();
  WriteHeader(w, h);
  w.Int("ID", r.id);
  w.Int("TTL", r.ttl);
  w.Int("grantedTTL", r.granted_ttl);
  if (!r.keys.empty()) {
    w.Key("keys").OpenArray();
    for (const auto& k : r.keys) w.BytesValue(k);
    w.CloseArray();
  }
  w.Close();
  return w.Take();
}

std::string EncodeLeaseLeasesResponse(const Header& h, const std::vector<int64_t>& ids) {
  Writer w(128 + ids.size() * 32);
  w.Open();
  WriteHeader(w, h);
  if (!ids.empty()) {
    w.Key("leases").OpenArray();
    for (int64_t id : ids) {
      w.Open();
      w.Int("ID", id);
      w.Close();
    }
    w.CloseArray();
  }
  w.Close();
  return w.Take();
}

std::string EncodeStatusResponse(const Header& h, const StatusInfo& s) {
  Writer w;
  w.Open();
  WriteHeader(w, h);
  w.String("version", s.version);
  w.Int("dbSize", s.db_size);
  w.Uint("leader", s.leader);
  w.Uint("raftIndex", s.raft_index);
  w.Uint("raftTerm", s.raft_term);
  w.Uint("raftAppliedIndex", s.raft_applied_index);
  if (!s.errors.empty()) {
    w.Key("errors").OpenArray();
    for (const auto& e : s.errors) w.StringValue(e);
    w.CloseArray();
  }
  w.Int("dbSizeInUse", s.db_size_in_use);
  w.Bool("isLearner", s.is_learner);
  w.Close();
  return w.Take();
}

std::string EncodeAlarmResponse(const Header* h, const std::vector<AlarmMember>& alarms) {
  Writer w;
  w.Open();
  if (h) WriteHeader(w, *h);
  if (!alarms.empty()) {
    w.Key("alarms").OpenArray();
    for (const auto& a : alarms) {
      w.Open();
      w.Uint("memberID", a.member_id);
      std::string_view name = AlarmName(a.alarm);
      if (a.alarm != 0) {
        if (name.empty()) {
          w.Key("alarm").Number(a.alarm);
        } else {
          w.String("alarm", name);
        }
      }
      w.Close();
    }
    w.CloseArray();
  }
  w.Close();
  return w.Take();
}

std::string EncodeHashResponse(const Header& h, uint32_t hash, int64_t compact_revision) {
  Writer w;
  w.Open();
  WriteHeader(w, h);
  w.Int32("hash", hash);
  w.Int("compact_revision", compact_revision);
  w.Close();
  return w.Take();
}

std::string EncodeSnapshotChunk(std::string_view blob, uint64_t remaining_bytes) {
  Writer w(blob.size() * 4 / 3 + 64);
  w.Raw("{\"result\":");
  w.Open();
  w.Uint("remaining_bytes", remaining_bytes);
  w.Bytes("blob", blob);
  w.Close();
  w.str() += "}\n";
  return w.Take();
}

std::string EncodeWatchLine(const WatchResult& r) {
  Writer w(192 + r.events.size() * 160);
  w.Raw("{\"result\":");
  w.Open();
  WriteHeader(w, r.header);
  w.Int("watch_id", r.watch_id);
  w.Bool("created", r.created);
  w.Bool("canceled", r.canceled);
  w.Int("compact_revision", r.compact_revision);
  w.String("cancel_reason", r.cancel_reason);
  w.Bool("fragment", r.fragment);
  if (!r.events.empty()) {
    w.Key("events").OpenArray();
    for (const auto& ev : r.events) {
      w.Open();
      if (ev.type == kv::Event::Type::kDelete) w.Key("type").Raw("\"DELETE\"");
      w.Key("kv");
      WriteKv(w, ev.kv);
      if (ev.prev_kv) {
        w.Key("prev_kv");
        WriteKv(w, *ev.prev_kv);
      }
      w.Close();
    }
    w.CloseArray();
  }
  w.Close();
  w.str() += "}\n";
  return w.Take();
}

std::string StreamLine(std::string_view json) {
  std::string out;
  out.reserve(json.size() + 12);
  out += "{\"result\":";
  out += json;
  out += "}\n";
  return out;
}

int HttpStatusFromGrpc(int code) {
  // grpc-gateway v1.9.5/v1.16.0 runtime.HTTPStatusFromCode.
  switch (code) {
    case 0: return 200;
    case 1: return 408;   // Canceled
    case 2: return 500;   // Unknown
    case 3: return 400;   // InvalidArgument
    case 4: return 504;   // DeadlineExceeded
    case 5: return 404;   // NotFound
    case 6: return 409;   // AlreadyExists
    case 7: return 403;   // PermissionDenied
    case 8: return 429;   // ResourceExhausted
    case 9: return 400;   // FailedPrecondition
    case 10: return 409;  // Aborted
    case 11: return 400;  // OutOfRange
    case 12: return 501;  // Unimplemented
    case 13: return 500;  // Internal
    case 14: return 503;  // Unavailable
    case 15: return 500;  // DataLoss
    case 16: return 401;  // Unauthenticated
    default: return 500;
  }
}

ErrorReply EncodeError(int grpc_code, std::string_view message) {
  Writer w(message.size() * 2 + 48);
  w.Open();
  w.Key("error").StringValue(message);
  w.Key("message").StringValue(message);
  w.Key("code").Number(grpc_code);
  w.Close();
  return ErrorReply{HttpStatusFromGrpc(grpc_code), w.Take()};
}

ErrorReply EncodeError(const Status& status) {
  return EncodeError(kv::GrpcCode(status), status.message());
}

std::string EncodeStreamError(int grpc_code, std::string_view message) {
  int http = HttpStatusFromGrpc(grpc_code);
  static const char* const kText[] = {"OK", "Bad Request", "Not Found", "Too Many Requests",
                                      "Service Unavailable", "Internal Server Error"};
  const char* text = http == 200   ? kText[0]
                     : http == 400 ? kText[1]
                     : http == 404 ? kText[2]
                     : http == 429 ? kText[3]
                     : http == 503 ? kText[4]
                                   : kText[5];
  Writer w;
  w.Raw("{\"error\":");
  w.Open();
  w.Key("grpc_code").Number(grpc_code);
  w.Key("http_code").Number(http);
  w.Key("message").StringValue(message);
  w.Key("http_status").StringValue(text);
  w.Close();
  w.str() += "}\n";
  return w.Take();
}

// ---------------------------------------------------------------------------

void Writer::AppendGoString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t start = 0;
  auto flush = [&](size_t i) {
    if (i > start) out->append(s.data() + start, i - start);
  };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
        ++i;
        continue;
      }
      flush(i);
      switch (c) {
        case '"': *out += "\\\""; break;
        case '\\': *out += "\\\\"; break;
        case '\n': *out += "\\n"; break;
        case '\r': *out += "\\r"; break;
        case '\t': *out += "\\t"; break;
        default:
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xf]);
      }
      start = ++i;
      continue;
    }
    // Multi-byte: validate; invalid bytes become U+FFFD, U+2028/9 are escaped.
    size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    bool ok = n > 0 && c <= 0xf4 && i + n <= s.size();
    uint32_t r = ok ? (c & (0x7f >> n)) : 0;
    for (size_t k = 1; ok && k < n; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) ok = false;
      r = (r << 6) | (d & 0x3f);
    }
    if (ok && ((n == 3 && r < 0x800) || (n == 4 && (r < 0x10000 || r > 0x10ffff)) ||
               (r >= 0xd800 && r <= 0xdfff)))
      ok = false;
    if (!ok) {
      flush(i);
      *out += "\\ufffd";
      start = ++i;
      continue;
    }
    if (r == 0x2028 || r == 0x2029) {
      flush(i);
      *out += r == 0x2028 ? "\\u2028" : "\\u2029";
      start = i + n;
    }
    i += n;
  }
  flush(s.size());
  out->push_back('"');
}

}  // namespace common::etcd
