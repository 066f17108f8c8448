// The request checks etcd makes before a request reaches its store
// (etcdserver/api/v3rpc/key.go: checkRangeRequest, checkPutRequest,
// checkTxnRequest, checkIntervals), with etcd's messages and gRPC codes.
#pragma once

#include <cstdint>
#include <string>

#include "common/kv.h"

namespace kvstore {

struct CheckResult {
  int grpc_code = 0;  // 0 = OK
  std::string message;
  bool ok() const { return grpc_code == 0; }
};

CheckResult CheckRange(const common::kv::RangeRequest& r);
CheckResult CheckPut(const common::kv::PutRequest& r);
CheckResult CheckDelete(const common::kv::DeleteRangeRequest& r);
// Op counts against `max_ops`, empty keys, and puts/deletes touching the same
// key within one txn level (nested txns included, then/else may overlap).
CheckResult CheckTxn(const common::kv::TxnRequest& r, int64_t max_ops);

// The size etcd compares with --max-request-bytes: the request's protobuf
// encoding, estimated from its byte fields plus per-field overhead.
int64_t RequestBytes(const common::kv::PutRequest& r);
int64_t RequestBytes(const common::kv::TxnRequest& r);

}  // namespace kvstore
