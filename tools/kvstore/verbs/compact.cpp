// kvstore compact REV: discards the history before revision REV.
#include <memory>

#include "../cli.h"
#include "../print.h"
#include "common/cli.h"

namespace kvstore {
namespace {

struct CompactOptions {
  int64_t rev = 0;
  bool physical = false;
};

int RunCompact(Context& ctx, const CompactOptions& o) {
  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  auto r = (*client)->Compact(o.rev, o.physical);
  if (!r.ok()) return Fail(r.status());
  if (ctx.json()) {
    common::etcd::Header h;
    h.revision = r->revision;
    common::Json j = common::Json::object();
    j["header"] = HeaderJson(h);
    return OutJson(j) ? 0 : 1;
  }
  return Out("compacted revision " + std::to_string(o.rev) + "\n") ? 0 : 1;
}

}  // namespace

void SetupCompact(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CompactOptions>();
  CLI::App* sub = app.add_subcommand("compact", "discard the key history before revision REV");
  sub->add_option("revision", o->rev, "the revision to compact to")->required();
  sub->add_flag("--physical", o->physical, "return only when the space is reclaimed");
  sub->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunCompact(ctx, *o); }; });
}

}  // namespace kvstore
