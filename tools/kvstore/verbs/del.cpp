// kvstore del KEY [RANGE_END]: deletes a key, a range or a prefix.
#include <memory>

#include "../cli.h"
#include "../print.h"
#include "common/cli.h"

namespace kvstore {
namespace {

struct DelOptions {
  std::string key;
  std::string range_end;
  bool prefix = false;
  bool from_key = false;
  bool prev_kv = false;
};

int RunDel(Context& ctx, const DelOptions& o) {
  common::kv::DeleteRangeRequest req;
  req.key = o.key;
  req.range_end = o.range_end;
  if (o.prefix) req.range_end = common::kv::PrefixEnd(o.key);
  if (o.from_key) req.range_end = std::string(1, '\0');
  req.prev_kv = o.prev_kv;
  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  common::etcd::Header h;
  auto r = (*client)->DeleteRange(req, &h);
  if (!r.ok()) return Fail(r.status());
  if (ctx.json()) {
    common::Json j = common::Json::object();
    j["header"] = HeaderJson(h);
    if (r->deleted) j["deleted"] = r->deleted;
    if (!r->prev_kvs.empty()) {
      common::Json kvs = common::Json::array();
      for (const auto& kv : r->prev_kvs) kvs.push_back(KvJson(kv));
      j["prev_kvs"] = std::move(kvs);
    }
    return OutJson(j) ? 0 : 1;
  }
  std::string out = std::to_string(r->deleted) + "\n";
  for (const auto& kv : r->prev_kvs) out += kv.key + "\n" + kv.value + "\n";
  return Out(out) ? 0 : 1;
}

}  // namespace

void SetupDel(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DelOptions>();
  CLI::App* sub = app.add_subcommand("del", "delete a key, the keys in [KEY, RANGE_END), or a prefix");
  sub->add_option("key", o->key, "the key")->required();
  sub->add_option("range_end", o->range_end, "end of the range (exclusive)");
  sub->add_flag("--prefix", o->prefix, "delete every key starting with KEY");
  sub->add_flag("--from-key", o->from_key, "delete every key >= KEY");
  sub->add_flag("--prev-kv", o->prev_kv, "print the deleted key-values");
  sub->callback([&ctx, o] {
    if (o->prefix && (!o->range_end.empty() || o->from_key))
      throw CLI::ValidationError("--prefix", "cannot be combined with RANGE_END or --from-key");
    ctx.run = [&ctx, o] { return RunDel(ctx, *o); };
  });
}

}  // namespace kvstore
