// POST /v3/maintenance/status|alarm|defragment|hash|snapshot and
// /v3/cluster/member/list; GET /version, /health, /metrics, /healthz...
#include <fcntl.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "common/metrics.h"
#include "server_internal.h"

namespace kvstore {
namespace {

namespace etcd = common::etcd;
namespace kv = common::kv;

// etcd's snapshotSendBufferSize.
constexpr size_t kSnapshotChunk = 32 * 1024;

uint32_t Crc32c(uint32_t crc, std::string_view data) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0x82f63b78 ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (unsigned char b : data) crc = table[(crc ^ b) & 0xff] ^ (crc >> 8);
  return ~crc;
}

// Streams the snapshot as etcd's gateway does: 32 KiB blobs with the bytes
// still to come, then one blob holding the SHA-256 of everything sent.
void StreamSnapshot(Server::State* st, const common::Responder& r) {
  char tmpl[] = "/tmp/kvstore-snapshot.XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) return SendError(r, 13, "cannot create a temporary snapshot file");
  ::close(fd);
  const std::string path = tmpl;
  common::Status s = st->store->SnapshotTo(path);
  if (!s.ok()) {
    ::unlink(path.c_str());
    return SendError(r, s);
  }
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ::unlink(path.c_str());
  if (fd < 0) return SendError(r, 13, "cannot read the snapshot");
  struct stat sb;
  ::fstat(fd, &sb);
  const uint64_t size = static_cast<uint64_t>(sb.st_size);
  auto stream = r.Stream(200, JsonHeaders());
  if (!stream) {
    ::close(fd);
    return;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr);
  std::string buf(kSnapshotChunk, '\0');
  uint64_t sent = 0;
  while (sent < size) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n <= 0) break;
    EVP_DigestUpdate(md.get(), buf.data(), static_cast<size_t>(n));
    sent += static_cast<uint64_t>(n);
    if (!stream->Write(etcd::EncodeSnapshotChunk(std::string_view(buf.data(), n), size - sent))) {
      ::close(fd);
      return;  // the client went away
    }
    // Do not queue the whole database in memory ahead of a slow client.
    while (stream->Pending() > (8u << 20) && !stream->closed())
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::close(fd);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int dlen = 0;
  EVP_DigestFinal_ex(md.get(), digest, &dlen);
  stream->Write(etcd::EncodeSnapshotChunk(
      std::string_view(reinterpret_cast<const char*>(digest), dlen), 0));
  stream->Close();
}

// A CRC-32C of every live key-value at the current revision (etcd hashes its
// bbolt file instead: the values differ, the use, comparing members, holds).
common::Result<std::pair<uint32_t, int64_t>> HashKeyspace(Server::State* st) {
  uint32_t crc = 0;
  kv::RangeRequest req{std::string(1, '\0'), std::string(1, '\0')};
  req.limit = 1000;
  int64_t rev = 0;
  for (;;) {
    auto page = st->store->Range(req);
    if (!page.ok()) return page.status();
    if (rev == 0) rev = page->revision;
    req.revision = rev;
    for (const auto& x : page->kvs) {
      crc = Crc32c(crc, x.key);
      crc = Crc32c(crc, x.value);
      std::string meta = std::to_string(x.mod_revision) + "/" + std::to_string(x.lease);
      crc = Crc32c(crc, meta);
    }
    if (!page->more || page->kvs.empty()) break;
    req.key = page->kvs.back().key + std::string(1, '\0');
  }
  return std::make_pair(crc, rev);
}

}  // namespace

