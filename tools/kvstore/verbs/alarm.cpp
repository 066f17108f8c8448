// kvstore alarm list|disarm: the NOSPACE alarm a full database raises.
#include "../cli.h"
#include "../print.h"
#include "common/cli.h"

namespace kvstore {
namespace {

int Print(Context& ctx, const std::vector<common::etcd::AlarmMember>& alarms) {
  if (ctx.json()) {
    common::Json a = common::Json::array();
    for (const auto& m : alarms)
      a.push_back(common::Json{{"memberID", m.member_id},
                               {"alarm", std::string(common::etcd::AlarmName(m.alarm))}});
    common::Json j = common::Json::object();
    j["alarms"] = std::move(a);
    return OutJson(j) ? 0 : 1;
  }
  std::string out;
  for (const auto& m : alarms)
    out += "memberID:" + std::to_string(m.member_id) + " alarm:" +
           std::string(common::etcd::AlarmName(m.alarm)) + "\n";
  return Out(out) ? 0 : 1;
}

int Run(Context& ctx, bool disarm) {
  auto client = ctx.Client();
  if (!client.ok()) return (common::cli::PrintError(client.status().message()), common::cli::kExitUsage);
  auto r = disarm ? (*client)->AlarmDisarm() : (*client)->AlarmList();
  if (!r.ok()) return Fail(r.status());
  return Print(ctx, *r);
}

}  // namespace

void SetupAlarm(CLI::App& app, Context& ctx) {
  CLI::App* sub = app.add_subcommand("alarm", "list or disarm alarms (NOSPACE)");
  sub->require_subcommand(1);
  sub->add_subcommand("list", "list the raised alarms")->callback([&ctx] {
    ctx.run = [&ctx] { return Run(ctx, false); };
  });
  sub->add_subcommand("disarm", "disarm every alarm")->callback([&ctx] {
    ctx.run = [&ctx] { return Run(ctx, true); };
  });
}

}  // namespace kvstore
