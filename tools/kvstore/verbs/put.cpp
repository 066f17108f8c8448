// kvstore put KEY VALUE: writes a key ("-" reads the value from stdin).
#include <iostream>
#include <iterator>
#include <memory>

#include "../cli.h"
#include "../print.h"
#include "common/cli.h"

namespace kvstore {
namespace {

struct PutOptions {
  std::string key;
  std::string value;
  std::string lease;
  bool prev_kv = false;
  bool ignore_value = false;
  bool ignore_lease = false;
};

int RunPut(Context& ctx, const PutOptions& o) {
  common::kv::PutRequest req;
  req.key = o.key;
  req.value = o.value;
  if (o.value == "-") {
    req.value.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  if (!o.lease.empty() && !ParseLeaseId(o.lease, &req.lease)) {
    common::cli::PrintError("bad lease ID '" + o.lease + "' (hexadecimal expected)");
    return common::cli::kExitUsage;
  }
  req.prev_kv = o.prev_kv;
  req.ignore_value = o.ignore_value;
  req.ignore_lease = o.ignore_lease;
  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  common::etcd::Header h;
  auto r = (*client)->Put(req, &h);
  if (!r.ok()) return Fail(r.status());
  if (ctx.json()) {
    common::Json j = common::Json::object();
    j["header"] = HeaderJson(h);
    if (r->prev_kv) j["prev_kv"] = KvJson(*r->prev_kv);
    return OutJson(j) ? 0 : 1;
  }
  std::string out = "OK\n";
  if (r->prev_kv) out += r->prev_kv->key + "\n" + r->prev_kv->value + "\n";
  return Out(out) ? 0 : 1;
}

}  // namespace

void SetupPut(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<PutOptions>();
  CLI::App* sub = app.add_subcommand("put", "write KEY with VALUE ('-' reads the value from stdin)");
  sub->add_option("key", o->key, "the key")->required();
  sub->add_option("value", o->value, "the value, or - for stdin");
  sub->add_option("--lease", o->lease, "attach the key to this lease (hex ID)");
  sub->add_flag("--prev-kv", o->prev_kv, "print the previous key-value");
  sub->add_flag("--ignore-value", o->ignore_value, "keep the current value");
  sub->add_flag("--ignore-lease", o->ignore_lease, "keep the current lease");
  sub->callback([&ctx, o, sub] {
    if (sub->count("value") == 0 && !o->ignore_value)
      throw CLI::ValidationError("VALUE", "put needs a VALUE (or - to read it from stdin)");
    ctx.run = [&ctx, o] { return RunPut(ctx, *o); };
  });
}

}  // namespace kvstore
