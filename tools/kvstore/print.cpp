#include "print.h"

#include <cerrno>
#include <cstdio>

#include "common/base64.h"

namespace kvstore {

using common::Json;

Json HeaderJson(const common::etcd::Header& h) {
  Json j = Json::object();
  if (h.cluster_id) j["cluster_id"] = h.cluster_id;
  if (h.member_id) j["member_id"] = h.member_id;
  if (h.revision) j["revision"] = h.revision;
  if (h.raft_term) j["raft_term"] = h.raft_term;
  return j;
}

Json KvJson(const common::kv::KeyValue& kv) {
  Json j = Json::object();
  if (!kv.key.empty()) j["key"] = common::Base64Encode(kv.key);
  if (kv.create_revision) j["create_revision"] = kv.create_revision;
  if (kv.mod_revision) j["mod_revision"] = kv.mod_revision;
  if (kv.version) j["version"] = kv.version;
  if (!kv.value.empty()) j["value"] = common::Base64Encode(kv.value);
  if (kv.lease) j["lease"] = kv.lease;
  return j;
}

Json RangeJson(const common::etcd::Header& h, const common::kv::RangeResponse& r) {
  Json j = Json::object();
  j["header"] = HeaderJson(h);
  if (!r.kvs.empty()) {
    Json kvs = Json::array();
    for (const auto& kv : r.kvs) kvs.push_back(KvJson(kv));
    j["kvs"] = std::move(kvs);
  }
  if (r.more) j["more"] = true;
  if (r.count) j["count"] = r.count;
  return j;
}

namespace {
Json SubHeader(int64_t rev) {
  Json h = Json::object();
  if (rev) h["revision"] = rev;
  return h;
}
Json TxnBody(const common::kv::TxnResponse& r) {
  Json j = Json::object();
  if (r.succeeded) j["succeeded"] = true;
  if (r.responses.empty()) return j;
  Json ops = Json::array();
  for (const auto& op : r.responses) {
    Json o = Json::object();
    if (auto* rr = std::get_if<common::kv::RangeResponse>(&op.op)) {
      common::etcd::Header h;
      h.revision = rr->revision;
      o["response_range"] = RangeJson(h, *rr);
    } else if (auto* pr = std::get_if<common::kv::PutResponse>(&op.op)) {
      Json p = Json::object();
      p["header"] = SubHeader(pr->revision);
      if (pr->prev_kv) p["prev_kv"] = KvJson(*pr->prev_kv);
      o["response_put"] = std::move(p);
    } else if (auto* dr = std::get_if<common::kv::DeleteRangeResponse>(&op.op)) {
      Json d = Json::object();
      d["header"] = SubHeader(dr->revision);
      if (dr->deleted) d["deleted"] = dr->deleted;
      if (!dr->prev_kvs.empty()) {
        Json kvs = Json::array();
        for (const auto& kv : dr->prev_kvs) kvs.push_back(KvJson(kv));
        d["prev_kvs"] = std::move(kvs);
      }
      o["response_delete_range"] = std::move(d);
    } else if (auto* tr = std::get_if<std::shared_ptr<common::kv::TxnResponse>>(&op.op)) {
      Json t = Json::object();
      t["header"] = Json::object();
      if (*tr) t.update(TxnBody(**tr));
      o["response_txn"] = std::move(t);
    }
    ops.push_back(std::move(o));
  }
  j["responses"] = std::move(ops);
  return j;
}
}  // namespace

Json TxnJson(const common::etcd::Header& h, const common::kv::TxnResponse& r) {
  Json j = Json::object();
  j["header"] = HeaderJson(h);
  j.update(TxnBody(r));
  return j;
}

Json EventJson(const common::kv::Event& ev) {
  Json j = Json::object();
  j["type"] = ev.type == common::kv::Event::Type::kDelete ? "DELETE" : "PUT";
  j["kv"] = KvJson(ev.kv);
  if (ev.prev_kv) j["prev_kv"] = KvJson(*ev.prev_kv);
  return j;
}

bool Out(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size()) return false;
  return std::fflush(stdout) == 0;
}

bool OutJson(const Json& j) { return Out(common::DumpJson(j) + "\n"); }

std::string EscapeField(std::string_view s, bool space) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case ' ':
        if (space) {
          out += "\\x20";
        } else {
          out += ' ';
        }
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string LeaseHex(int64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(id));
  return buf;
}

bool ParseLeaseId(const std::string& text, int64_t* id) {
  if (text.empty() || text.size() > 16) return false;
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 16);
  if (errno != 0 || *end != '\0') return false;
  *id = static_cast<int64_t>(v);
  return true;
}

}  // namespace kvstore
