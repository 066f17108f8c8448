#include "node_info.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sched.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/file.h"
#include "common/strings.h"

namespace nodeagent {

std::string GoArch(const std::string& m) {
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m == "armv7l" || m == "armv6l") return "arm";
  if (m == "i686" || m == "i386") return "386";
  return m;
}

MachineInfo DetectMachine(const std::string& root_dir) {
  MachineInfo m;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  m.hostname = common::ToLower(host);
  cpu_set_t set;
  CPU_ZERO(&set);
  int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
  if (cpus <= 0) cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  m.cpu_milli = static_cast<int64_t>(cpus) * 1000;
  if (auto mi = common::ReadFile("/proc/meminfo"); mi.ok())
    for (const auto& line : common::Split(*mi, '\n'))
      if (line.rfind("MemTotal:", 0) == 0) {
        auto parts = common::SplitNonEmpty(line.substr(9), ' ');
        if (!parts.empty()) m.memory_bytes = common::ParseInt64(parts[0]).value_or(0) * 1024;
      }
  struct statvfs vfs;
  std::string probe = root_dir;
  while (!probe.empty() && statvfs(probe.c_str(), &vfs) != 0) {
    auto slash = probe.rfind('/');
    probe = slash == 0 || slash == std::string::npos ? "/" : probe.substr(0, slash);
    if (probe == "/") {
      statvfs("/", &vfs);
      break;
    }
  }
  m.ephemeral_bytes = static_cast<int64_t>(vfs.f_blocks) * static_cast<int64_t>(vfs.f_frsize);
  struct utsname u;
  if (uname(&u) == 0) {
    m.kernel_version = u.release;
    m.architecture = GoArch(u.machine);
  }
  m.os_image = "Linux";
  if (auto os = common::ReadFile("/etc/os-release"); os.ok())
    for (const auto& line : common::Split(*os, '\n'))
      if (line.rfind("PRETTY_NAME=", 0) == 0) {
        std::string v = line.substr(12);
        if (v.size() >= 2 && v.front() == '"') v = v.substr(1, v.size() - 2);
        m.os_image = v;
      }
  if (auto b = common::ReadFile("/proc/sys/kernel/random/boot_id"); b.ok())
    m.boot_id = std::string(common::TrimSpace(*b));
  if (auto id = common::ReadFile("/etc/machine-id"); id.ok()) m.machine_id = std::string(common::TrimSpace(*id));
  return m;
}

std::string DetectNodeIp() {
  struct ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string found;
  for (auto* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    if ((a->ifa_flags & IFF_LOOPBACK) || !(a->ifa_flags & IFF_UP)) continue;
    std::string name = a->ifa_name;
    // Bridges and veths made for pods are not the node's address.
    if (name.rfind("veth", 0) == 0 || name.rfind("kubix", 0) == 0 || name.rfind("cni", 0) == 0) continue;
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &reinterpret_cast<struct sockaddr_in*>(a->ifa_addr)->sin_addr, buf, sizeof buf);
    found = buf;
    break;
  }
  freeifaddrs(list);
  return found;
}

ResourceList NodeCapacity(const MachineInfo& m, const ResourceList& overrides, int max_pods) {
  ResourceList c;
  c["cpu"] = common::Quantity::FromMilli(m.cpu_milli);
  c["memory"] = common::Quantity::FromInt(m.memory_bytes, common::Quantity::Format::kBinarySI);
  c["ephemeral-storage"] = common::Quantity::FromInt(m.ephemeral_bytes, common::Quantity::Format::kBinarySI);
  c["pods"] = common::Quantity::FromInt(max_pods);
  c["hugepages-2Mi"] = common::Quantity::FromInt(0);
  for (const auto& [k, v] : overrides) c[k] = v;
  return c;
}

}  // namespace nodeagent
