// kvstore get KEY [RANGE_END]: reads a key, a range or a prefix.
#include <memory>

#include "../cli.h"
#include "../print.h"
#include "common/cli.h"

namespace kvstore {
namespace {

struct GetOptions {
  std::string key;
  std::string range_end;
  bool prefix = false;
  bool from_key = false;
  int64_t rev = 0;
  int64_t limit = 0;
  bool keys_only = false;
  bool print_value_only = false;
  bool count_only = false;
  std::string order;
  std::string sort_by;
};

int RunGet(Context& ctx, const GetOptions& o) {
  common::kv::RangeRequest req;
  req.key = o.key;
  req.range_end = o.range_end;
  if (o.prefix) req.range_end = common::kv::PrefixEnd(o.key);
  if (o.from_key) req.range_end = std::string(1, '\0');
  req.revision = o.rev;
  req.limit = o.limit;
  req.keys_only = o.keys_only;
  req.count_only = o.count_only;
  if (o.order == "ASCEND") req.sort_order = common::kv::SortOrder::kAscend;
  if (o.order == "DESCEND") req.sort_order = common::kv::SortOrder::kDescend;
  const std::pair<const char*, common::kv::SortTarget> targets[] = {
      {"KEY", common::kv::SortTarget::kKey},       {"VERSION", common::kv::SortTarget::kVersion},
      {"CREATE", common::kv::SortTarget::kCreate}, {"MODIFY", common::kv::SortTarget::kMod},
      {"VALUE", common::kv::SortTarget::kValue}};
  for (auto& [name, t] : targets)
    if (o.sort_by == name) req.sort_target = t;
  // etcdctl sorts ascending when only a target is given.
  if (!o.sort_by.empty() && o.order.empty()) req.sort_order = common::kv::SortOrder::kAscend;

  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  common::etcd::Header h;
  auto r = (*client)->Range(req, &h);
  if (!r.ok()) return Fail(r.status());
  if (ctx.json()) return OutJson(RangeJson(h, *r)) ? 0 : 1;
  if (o.count_only) return Out(std::to_string(r->count) + "\n") ? 0 : 1;
  std::string out;
  for (const auto& kv : r->kvs) {
    if (!o.print_value_only) out += kv.key + "\n";
    if (!o.keys_only) out += kv.value + "\n";
  }
  return Out(out) ? 0 : 1;
}

}  // namespace

void SetupGet(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<GetOptions>();
  CLI::App* sub = app.add_subcommand("get", "get a key, the keys in [KEY, RANGE_END), or a prefix");
  sub->add_option("key", o->key, "the key")->required();
  sub->add_option("range_end", o->range_end, "end of the range (exclusive)");
  sub->add_flag("--prefix", o->prefix, "get every key starting with KEY");
  sub->add_flag("--from-key", o->from_key, "get every key >= KEY");
  sub->add_option("--rev", o->rev, "read at this revision (0 = latest)");
  sub->add_option("--limit", o->limit, "return at most this many keys");
  sub->add_flag("--keys-only", o->keys_only, "print keys only");
  sub->add_flag("--print-value-only", o->print_value_only, "print values only");
  sub->add_flag("--count-only", o->count_only, "print only the number of keys");
  sub->add_option("--order", o->order, "ASCEND or DESCEND")
      ->check(CLI::IsMember({"ASCEND", "DESCEND"}));
  sub->add_option("--sort-by", o->sort_by, "KEY, VERSION, CREATE, MODIFY or VALUE")
      ->check(CLI::IsMember({"KEY", "VERSION", "CREATE", "MODIFY", "VALUE"}));
  sub->callback([&ctx, o] {
    if (o->prefix && (!o->range_end.empty() || o->from_key))
      throw CLI::ValidationError("--prefix", "cannot be combined with RANGE_END or --from-key");
    ctx.run = [&ctx, o] { return RunGet(ctx, *o); };
  });
}

}  // namespace kvstore
