// POST /v3/lease/grant|revoke|keepalive|timetolive|leases (and the
// /v3/kv/lease/* aliases etcd keeps for revoke, timetolive and leases).
#include <optional>

#include "server_internal.h"

namespace kvstore {
namespace {

namespace etcd = common::etcd;

// etcd's MaxLeaseTTL (lease/lessor.go).
constexpr int64_t kMaxLeaseTtl = 9000000000;

// One /v3/lease/keepalive stream; runs on the connection's I/O thread.
class KeepAliveSession {
 public:
  KeepAliveSession(Server::State* st, common::Responder r) : st_(st), responder_(std::move(r)) {}

  void OnBody(std::string_view data, bool end, bool ok) {
    if (done_) return;
    if (!end) {
      in_.Append(data);
    } else {
      in_.Finish();
      if (!ok) return Stop();
    }
    etcd::LeaseIdRequest one;
    while (in_.NextLeaseId(&one)) {
      if (!stream_) {
        stream_ = responder_->Stream(200, JsonHeaders());
        responder_.reset();
        if (!stream_) return Stop();
        st_->TrackStream(stream_);
      }
      // A keepalive only touches the lease table in memory: answered inline.
      auto ttl = st_->store->LeaseKeepAlive(one.id);
      if (!ttl.ok()) {
        stream_->Write(etcd::EncodeStreamError(common::kv::GrpcCode(ttl.status()),
                                               ttl.status().message()));
        return Stop();
      }
      stream_->Write(etcd::StreamLine(etcd::EncodeLeaseKeepAliveResponse(
          st_->Header(st_->store->CurrentRevision()), one.id, *ttl)));
    }
    if (!in_.error().ok()) {
      // As the gateway: a malformed first message fails the call, a later one
      // ends the reading of the body.
      if (!stream_) {
        SendError(*responder_, 2, in_.error().message());
        responder_.reset();
      }
      done_ = true;
    } else if (in_.waiting() && in_.buffered() > (1u << 20)) {
      if (!stream_) SendError(*responder_, 8, common::kv::kErrRequestTooLarge);
      Stop();
    }
  }

 private:
  void Stop() {
    done_ = true;
    if (stream_) stream_->Close();
    responder_.reset();
  }

  Server::State* st_;
  std::optional<common::Responder> responder_;
  std::shared_ptr<common::HttpStream> stream_;
  etcd::RequestStream in_;
  bool done_ = false;
};

}  // namespace

void AddLeaseRoutes(common::Router& router, const std::string& prefix, Server::State* st) {
  router.Handle("POST", prefix + "/lease/grant", [st](common::HttpRequest& req,
                                                      common::Responder r) {
    auto in = etcd::DecodeLeaseGrantRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    if (in->ttl > kMaxLeaseTtl) return SendError(r, 11, "etcdserver: too large lease TTL");
    st->Blocking([st, r, in = *in] {
      auto out = st->store->LeaseGrant(in.ttl, in.id);
      if (!out.ok()) return SendError(r, out.status());
      SendJson(r, etcd::EncodeLeaseGrantResponse(st->Header(out->revision), *out));
    });
  });

  auto revoke = [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodeLeaseIdRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    st->Blocking([st, r, id = in->id] {
      common::Status s = st->store->LeaseRevoke(id);
      if (!s.ok()) return SendError(r, s);
      SendJson(r, etcd::EncodeHeaderOnly(st->Header(st->store->CurrentRevision())));
    });
  };
  router.Handle("POST", prefix + "/lease/revoke", revoke);
  router.Handle("POST", prefix + "/kv/lease/revoke", revoke);

  auto ttl = [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodeLeaseTimeToLiveRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    auto out = st->store->LeaseTimeToLive(in->id, in->keys);
    if (!out.ok()) return SendError(r, out.status());
    out->id = in->id;  // etcd echoes the ID even for an unknown lease
    if (out->revision == 0) out->revision = st->store->CurrentRevision();
    SendJson(r, etcd::EncodeLeaseTimeToLiveResponse(st->Header(out->revision), *out));
  };
  router.Handle("POST", prefix + "/lease/timetolive", ttl);
  router.Handle("POST", prefix + "/kv/lease/timetolive", ttl);

  auto leases = [st](common::HttpRequest& req, common::Responder r) {
    if (auto s = etcd::DecodeEmptyRequest(req.body); !s.ok()) return SendError(r, s);
    auto out = st->store->LeaseList();
    if (!out.ok()) return SendError(r, out.status());
    SendJson(r, etcd::EncodeLeaseLeasesResponse(st->Header(st->store->CurrentRevision()), *out));
  };
  router.Handle("POST", prefix + "/lease/leases", leases);
  router.Handle("POST", prefix + "/kv/lease/leases", leases);

  // A bidirectional stream: one reply per request as it arrives on the body;
  // it stays open until the client hangs up, as etcd's does.
  router.Handle("POST", prefix + "/lease/keepalive", [st](common::HttpRequest& req,
                                                          common::Responder r) {
    auto session = std::make_shared<KeepAliveSession>(st, r);
    if (!req.body_reader) {
      session->OnBody(req.body, false, true);
      return session->OnBody({}, true, true);
    }
    req.body_reader->Read([session](std::string_view data, bool end, bool ok) {
      session->OnBody(data, end, ok);
    });
  });
}

}  // namespace kvstore
