#include "cgroups.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "cgroup_math.h"
#include "common/file.h"
#include "common/strings.h"

namespace nodeagent {

namespace {

// The v1 controllers kubix manages; cpu and memory are required.
const char* kV1Controllers[] = {"cpu", "cpuacct", "memory", "pids"};

struct Mount {
  std::string root, point, fstype;
  std::vector<std::string> super_opts;
};

std::vector<Mount> ParseMountinfo(const std::string& text) {
  std::vector<Mount> out;
  for (const auto& line : common::Split(text, '\n')) {
    auto fields = common::Split(line, ' ');
    size_t dash = 0;
    for (size_t i = 6; i < fields.size(); ++i)
      if (fields[i] == "-") {
        dash = i;
        break;
      }
    if (dash == 0 || dash + 3 >= fields.size() + 1 || fields.size() < dash + 4) continue;
    Mount m;
    m.root = fields[3];
    m.point = fields[4];
    m.fstype = fields[dash + 1];
    m.super_opts = common::Split(fields[dash + 3], ',');
    if (m.fstype == "cgroup" || m.fstype == "cgroup2") out.push_back(std::move(m));
  }
  return out;
}

std::string JoinPath(std::string a, const std::string& b) {
  while (a.size() > 1 && a.back() == '/') a.pop_back();
  std::string rest = b;
  while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty()) return a;
  return a == "/" ? "/" + rest : a + "/" + rest;
}

// The path of this process's cgroup relative to a mount whose root is `mount_root`.
std::string RelativeTo(const std::string& self, const std::string& mount_root) {
  if (mount_root == "/" || mount_root.empty()) return self;
  if (self.compare(0, mount_root.size(), mount_root) == 0) return self.substr(mount_root.size());
  return "/";
}

std::string ReadSmall(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int64_t StatField(const std::string& text, std::string_view key) {
  for (const auto& line : common::Split(text, '\n')) {
    auto sp = line.find(' ');
    if (sp != std::string::npos && std::string_view(line).substr(0, sp) == key)
      return common::ParseInt64(common::TrimSpace(line.substr(sp + 1))).value_or(0);
  }
  return 0;
}

void CollectPids(const std::string& dir, std::set<int>* out, int depth = 0) {
  for (const auto& line : common::Split(ReadSmall(dir + "/cgroup.procs"), '\n'))
    if (auto p = common::ParseInt64(common::TrimSpace(line)); p && *p > 0)
      out->insert(static_cast<int>(*p));
  if (depth > 8) return;
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (struct dirent* e = readdir(d)) {
    if (e->d_type == DT_DIR && e->d_name[0] != '.') CollectPids(dir + "/" + e->d_name, out, depth + 1);
  }
  closedir(d);
}

// Removes `dir` and its sub-directories, deepest first (cgroup dirs hold only
// virtual files, so rmdir is all it takes once they are empty of processes).
bool RemoveTree(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d) return errno == ENOENT;
  std::vector<std::string> subs;
  while (struct dirent* e = readdir(d))
    if (e->d_type == DT_DIR && e->d_name[0] != '.') subs.push_back(dir + "/" + e->d_name);
  closedir(d);
  bool ok = true;
  for (const auto& s : subs) ok &= RemoveTree(s);
  if (rmdir(dir.c_str()) != 0 && errno != ENOENT) ok = false;
  return ok;
}

}  // namespace

