// POST /v3/lease/grant|revoke|keepalive|timetolive|leases (and the
// /v3/kv/lease/* aliases etcd keeps for revoke, timetolive and leases).
#include "server_internal.h"

namespace kvstore {
namespace {

namespace etcd = common::etcd;

// etcd's MaxLeaseTTL (lease/lessor.go).
constexpr int64_t kMaxLeaseTtl = 9000000000;

}  // namespace

void AddLeaseRoutes(common::Router& router, const std::string& prefix, Server::State* st) {
  router.Handle("POST", prefix + "/lease/grant", [st](common::HttpRequest& req,
                                                      common::Responder r) {
    auto in = etcd::DecodeLeaseGrantRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    if (in->ttl > kMaxLeaseTtl) return SendError(r, 11, "etcdserver: too large lease TTL");
    st->Run(true, [st, r, in = *in] {
      auto out = st->kv->LeaseGrant(in.ttl, in.id);
      if (!out.ok()) return SendError(r, out.status());
      SendJson(r, etcd::EncodeLeaseGrantResponse(st->Header(out->revision), *out));
    });
  });

  auto revoke = [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodeLeaseIdRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    st->Run(true, [st, r, id = in->id] {
      common::Status s = st->kv->LeaseRevoke(id);
      if (!s.ok()) return SendError(r, s);
      SendJson(r, etcd::EncodeHeaderOnly(st->Header(st->backend->CurrentRevision())));
    });
  };
  router.Handle("POST", prefix + "/lease/revoke", revoke);
  router.Handle("POST", prefix + "/kv/lease/revoke", revoke);

  auto ttl = [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodeLeaseTimeToLiveRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    st->Run(false, [st, r, in = *in] {
      auto out = st->kv->LeaseTimeToLive(in.id, in.keys);
      if (!out.ok()) return SendError(r, out.status());
      out->id = in.id;  // etcd echoes the ID even for an unknown lease
      if (out->revision == 0) out->revision = st->backend->CurrentRevision();
      SendJson(r, etcd::EncodeLeaseTimeToLiveResponse(st->Header(out->revision), *out));
    });
  };
  router.Handle("POST", prefix + "/lease/timetolive", ttl);
  router.Handle("POST", prefix + "/kv/lease/timetolive", ttl);

  auto leases = [st](common::HttpRequest& req, common::Responder r) {
    if (auto s = etcd::DecodeEmptyRequest(req.body); !s.ok()) return SendError(r, s);
    st->Run(false, [st, r] {
      auto out = st->kv->LeaseList();
      if (!out.ok()) return SendError(r, out.status());
      SendJson(r, etcd::EncodeLeaseLeasesResponse(st->Header(st->backend->CurrentRevision()),
                                                   *out));
    });
  };
  router.Handle("POST", prefix + "/lease/leases", leases);
  router.Handle("POST", prefix + "/kv/lease/leases", leases);

  // A stream: one reply per request in the body; it stays open until the
  // client hangs up, as etcd's does.
  router.Handle("POST", prefix + "/lease/keepalive", [st](common::HttpRequest& req,
                                                          common::Responder r) {
    std::vector<int64_t> ids;
    etcd::RequestStream in(req.body);
    etcd::LeaseIdRequest one;
    while (in.NextLeaseId(&one)) ids.push_back(one.id);
    if (!in.error().ok() && ids.empty()) return SendError(r, 2, in.error().message());
    st->Run(true, [st, r, ids = std::move(ids)] {
      auto stream = r.Stream(200, JsonHeaders());
      if (!stream) return;
      st->TrackStream(stream);
      for (int64_t id : ids) {
        auto ttl = st->kv->LeaseKeepAlive(id);
        if (!ttl.ok()) {
          stream->Write(etcd::EncodeStreamError(common::kv::GrpcCode(ttl.status()),
                                                ttl.status().message()));
          stream->Close();
          return;
        }
        stream->Write(etcd::StreamLine(etcd::EncodeLeaseKeepAliveResponse(
            st->Header(st->backend->CurrentRevision()), id, *ttl)));
      }
    });
  });
}

}  // namespace kvstore
