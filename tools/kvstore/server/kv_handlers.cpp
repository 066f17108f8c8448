// POST /v3/kv/range|put|deleterange|txn|compaction.
//
// Requests are decoded and checked on the I/O thread. Reads are answered
// there too (the engine's reads never wait for a commit); writes are handed
// to the engine's asynchronous queue and answered from its committer thread
// once durable, so a write in flight costs no thread.
#include "server_internal.h"
#include "validate.h"

namespace kvstore {
namespace {

namespace etcd = common::etcd;
namespace kv = common::kv;

}  // namespace

void AddKvRoutes(common::Router& router, const std::string& prefix, Server::State* st) {
  router.Handle("POST", prefix + "/kv/range", [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodeRangeRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    if (auto c = CheckRange(*in); !c.ok()) return SendError(r, c.grpc_code, c.message);
    auto out = st->store->Range(*in);
    if (!out.ok()) return SendError(r, out.status());
    SendJson(r, etcd::EncodeRangeResponse(st->Header(out->revision), *out));
  });

  router.Handle("POST", prefix + "/kv/put", [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodePutRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    if (auto c = CheckPut(*in); !c.ok()) return SendError(r, c.grpc_code, c.message);
    if (RequestBytes(*in) > st->opts.max_request_bytes)
      return SendError(r, 3, kv::kErrRequestTooLarge);
    st->store->PutAsync(std::move(*in), [st, r](const common::Result<kv::PutResponse>& out) {
      if (!out.ok()) return SendError(r, out.status());
      SendJson(r, etcd::EncodePutResponse(st->Header(out->revision), *out));
    });
  });

  router.Handle("POST", prefix + "/kv/deleterange",
                [st](common::HttpRequest& req, common::Responder r) {
                  auto in = etcd::DecodeDeleteRangeRequest(req.body);
                  if (!in.ok()) return SendError(r, in.status());
                  if (auto c = CheckDelete(*in); !c.ok())
                    return SendError(r, c.grpc_code, c.message);
                  st->store->DeleteRangeAsync(
                      std::move(*in), [st, r](const common::Result<kv::DeleteRangeResponse>& out) {
                        if (!out.ok()) return SendError(r, out.status());
                        SendJson(r, etcd::EncodeDeleteRangeResponse(st->Header(out->revision),
                                                                     *out));
                      });
                });

  router.Handle("POST", prefix + "/kv/txn", [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodeTxnRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    if (auto c = CheckTxn(*in, st->opts.max_txn_ops); !c.ok())
      return SendError(r, c.grpc_code, c.message);
    if (RequestBytes(*in) > st->opts.max_request_bytes)
      return SendError(r, 3, kv::kErrRequestTooLarge);
    // A txn of ranges only is answered at once, on this thread.
    st->store->TxnAsync(std::move(*in), [st, r](const common::Result<kv::TxnResponse>& out) {
      if (!out.ok()) return SendError(r, out.status());
      SendJson(r, etcd::EncodeTxnResponse(st->Header(out->revision), *out));
    });
  });

  router.Handle("POST", prefix + "/kv/compaction",
                [st](common::HttpRequest& req, common::Responder r) {
                  auto in = etcd::DecodeCompactionRequest(req.body);
                  if (!in.ok()) return SendError(r, in.status());
                  st->Blocking([st, r, in = *in] {
                    auto out = st->store->Compact(in.revision, in.physical);
                    if (!out.ok()) return SendError(r, out.status());
                    SendJson(r, etcd::EncodeHeaderOnly(st->Header(out->revision)));
                  });
                });
}

}  // namespace kvstore