common::Result<CgroupLayout> DetectCgroups(const std::string& cgroup_root,
                                           const std::string& mountinfo,
                                           const std::string& self_cgroup) {
  bool relative = cgroup_root.empty() || cgroup_root[0] != '/';
  std::map<std::string, std::string> self_v1;  // controller -> path
  std::string self_v2 = "/";
  for (const auto& line : common::Split(self_cgroup, '\n')) {
    auto parts = common::Split(line, ':');
    if (parts.size() < 3) continue;
    std::string path = line.substr(parts[0].size() + parts[1].size() + 2);
    if (parts[0] == "0" && parts[1].empty()) self_v2 = path;
    for (const auto& c : common::Split(parts[1], ',')) self_v1[c] = path;
  }
  auto base_for = [&](const Mount& m, const std::string& self) {
    std::string start = relative ? JoinPath(m.point, RelativeTo(self, m.root)) : m.point;
    return JoinPath(start, cgroup_root);
  };

  auto mounts = ParseMountinfo(mountinfo);
  for (const auto& m : mounts) {
    if (m.fstype != "cgroup2") continue;
    auto controllers = common::Split(common::TrimSpace(ReadSmall(m.point + "/cgroup.controllers")), ' ');
    std::set<std::string> have(controllers.begin(), controllers.end());
    if (have.count("cpu") && have.count("memory")) {
      CgroupLayout l;
      l.version = 2;
      l.v2 = base_for(m, self_v2);
      return l;
    }
  }
  CgroupLayout l;
  l.version = 1;
  for (const auto& m : mounts) {
    if (m.fstype != "cgroup") continue;
    for (const char* c : kV1Controllers) {
      for (const auto& o : m.super_opts)
        if (o == c) l.v1[c] = base_for(m, self_v1.count(c) ? self_v1[c] : "/");
    }
  }
  if (!l.v1.count("cpu") || !l.v1.count("memory"))
    return common::Status::Unavailable(
        "no usable cgroup hierarchy: need cgroup v2 with the cpu and memory controllers, or "
        "cgroup v1 with cpu and memory mounted");
  return l;
}

common::Result<CgroupLayout> DetectSystemCgroups(const std::string& cgroup_root) {
  auto mi = common::ReadFile("/proc/self/mountinfo");
  if (!mi.ok()) return mi.status();
  auto self = common::ReadFile("/proc/self/cgroup");
  if (!self.ok()) return self.status();
  return DetectCgroups(cgroup_root, *mi, *self);
}

std::string CgroupManager::Dir(const std::string& controller, const std::string& name) const {
  if (layout_.version == 2) return JoinPath(layout_.v2, name);
  auto it = layout_.v1.find(controller);
  return it == layout_.v1.end() ? "" : JoinPath(it->second, name);
}

std::vector<std::string> CgroupManager::Dirs(const std::string& name) const {
  if (layout_.version == 2) return {Dir("", name)};
  std::vector<std::string> out;
  for (const auto& [c, base] : layout_.v1) out.push_back(JoinPath(base, name));
  return out;
}

common::Status CgroupManager::Write(const std::string& dir, const char* file,
                                    const std::string& value) const {
  std::string path = dir + "/" + file;
  FILE* f = fopen(path.c_str(), "we");
  if (!f) return common::Status::FromErrno(errno, "open", path);
  bool ok = fwrite(value.data(), 1, value.size(), f) == value.size();
  int err = errno;
  if (fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) return common::Status::FromErrno(err, "write '" + value + "' to", path);
  return common::Status::Ok();
}

common::Status CgroupManager::Ensure(const std::string& name, const CgroupConfig& config) const {
  if (layout_.version == 2) {
    // Controllers must be enabled in every ancestor's subtree_control.
    std::string dir = layout_.v2;
    RETURN_IF_ERROR(common::MakeDirs(dir));
    for (const auto& part : common::SplitNonEmpty(name, '/')) {
      std::string enabled = ReadSmall(dir + "/cgroup.subtree_control");
      std::string available = ReadSmall(dir + "/cgroup.controllers");
      std::string want;
      for (const char* c : {"cpu", "memory", "pids"}) {
        bool avail = false, on = false;
        for (const auto& x : common::Split(common::TrimSpace(available), ' ')) avail |= x == c;
        for (const auto& x : common::Split(common::TrimSpace(enabled), ' ')) on |= x == c;
        if (avail && !on) want += std::string(want.empty() ? "" : " ") + "+" + c;
      }
      if (!want.empty()) RETURN_IF_ERROR(Write(dir, "cgroup.subtree_control", want));
      dir = JoinPath(dir, part);
      if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        return common::Status::FromErrno(errno, "create cgroup", dir);
    }
  } else {
    for (const auto& d : Dirs(name)) RETURN_IF_ERROR(common::MakeDirs(d));
  }
  return Apply(name, config);
}

