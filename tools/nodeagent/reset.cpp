#include "reset.h"

#include <dirent.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>

#include "cgroups.h"
#include "common/cli.h"
#include "common/file.h"
#include "common/json.h"
#include "common/log.h"
#include "netlink.h"
#include "network.h"
#include "shim_spec.h"

namespace nodeagent {

namespace {
std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (struct dirent* e = readdir(d))
    if (e->d_name[0] != '.') out.push_back(e->d_name);
  closedir(d);
  return out;
}
}  // namespace

void AddResetFlags(CLI::App& cmd, ResetOptions& o) {
  cmd.add_option("--root-dir", o.root_dir, "the state directory to clear")->capture_default_str();
  cmd.add_option("--cgroup-root", o.cgroup_root, "the --cgroup-root the node used")->capture_default_str();
  cmd.add_option("--pod-bridge", o.pod_bridge, "a bridge to delete as well");
}

int RunReset(const ResetOptions& o) {
  auto layout = DetectSystemCgroups(o.cgroup_root);
  std::unique_ptr<CgroupManager> cg;
  if (layout.ok()) cg = std::make_unique<CgroupManager>(*layout);
  PodNetwork net(NetworkOptions{});
  int failures = 0;
  std::string pods = o.root_dir + "/pods";
  for (const auto& uid : Entries(pods)) {
    // Containers first, by their recorded pids (works without cgroups too).
    std::string cdir = pods + "/" + uid + "/containers";
    for (const auto& name : Entries(cdir))
      for (const auto& attempt : Entries(cdir + "/" + name)) {
        auto text = common::ReadFile(cdir + "/" + name + "/" + attempt + "/state.json");
        if (!text.ok()) continue;
        auto j = common::ParseJson(*text);
        if (!j.ok()) continue;
        ShimState s = ShimStateFromJson(*j);
        for (auto [pid, start] : {std::pair{s.pid, s.pid_start_time}, std::pair{s.shim_pid, s.shim_start_time}})
          if (pid > 0 && ProcessStartTime(pid) == start) kill(pid, SIGKILL);
      }
    if (auto text = common::ReadFile(pods + "/" + uid + "/sandbox.json"); text.ok())
      if (auto j = common::ParseJson(*text); j.ok()) {
        std::string cgroup = common::GetString(*j, "cgroup");
        if (cg && !cgroup.empty())
          if (auto st = cg->Destroy(cgroup); !st.ok()) {
            common::cli::PrintError(st.message());
            ++failures;
          }
      }
    net.Teardown(uid);
    // Memory-backed emptyDirs are mounts.
    std::string vdir = pods + "/" + uid + "/volumes/kubernetes.io~empty-dir";
    for (const auto& v : Entries(vdir)) umount2((vdir + "/" + v).c_str(), MNT_DETACH);
  }
  if (cg)
    if (auto st = cg->Destroy("kubepods"); !st.ok()) {
      common::cli::PrintError(st.message());
      ++failures;
    }
  // A dedicated cgroup root goes too (rmdir: only if nothing else lives there).
  if (cg && o.cgroup_root != "/" && !o.cgroup_root.empty())
    for (const auto& d : cg->Dirs("")) rmdir(d.c_str());
  if (!o.pod_bridge.empty()) {
    Netlink nl;
    if (nl.Open().ok())
      if (auto idx = nl.LinkIndex(o.pod_bridge); idx.ok()) (void)nl.DeleteLink(*idx);
  }
  std::error_code ec;
  std::filesystem::remove_all(o.root_dir, ec);
  if (ec) {
    common::cli::PrintError("cannot remove '" + o.root_dir + "': " + ec.message());
    ++failures;
  }
  return failures ? common::cli::kExitFailed : common::cli::kExitOk;
}

}  // namespace nodeagent
