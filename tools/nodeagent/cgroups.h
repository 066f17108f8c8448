// cgroup management for pods and containers, on cgroup v1 (cpu, cpuacct,
// memory and pids hierarchies) or cgroup v2 (one unified hierarchy),
// whichever the machine mounts with those controllers: the kubelet's
// cgroupfs driver, with its kubepods/{burstable,besteffort}/pod<uid> layout.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace nodeagent {

// Where the hierarchies are. `v1` maps a controller ("cpu", "memory", ...)
// to the directory of the cgroup kubix uses as its root in that hierarchy;
// for v2 `v2` is that directory.
struct CgroupLayout {
  int version = 0;  // 1 or 2
  std::map<std::string, std::string> v1;
  std::string v2;
};

// Finds the hierarchies from /proc/self/mountinfo and /proc/self/cgroup
// texts. `cgroup_root` is --cgroup-root: absolute ("/", "/kubix") names a
// cgroup from the hierarchy's root; relative ("kubix-test") names one under
// the cgroup this process is in (for running inside a container or a
// delegated unit). v2 wins when its root offers cpu and memory; otherwise v1
// needs cpu and memory mounted. Unavailable when neither is usable.
common::Result<CgroupLayout> DetectCgroups(const std::string& cgroup_root,
                                           const std::string& mountinfo,
                                           const std::string& self_cgroup);
// The same from the running system's /proc files.
common::Result<CgroupLayout> DetectSystemCgroups(const std::string& cgroup_root);

// The settings kubix writes; unset fields are left alone. A value of -1 in
// cpu_quota_us, memory_limit or pids_limit means unlimited.
struct CgroupConfig {
  std::optional<int64_t> cpu_shares;    // v1 cpu.shares; v2 cpu.weight via SharesToWeight
  std::optional<int64_t> cpu_quota_us;  // with cpu_period_us
  int64_t cpu_period_us = 100000;
  std::optional<int64_t> memory_limit;  // bytes
  std::optional<int64_t> pids_limit;
};

// Memory figures of one cgroup.
struct CgroupMemory {
  int64_t usage = 0;        // usage_in_bytes / memory.current
  int64_t working_set = 0;  // usage minus inactive file pages (cAdvisor's definition)
  int64_t oom_kills = 0;    // oom_kill count of memory.oom_control / memory.events
};

// Thread-safe (stateless beyond the layout). `name` arguments are paths
// relative to the layout's root, e.g. "kubepods/burstable/pod<uid>".
class CgroupManager {
 public:
  explicit CgroupManager(CgroupLayout layout) : layout_(std::move(layout)) {}
  const CgroupLayout& layout() const { return layout_; }
  int version() const { return layout_.version; }

  // Creates `name` (and missing parents; on v2 enabling the controllers
  // down the path) and writes `config`. Errors name the file that failed.
  common::Status Ensure(const std::string& name, const CgroupConfig& config) const;
  // Writes `config` to an existing cgroup.
  common::Status Apply(const std::string& name, const CgroupConfig& config) const;
  bool Exists(const std::string& name) const;
  // The cgroup.procs files a process writes "0" to in order to join `name`.
  std::vector<std::string> ProcsFiles(const std::string& name) const;
  // Every pid in `name` and below.
  std::vector<int> Pids(const std::string& name) const;
  // SIGKILLs everything in `name` and below until it is empty, then removes
  // the directories leaf first. OK when `name` does not exist.
  common::Status Destroy(const std::string& name) const;
  common::Result<CgroupMemory> Memory(const std::string& name) const;
  // The directory of `name` in the memory hierarchy (for diagnostics).
  std::string MemoryDir(const std::string& name) const;
  // The directories of `name` in every managed hierarchy.
  std::vector<std::string> Dirs(const std::string& name) const;

 private:
  std::string Dir(const std::string& controller, const std::string& name) const;
  common::Status Write(const std::string& dir, const char* file, const std::string& value) const;
  CgroupLayout layout_;
};

}  // namespace nodeagent
