// kvstore defrag: gives the space freed by compaction back to the filesystem,
// on every endpoint in turn.
#include "../cli.h"
#include "../print.h"
#include "common/cli.h"

namespace kvstore {
namespace {

int RunDefrag(Context& ctx) {
  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  const auto& eps = (*client)->options().endpoints;
  int rc = 0;
  for (size_t i = 0; i < eps.size(); ++i) {
    common::Status st = (*client)->Defragment(static_cast<int>(i));
    if (!st.ok()) {
      common::cli::PrintError("failed to defragment etcd member[" + eps[i] + "] (" +
                              st.message() + ")");
      rc = st.code() == common::Code::kUnreachable && rc != 1 ? common::cli::kExitUnreachable
                                                               : common::cli::kExitFailed;
      continue;
    }
    Out("Finished defragmenting etcd member[" + eps[i] + "]\n");
  }
  return rc;
}

}  // namespace

void SetupDefrag(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand("defrag", "return free space in the database file to the OS");
  sub->callback([&ctx] { ctx.run = [&ctx] { return RunDefrag(ctx); }; });
}

}  // namespace kvstore
