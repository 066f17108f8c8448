// Output helpers shared by the client verbs: etcdctl's JSON shapes (64-bit
// integers as JSON numbers, zero fields omitted, bytes in base64) and the
// escaping of one-line records.
#pragma once

#include <string>
#include <string_view>

#include "common/etcd_json.h"
#include "common/json.h"
#include "common/kv.h"

namespace kvstore {

common::Json HeaderJson(const common::etcd::Header& h);
common::Json KvJson(const common::kv::KeyValue& kv);
common::Json RangeJson(const common::etcd::Header& h, const common::kv::RangeResponse& r);
common::Json TxnJson(const common::etcd::Header& h, const common::kv::TxnResponse& r);
common::Json EventJson(const common::kv::Event& ev);

// Writes `data` to stdout and flushes; false once stdout is gone (EPIPE).
bool Out(std::string_view data);
// One compact JSON document and a newline.
bool OutJson(const common::Json& j);

// C-style escaping of backslash, control bytes (\n, \t, \xHH) and, when
// `space` is set, spaces, so a record stays on one line and splits on spaces.
std::string EscapeField(std::string_view s, bool space);

// A lease ID as etcdctl prints it (hex), and its parser (hex, as etcdctl takes it).
std::string LeaseHex(int64_t id);
bool ParseLeaseId(const std::string& text, int64_t* id);

}  // namespace kvstore
