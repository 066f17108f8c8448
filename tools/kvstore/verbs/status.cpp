// kvstore status: one line per endpoint, as etcdctl endpoint status prints it.
#include <memory>

#include "../cli.h"
#include "../print.h"
#include "common/cli.h"

namespace kvstore {
namespace {

std::string HumanBytes(int64_t n) {
  // etcdctl uses go-humanize (SI units): "20 kB", "1.2 MB".
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  if (u == 0 || v >= 10) {
    std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  }
  return buf;
}

int RunStatus(Context& ctx) {
  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  const auto& eps = (*client)->options().endpoints;
  common::Json all = common::Json::array();
  std::string out;
  common::Status failed;
  for (size_t i = 0; i < eps.size(); ++i) {
    common::etcd::Header h;
    auto s = (*client)->MemberStatus(static_cast<int>(i), &h);
    if (!s.ok()) {
      common::cli::PrintError("endpoint " + eps[i] + ": " + s.status().message());
      failed = s.status();
      continue;
    }
    if (ctx.json()) {
      common::Json st = common::Json::object();
      st["header"] = HeaderJson(h);
      st["version"] = s->version;
      st["dbSize"] = s->db_size;
      st["leader"] = s->leader;
      st["raftIndex"] = s->raft_index;
      st["raftTerm"] = s->raft_term;
      st["raftAppliedIndex"] = s->raft_applied_index;
      if (!s->errors.empty()) st["errors"] = s->errors;
      st["dbSizeInUse"] = s->db_size_in_use;
      all.push_back(common::Json{{"Endpoint", eps[i]}, {"Status", std::move(st)}});
      continue;
    }
    char id[24];
    std::snprintf(id, sizeof id, "%llx", static_cast<unsigned long long>(h.member_id));
    out += eps[i] + ", " + id + ", " + s->version + ", " + HumanBytes(s->db_size) + ", " +
           (s->leader == h.member_id ? "true" : "false") + ", false, " +
           std::to_string(s->raft_term) + ", " + std::to_string(s->raft_index) + ", " +
           std::to_string(s->raft_applied_index) + ", " + std::to_string(h.revision) + "\n";
  }
  bool ok = ctx.json() ? OutJson(all) : Out(out);
  if (!failed.ok()) return failed.code() == common::Code::kUnreachable && out.empty() && all.empty()
                              ? common::cli::kExitUnreachable
                              : common::cli::kExitFailed;
  return ok ? 0 : 1;
}

}  // namespace

void SetupStatus(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand(
      "status", "print each endpoint's status: id, version, db size, leader, raft, revision");
  sub->callback([&ctx] { ctx.run = [&ctx] { return RunStatus(ctx); }; });
}

}  // namespace kvstore
