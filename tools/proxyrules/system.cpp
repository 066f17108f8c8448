#include "system.h"

#include <ifaddrs.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstring>

#include "common/file.h"
#include "common/strings.h"

namespace proxyrules {

using common::Result;
using common::Status;

Result<std::vector<IP>> LocalAddresses() {
  struct ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return Status::FromErrno(errno, "list", "local addresses");
  std::vector<IP> out;
  for (auto* a = list; a; a = a->ifa_next) {
    if (!a->ifa_addr) continue;
    IP ip;
    if (a->ifa_addr->sa_family == AF_INET) {
      ip.family = IPFamily::kIPv4;
      std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, 4);
    } else if (a->ifa_addr->sa_family == AF_INET6) {
      ip.family = IPFamily::kIPv6;
      std::memcpy(ip.bytes.data(), &reinterpret_cast<sockaddr_in6*>(a->ifa_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    out.push_back(ip);
  }
  freeifaddrs(list);
  return out;
}

std::optional<int> ReadSysctl(const std::string& path) {
  auto text = common::ReadFile("/proc/sys/" + path);
  if (!text.ok()) return std::nullopt;
  auto v = common::ParseInt64(common::TrimSpace(*text));
  if (!v) return std::nullopt;
  return static_cast<int>(*v);
}

Status EnsureSysctl(const std::string& path, int value) {
  if (ReadSysctl(path) == value) return Status::Ok();
  std::string full = "/proc/sys/" + path;
  FILE* f = std::fopen(full.c_str(), "w");
  if (!f) return Status::FromErrno(errno, "open", full);
  std::fprintf(f, "%d\n", value);
  if (std::fclose(f) != 0) return Status::FromErrno(errno, "write", full);
  return Status::Ok();
}

}  // namespace proxyrules
