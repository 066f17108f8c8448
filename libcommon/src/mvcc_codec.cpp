// Byte layouts of the MVCC engine's LMDB records.
#include <cstring>

#include "mvcc_internal.h"

namespace common::mvcc {

namespace {

void PutBig64(char* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}

uint64_t GetBig64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

constexpr size_t kHeaderSize = 1 + 8 + 8 + 8 + 4;
constexpr unsigned char kTombstone = 1;

}  // namespace

void EncodeRevKey(Revision rev, char out[kRevKeySize]) {
  PutBig64(out, static_cast<uint64_t>(rev.main));
  PutBig64(out + 8, static_cast<uint64_t>(rev.sub));
}

Revision DecodeRevKey(const void* data) {
  const auto* p = static_cast<const unsigned char*>(data);
  return Revision{static_cast<int64_t>(GetBig64(p)), static_cast<int64_t>(GetBig64(p + 8))};
}

void PutFixed64(std::string* out, int64_t v) {
  char buf[8];
  uint64_t u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) {
    buf[i] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  out->append(buf, 8);
}

int64_t GetFixed64(const void* data) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t u = 0;
  for (int i = 7; i >= 0; --i) u = (u << 8) | p[i];
  return static_cast<int64_t>(u);
}

std::string EncodeRecord(const kv::KeyValue& kv, bool tombstone) {
  std::string out;
  out.reserve(kHeaderSize + kv.key.size() + (tombstone ? 0 : kv.value.size()));
  out.push_back(static_cast<char>(tombstone ? kTombstone : 0));
  PutFixed64(&out, tombstone ? 0 : kv.create_revision);
  PutFixed64(&out, tombstone ? 0 : kv.version);
  PutFixed64(&out, tombstone ? 0 : kv.lease);
  uint32_t klen = static_cast<uint32_t>(kv.key.size());
  char lenbuf[4] = {static_cast<char>(klen & 0xff), static_cast<char>((klen >> 8) & 0xff),
                    static_cast<char>((klen >> 16) & 0xff), static_cast<char>(klen >> 24)};
  out.append(lenbuf, 4);
  out.append(kv.key);
  if (!tombstone) out.append(kv.value);
  return out;
}

bool DecodeRecord(std::string_view data, RecordView* out) {
  if (data.size() < kHeaderSize) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  out->tombstone = (p[0] & kTombstone) != 0;
  out->create_revision = GetFixed64(p + 1);
  out->version = GetFixed64(p + 9);
  out->lease = GetFixed64(p + 17);
  uint32_t klen = static_cast<uint32_t>(p[25]) | (static_cast<uint32_t>(p[26]) << 8) |
                  (static_cast<uint32_t>(p[27]) << 16) | (static_cast<uint32_t>(p[28]) << 24);
  if (data.size() - kHeaderSize < klen) return false;
  out->key = data.substr(kHeaderSize, klen);
  out->value = data.substr(kHeaderSize + klen);
  return true;
}

kv::KeyValue ToKeyValue(const RecordView& rec, int64_t mod_revision, bool with_value) {
  kv::KeyValue kv;
  kv.key.assign(rec.key);
  kv.mod_revision = mod_revision;
  if (rec.tombstone) return kv;
  kv.create_revision = rec.create_revision;
  kv.version = rec.version;
  kv.lease = rec.lease;
  if (with_value) kv.value.assign(rec.value);
  return kv;
}

Status LmdbError(int rc, std::string_view what, std::string_view subject) {
  std::string msg = "cannot ";
  msg.append(what);
  if (!subject.empty()) {
    msg.append(" '");
    msg.append(subject);
    msg.append("'");
  }
  msg.append(": ");
  msg.append(mdb_strerror(rc));
  return Status::Internal(std::move(msg));
}

}  // namespace common::mvcc