void AddMaintenanceRoutes(common::Router& router, const std::string& prefix,
                          Server::State* st) {
  router.Handle("POST", prefix + "/maintenance/status", [st](common::HttpRequest& req,
                                                             common::Responder r) {
    if (auto s = etcd::DecodeEmptyRequest(req.body); !s.ok()) return SendError(r, s);
    {
      auto s = st->store->GetStatus();
      if (!s.ok()) return SendError(r, s.status());
      etcd::StatusInfo info;
      info.version = s->version;
      info.db_size = s->db_size;
      info.db_size_in_use = s->db_size_in_use;
      info.leader = st->member_id;
      // No raft log: the index that moves with every write is the revision.
      info.raft_index = info.raft_applied_index = static_cast<uint64_t>(s->revision);
      info.raft_term = 2;
      char id[24];
      std::snprintf(id, sizeof id, "%llx", static_cast<unsigned long long>(st->member_id));
      for (const auto& a : s->alarms) info.errors.push_back("memberID:" + std::string(id) +
                                                            " alarm:" + a);
      SendJson(r, etcd::EncodeStatusResponse(st->Header(s->revision), info));
    }
  });

  router.Handle("POST", prefix + "/maintenance/alarm", [st](common::HttpRequest& req,
                                                            common::Responder r) {
    auto in = etcd::DecodeAlarmRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    st->Blocking([st, r, in = *in] {
      std::vector<etcd::AlarmMember> listed;
      for (const auto& a : Alarms(*st->store)) {
        int type = etcd::AlarmFromName(a);
        if (type <= 0) continue;
        if (in.action == 2 && in.alarm != 0 && in.alarm != type) continue;
        listed.push_back({st->member_id, type});
      }
      if (in.action == 2 && !listed.empty()) {
        if (auto s = st->store->DisarmAlarms(); !s.ok()) return SendError(r, s);
      }
      if (in.action == 1) listed.clear();  // ACTIVATE by hand: not supported, a no-op
      // etcd 3.4 leaves the header out of AlarmResponse.
      SendJson(r, etcd::EncodeAlarmResponse(nullptr, listed));
    });
  });

  router.Handle("POST", prefix + "/maintenance/defragment", [st](common::HttpRequest& req,
                                                                 common::Responder r) {
    if (auto s = etcd::DecodeEmptyRequest(req.body); !s.ok()) return SendError(r, s);
    st->Blocking([st, r] {
      if (auto s = st->store->Defragment(); !s.ok()) return SendError(r, s);
      SendJson(r, "{}");  // etcd 3.4 sends DefragmentResponse without a header
    });
  });

  router.Handle("POST", prefix + "/maintenance/hash", [st](common::HttpRequest& req,
                                                           common::Responder r) {
    if (auto s = etcd::DecodeEmptyRequest(req.body); !s.ok()) return SendError(r, s);
    st->Blocking([st, r] {
      auto h = HashKeyspace(st);
      if (!h.ok()) return SendError(r, h.status());
      SendJson(r, etcd::EncodeHashResponse(st->Header(h->second), h->first));
    });
  });

  router.Handle("POST", prefix + "/maintenance/snapshot", [st](common::HttpRequest& req,
                                                               common::Responder r) {
    if (auto s = etcd::DecodeEmptyRequest(req.body); !s.ok()) return SendError(r, s);
    st->Blocking([st, r] { StreamSnapshot(st, r); });
  });

  router.Handle("POST", prefix + "/cluster/member/list", [st](common::HttpRequest&,
                                                              common::Responder r) {
    std::string body = etcd::EncodeHeaderOnly(st->Header(st->store->CurrentRevision()));
    body.pop_back();
    char id[24];
    std::snprintf(id, sizeof id, "%llu", static_cast<unsigned long long>(st->member_id));
    std::string m = ",\"members\":[{\"ID\":\"" + std::string(id) + "\"";
    std::string name;
    if (!st->opts.name.empty()) {
      name = st->opts.name;
      m += ",\"name\":\"" + name + "\"";
    }
    if (!st->opts.advertise_client_urls.empty()) {
      m += ",\"clientURLs\":[";
      for (size_t i = 0; i < st->opts.advertise_client_urls.size(); ++i)
        m += (i ? ",\"" : "\"") + st->opts.advertise_client_urls[i] + "\"";
      m += "]";
    }
    SendJson(r, body + m + "}]}");
  });
}

void AddPlainRoutes(common::Router& router, Server::State* st) {
  router.Handle("GET", "/version", [st](common::HttpRequest&, common::Responder r) {
    auto s = st->store->GetStatus();
    std::string v = s.ok() ? s->version : "3.5.0";
    std::string cluster = v.substr(0, v.rfind('.')) + ".0";
    auto res = common::HttpResponse::Json(
        200, "{\"etcdserver\":\"" + v + "\",\"etcdcluster\":\"" + cluster + "\"}");
    r.Send(std::move(res));
  });
  router.Handle("GET", "/health", [st](common::HttpRequest&, common::Responder r) {
    bool ok = Alarms(*st->store).empty() && !st->stopping;
    auto res = common::HttpResponse::Text(ok ? 200 : 503, ok ? "{\"health\":\"true\"}"
                                                             : "{\"health\":\"false\"}");
    r.Send(std::move(res));
  });
  for (const char* path : {"/healthz", "/readyz", "/livez"}) {
    router.Handle("GET", path, [st](common::HttpRequest&, common::Responder r) {
      r.Send(st->stopping ? common::HttpResponse::Text(503, "shutting down\n")
                          : common::HttpResponse::Text(200, "ok"));
    });
  }
  // The registry is process-wide: one collector, reading whichever server
  // is running (tests start several in one process).
  static std::atomic<Server::State*> current{nullptr};
  current = st;
  static std::once_flag once;
  std::call_once(once, [] {
    auto& reg = common::metrics::Registry::Default();
    auto* rev = &reg.AddGauge("etcd_debugging_mvcc_current_revision",
                              "The current revision of store.").With({});
    auto* size = &reg.AddGauge("etcd_mvcc_db_total_size_in_bytes",
                               "Total size of the underlying database physically allocated in "
                               "bytes.").With({});
    auto* in_use = &reg.AddGauge("etcd_mvcc_db_total_size_in_use_in_bytes",
                                 "Total size of the underlying database logically in use in "
                                 "bytes.").With({});
    reg.AddGauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence.")
        .With({})
        .Set(1);
    reg.AddCollector([rev, size, in_use] {
      Server::State* s = current.load();
      if (!s || s->stopping) return;
      auto status = s->store->GetStatus();
      if (!status.ok()) return;
      rev->Set(static_cast<double>(status->revision));
      size->Set(static_cast<double>(status->db_size));
      in_use->Set(static_cast<double>(status->db_size_in_use));
    });
  });
  router.Handle("GET", "/metrics", [](common::HttpRequest&, common::Responder r) {
    auto res = common::HttpResponse::Text(200, common::metrics::Registry::Default().Expose());
    res.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.Send(std::move(res));
  });
}

}  // namespace kvstore
