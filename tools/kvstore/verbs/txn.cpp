// kvstore txn: reads one transaction as JSON on stdin, in the etcd v3 JSON
// API's TxnRequest format (the body /v3/kv/txn takes), and runs it.
#include <iostream>
#include <iterator>
#include <memory>

#include "../cli.h"
#include "../print.h"
#include "common/cli.h"

namespace kvstore {
namespace {

void SimpleResponses(const common::kv::TxnResponse& r, std::string* out) {
  for (const auto& op : r.responses) {
    if (auto* rr = std::get_if<common::kv::RangeResponse>(&op.op)) {
      for (const auto& kv : rr->kvs) *out += kv.key + "\n" + kv.value + "\n";
    } else if (std::get_if<common::kv::PutResponse>(&op.op)) {
      *out += "OK\n";
    } else if (auto* dr = std::get_if<common::kv::DeleteRangeResponse>(&op.op)) {
      *out += std::to_string(dr->deleted) + "\n";
    } else if (auto* tr = std::get_if<std::shared_ptr<common::kv::TxnResponse>>(&op.op)) {
      if (*tr) {
        *out += (*tr)->succeeded ? "SUCCESS\n" : "FAILURE\n";
        SimpleResponses(**tr, out);
      }
    }
  }
}

int RunTxn(Context& ctx) {
  std::string body((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto req = common::etcd::DecodeTxnRequest(body);
  if (!req.ok()) {
    common::cli::PrintError("bad transaction on stdin: " + req.status().message());
    return common::cli::kExitUsage;
  }
  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  common::etcd::Header h;
  auto r = (*client)->Txn(*req, &h);
  if (!r.ok()) return Fail(r.status());
  if (ctx.json()) return OutJson(TxnJson(h, *r)) ? 0 : 1;
  std::string out = r->succeeded ? "SUCCESS\n" : "FAILURE\n";
  SimpleResponses(*r, &out);
  return Out(out) ? 0 : 1;
}

}  // namespace

void SetupTxn(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand(
      "txn", "run a transaction read as JSON from stdin (etcd's TxnRequest format)");
  sub->callback([&ctx] { ctx.run = [&ctx] { return RunTxn(ctx); }; });
}

}  // namespace kvstore
