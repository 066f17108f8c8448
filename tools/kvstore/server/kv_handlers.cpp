// POST /v3/kv/range|put|deleterange|txn|compaction.
#include "server_internal.h"
#include "validate.h"

namespace kvstore {
namespace {

namespace etcd = common::etcd;
namespace kv = common::kv;

bool TxnWrites(const kv::TxnRequest& t) {
  for (const auto* ops : {&t.success, &t.failure}) {
    for (const auto& op : *ops) {
      if (std::holds_alternative<kv::RangeRequest>(op.op)) continue;
      if (auto* n = std::get_if<std::shared_ptr<kv::TxnRequest>>(&op.op); n && *n && !TxnWrites(**n))
        continue;
      return true;
    }
  }
  return false;
}

}  // namespace

void AddKvRoutes(common::Router& router, const std::string& prefix, Server::State* st) {
  router.Handle("POST", prefix + "/kv/range", [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodeRangeRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    if (auto c = CheckRange(*in); !c.ok()) return SendError(r, c.grpc_code, c.message);
    // Reads never wait for a commit: served on the I/O thread.
    st->Run(false, [st, r, in = std::move(*in)] {
      auto out = st->kv->Range(in);
      if (!out.ok()) return SendError(r, out.status());
      SendJson(r, etcd::EncodeRangeResponse(st->Header(out->revision), *out));
    });
  });

  router.Handle("POST", prefix + "/kv/put", [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodePutRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    if (auto c = CheckPut(*in); !c.ok()) return SendError(r, c.grpc_code, c.message);
    if (RequestBytes(*in) > st->opts.max_request_bytes)
      return SendError(r, 3, kv::kErrRequestTooLarge);
    st->Run(true, [st, r, in = std::move(*in)] {
      auto out = st->kv->Put(in);
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
                  st->Run(true, [st, r, in = std::move(*in)] {
                    auto out = st->kv->DeleteRange(in);
                    if (!out.ok()) return SendError(r, out.status());
                    SendJson(r, etcd::EncodeDeleteRangeResponse(st->Header(out->revision), *out));
                  });
                });

  router.Handle("POST", prefix + "/kv/txn", [st](common::HttpRequest& req, common::Responder r) {
    auto in = etcd::DecodeTxnRequest(req.body);
    if (!in.ok()) return SendError(r, in.status());
    if (auto c = CheckTxn(*in, st->opts.max_txn_ops); !c.ok())
      return SendError(r, c.grpc_code, c.message);
    if (RequestBytes(*in) > st->opts.max_request_bytes)
      return SendError(r, 3, kv::kErrRequestTooLarge);
    const bool writes = TxnWrites(*in);
    st->Run(writes, [st, r, in = std::move(*in)] {
      auto out = st->kv->Txn(in);
      if (!out.ok()) return SendError(r, out.status());
      SendJson(r, etcd::EncodeTxnResponse(st->Header(out->revision), *out));
    });
  });

  router.Handle("POST", prefix + "/kv/compaction",
                [st](common::HttpRequest& req, common::Responder r) {
                  auto in = etcd::DecodeCompactionRequest(req.body);
                  if (!in.ok()) return SendError(r, in.status());
                  st->Run(true, [st, r, in = *in] {
                    auto out = st->kv->Compact(in.revision, in.physical);
                    if (!out.ok()) return SendError(r, out.status());
                    SendJson(r, etcd::EncodeHeaderOnly(st->Header(out->revision)));
                  });
                });
}

}  // namespace kvstore