common::Status CgroupManager::Apply(const std::string& name, const CgroupConfig& c) const {
  if (layout_.version == 2) {
    std::string dir = Dir("", name);
    if (c.cpu_shares) RETURN_IF_ERROR(Write(dir, "cpu.weight", std::to_string(SharesToWeight(*c.cpu_shares))));
    if (c.cpu_quota_us)
      RETURN_IF_ERROR(Write(dir, "cpu.max", CpuMaxLine(*c.cpu_quota_us, c.cpu_period_us)));
    if (c.memory_limit)
      RETURN_IF_ERROR(Write(dir, "memory.max",
                            *c.memory_limit < 0 ? "max" : std::to_string(*c.memory_limit)));
    if (c.pids_limit && !Dir("", name).empty())
      RETURN_IF_ERROR(Write(dir, "pids.max", *c.pids_limit < 0 ? "max" : std::to_string(*c.pids_limit)));
    return common::Status::Ok();
  }
  std::string cpu = Dir("cpu", name);
  if (c.cpu_shares) RETURN_IF_ERROR(Write(cpu, "cpu.shares", std::to_string(*c.cpu_shares)));
  if (c.cpu_quota_us) {
    RETURN_IF_ERROR(Write(cpu, "cpu.cfs_period_us", std::to_string(c.cpu_period_us)));
    RETURN_IF_ERROR(Write(cpu, "cpu.cfs_quota_us",
                          std::to_string(*c.cpu_quota_us > 0 ? *c.cpu_quota_us : -1)));
  }
  if (c.memory_limit)
    RETURN_IF_ERROR(Write(Dir("memory", name), "memory.limit_in_bytes",
                          std::to_string(*c.memory_limit < 0 ? -1 : *c.memory_limit)));
  if (c.pids_limit && layout_.v1.count("pids"))
    RETURN_IF_ERROR(Write(Dir("pids", name), "pids.max",
                          *c.pids_limit < 0 ? "max" : std::to_string(*c.pids_limit)));
  return common::Status::Ok();
}

bool CgroupManager::Exists(const std::string& name) const {
  struct stat st;
  return stat(MemoryDir(name).c_str(), &st) == 0;
}

std::vector<std::string> CgroupManager::ProcsFiles(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& d : Dirs(name)) out.push_back(d + "/cgroup.procs");
  return out;
}

std::vector<int> CgroupManager::Pids(const std::string& name) const {
  std::set<int> pids;
  for (const auto& d : Dirs(name)) CollectPids(d, &pids);
  return {pids.begin(), pids.end()};
}

common::Status CgroupManager::Destroy(const std::string& name) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto pids = Pids(name);
    for (int pid : pids) kill(pid, SIGKILL);
    bool removed = true;
    if (pids.empty())
      for (const auto& d : Dirs(name)) removed &= RemoveTree(d);
    if (pids.empty() && removed) return common::Status::Ok();
    if (std::chrono::steady_clock::now() > deadline)
      return common::Status::Internal("cannot remove cgroup '" + MemoryDir(name) +
                                      "': processes remain or it is busy");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string CgroupManager::MemoryDir(const std::string& name) const { return Dir("memory", name); }

common::Result<CgroupMemory> CgroupManager::Memory(const std::string& name) const {
  std::string dir = MemoryDir(name);
  CgroupMemory m;
  if (layout_.version == 2) {
    auto cur = common::ReadFile(dir + "/memory.current");
    if (!cur.ok()) return cur.status();
    m.usage = common::ParseInt64(common::TrimSpace(*cur)).value_or(0);
    int64_t inactive = StatField(ReadSmall(dir + "/memory.stat"), "inactive_file");
    m.working_set = std::max<int64_t>(0, m.usage - inactive);
    m.oom_kills = StatField(ReadSmall(dir + "/memory.events"), "oom_kill");
    return m;
  }
  auto cur = common::ReadFile(dir + "/memory.usage_in_bytes");
  if (!cur.ok()) return cur.status();
  m.usage = common::ParseInt64(common::TrimSpace(*cur)).value_or(0);
  int64_t inactive = StatField(ReadSmall(dir + "/memory.stat"), "total_inactive_file");
  m.working_set = std::max<int64_t>(0, m.usage - inactive);
  m.oom_kills = StatField(ReadSmall(dir + "/memory.oom_control"), "oom_kill");
  return m;
}

}  // namespace nodeagent
