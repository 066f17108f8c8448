#include "shim_spec.h"

#include "common/file.h"
#include "common/strings.h"

namespace nodeagent {

using common::Json;

Json ShimSpec::ToJson() const {
  Json j = Json::object();
  j["id"] = id;
  j["args"] = args;
  j["env"] = env;
  j["cwd"] = cwd;
  j["rootfs"] = rootfs;
  Json ms = Json::array();
  for (const auto& m : mounts)
    ms.push_back({{"source", m.source}, {"target", m.target}, {"readOnly", m.read_only},
                  {"tmpfs", m.tmpfs}, {"options", m.options}});
  j["mounts"] = ms;
  j["hostname"] = hostname;
  j["netns"] = netns;
  j["cgroupProcs"] = cgroup_procs;
  j["cgroupMemoryDirs"] = cgroup_memory_dirs;
  j["oomScoreAdj"] = oom_score_adj;
  if (uid) j["uid"] = *uid;
  if (gid) j["gid"] = *gid;
  j["logPath"] = log_path;
  j["logMaxSize"] = log_max_size;
  j["logMaxFiles"] = log_max_files;
  j["stateDir"] = state_dir;
  return j;
}

common::Result<ShimSpec> ShimSpec::FromJson(const Json& j) {
  if (!j.is_object()) return common::Status::BadRequest("shim spec is not an object");
  ShimSpec s;
  s.id = common::GetString(j, "id");
  for (const auto& a : common::Get(j, "args")) s.args.push_back(a.get<std::string>());
  for (const auto& e : common::Get(j, "env")) s.env.push_back(e.get<std::string>());
  s.cwd = common::GetString(j, "cwd", "/");
  s.rootfs = common::GetString(j, "rootfs");
  for (const auto& m : common::Get(j, "mounts")) {
    MountSpec ms;
    ms.source = common::GetString(m, "source");
    ms.target = common::GetString(m, "target");
    ms.read_only = common::GetBool(m, "readOnly");
    ms.tmpfs = common::GetBool(m, "tmpfs");
    ms.options = common::GetString(m, "options");
    s.mounts.push_back(std::move(ms));
  }
  s.hostname = common::GetString(j, "hostname");
  s.netns = common::GetString(j, "netns");
  for (const auto& p : common::Get(j, "cgroupProcs")) s.cgroup_procs.push_back(p.get<std::string>());
  for (const auto& p : common::Get(j, "cgroupMemoryDirs"))
    s.cgroup_memory_dirs.push_back(p.get<std::string>());
  s.oom_score_adj = static_cast<int>(common::GetInt(j, "oomScoreAdj"));
  if (common::Get(j, "uid").is_number_integer()) s.uid = common::GetInt(j, "uid");
  if (common::Get(j, "gid").is_number_integer()) s.gid = common::GetInt(j, "gid");
  s.log_path = common::GetString(j, "logPath");
  s.log_max_size = common::GetInt(j, "logMaxSize", 10 << 20);
  s.log_max_files = static_cast<int>(common::GetInt(j, "logMaxFiles", 5));
  s.state_dir = common::GetString(j, "stateDir");
  if (s.args.empty()) return common::Status::BadRequest("no command specified");
  return s;
}

Json ShimStateToJson(const ShimState& s) {
  return Json{{"pid", s.pid},
              {"pidStartTime", s.pid_start_time},
              {"shimPid", s.shim_pid},
              {"shimStartTime", s.shim_start_time},
              {"startedAt", s.started_at}};
}

ShimState ShimStateFromJson(const Json& j) {
  ShimState s;
  s.pid = static_cast<int>(common::GetInt(j, "pid"));
  s.pid_start_time = static_cast<uint64_t>(common::GetInt(j, "pidStartTime"));
  s.shim_pid = static_cast<int>(common::GetInt(j, "shimPid"));
  s.shim_start_time = static_cast<uint64_t>(common::GetInt(j, "shimStartTime"));
  s.started_at = common::GetString(j, "startedAt");
  return s;
}

Json ShimExitToJson(const ShimExit& e) {
  return Json{{"exitCode", e.exit_code}, {"signal", e.signal},     {"reason", e.reason},
              {"message", e.message},    {"startedAt", e.started_at}, {"finishedAt", e.finished_at}};
}

ShimExit ShimExitFromJson(const Json& j) {
  ShimExit e;
  e.exit_code = static_cast<int>(common::GetInt(j, "exitCode"));
  e.signal = static_cast<int>(common::GetInt(j, "signal"));
  e.reason = common::GetString(j, "reason");
  e.message = common::GetString(j, "message");
  e.started_at = common::GetString(j, "startedAt");
  e.finished_at = common::GetString(j, "finishedAt");
  return e;
}

uint64_t ProcessStartTime(int pid) {
  if (pid <= 0) return 0;
  auto stat = common::ReadFile("/proc/" + std::to_string(pid) + "/stat");
  if (!stat.ok()) return 0;
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  auto close = stat->rfind(')');
  if (close == std::string::npos) return 0;
  auto fields = common::Split(std::string_view(*stat).substr(close + 2), ' ');
  // After ")" come fields 3.. ; starttime is field 22, index 19 here.
  if (fields.size() < 20) return 0;
  return common::ParseUint64(fields[19]).value_or(0);
}

}  // namespace nodeagent
