// Byte layouts of the MVCC engine's LMDB records and WAL payloads.
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

// ---------------------------------------------------------------- batch logs
// Payload: [last_rev:8][records:4]{[main:8][sub:8][len:4][bytes]}
//          [others:4]{[table:1][del:1][klen:4][key][vlen:4][value]}

namespace {

void PutFixed32(std::string* out, uint32_t v) {
  char b[4] = {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
               static_cast<char>((v >> 16) & 0xff), static_cast<char>(v >> 24)};
  out->append(b, 4);
}

// A bounds-checked reader over a payload.
class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}
  bool U8(uint8_t* v) {
    if (d_.empty()) return false;
    *v = static_cast<uint8_t>(d_[0]);
    d_.remove_prefix(1);
    return true;
  }
  bool U32(uint32_t* v) {
    if (d_.size() < 4) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(d_.data());
    *v = static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
    d_.remove_prefix(4);
    return true;
  }
  bool I64(int64_t* v) {
    if (d_.size() < 8) return false;
    *v = GetFixed64(d_.data());
    d_.remove_prefix(8);
    return true;
  }
  bool Bytes(std::string* out) {
    uint32_t n = 0;
    if (!U32(&n) || d_.size() < n) return false;
    out->assign(d_.data(), n);
    d_.remove_prefix(n);
    return true;
  }
  bool done() const { return d_.empty(); }

 private:
  std::string_view d_;
};

}  // namespace

std::string EncodeBatchLog(const BatchLog& log) {
  size_t n = 16;
  for (const auto& r : log.records) n += 20 + r.data.size();
  for (const auto& m : log.others) n += 10 + m.key.size() + m.value.size();
  std::string out;
  out.reserve(n);
  PutFixed64(&out, log.last_rev);
  PutFixed32(&out, static_cast<uint32_t>(log.records.size()));
  for (const auto& r : log.records) {
    PutFixed64(&out, r.rev.main);
    PutFixed64(&out, r.rev.sub);
    PutFixed32(&out, static_cast<uint32_t>(r.data.size()));
    out.append(r.data);
  }
  PutFixed32(&out, static_cast<uint32_t>(log.others.size()));
  for (const auto& m : log.others) {
    out.push_back(static_cast<char>(m.table));
    out.push_back(static_cast<char>(m.del ? 1 : 0));
    PutFixed32(&out, static_cast<uint32_t>(m.key.size()));
    out.append(m.key);
    PutFixed32(&out, static_cast<uint32_t>(m.value.size()));
    out.append(m.value);
  }
  return out;
}

bool DecodeBatchLog(std::string_view data, BatchLog* out) {
  Reader r(data);
  uint32_t n = 0;
  if (!r.I64(&out->last_rev) || !r.U32(&n)) return false;
  out->records.clear();
  for (uint32_t i = 0; i < n; ++i) {
    LoggedRecord rec;
    RecordView view;
    if (!r.I64(&rec.rev.main) || !r.I64(&rec.rev.sub) || !r.Bytes(&rec.data) ||
        !DecodeRecord(rec.data, &view)) {
      return false;
    }
    out->records.push_back(std::move(rec));
  }
  if (!r.U32(&n)) return false;
  out->others.clear();
  for (uint32_t i = 0; i < n; ++i) {
    Mutation m;
    uint8_t table = 0, del = 0;
    if (!r.U8(&table) || !r.U8(&del) || table > static_cast<uint8_t>(Table::kLease) || del > 1 ||
        !r.Bytes(&m.key) || !r.Bytes(&m.value)) {
      return false;
    }
    m.table = static_cast<Table>(table);
    m.del = del != 0;
    out->others.push_back(std::move(m));
  }
  return r.done();
}

// ---------------------------------------------------------------- crc32c

namespace {

struct Crc32cTable {
  uint32_t t[256];
  Crc32cTable() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
      t[i] = c;
    }
  }
};

uint32_t Crc32cPortable(const unsigned char* p, size_t n, uint32_t crc) {
  static const Crc32cTable table;
  for (size_t i = 0; i < n; ++i) crc = table.t[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t Crc32cSse42(const unsigned char* p, size_t n,
                                                       uint32_t crc) {
  uint64_t c = crc;
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c = __builtin_ia32_crc32di(c, v);
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  for (; n > 0; --n, ++p) c32 = __builtin_ia32_crc32qi(c32, *p);
  return c32;
}
#endif

}  // namespace

uint32_t Crc32c(const void* data, size_t n, uint32_t crc) {
  const auto* p = static_cast<const unsigned char*>(data);
  crc = ~crc;
#if defined(__x86_64__)
  static const bool hw = __builtin_cpu_supports("sse4.2");
  crc = hw ? Crc32cSse42(p, n, crc) : Crc32cPortable(p, n, crc);
#else
  crc = Crc32cPortable(p, n, crc);
#endif
  return ~crc;
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
