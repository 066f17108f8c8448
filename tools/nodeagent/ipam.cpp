#include "ipam.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "common/file.h"
#include "common/strings.h"

namespace nodeagent {

common::Result<uint32_t> ParseIpv4(const std::string& text) {
  struct in_addr a;
  if (inet_pton(AF_INET, text.c_str(), &a) != 1)
    return common::Status::BadRequest("invalid IPv4 address '" + text + "'");
  return ntohl(a.s_addr);
}

std::string FormatIpv4(uint32_t ip) {
  struct in_addr a;
  a.s_addr = htonl(ip);
  char buf[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, buf, sizeof buf);
  return buf;
}

common::Result<Ipv4Cidr> Ipv4Cidr::Parse(const std::string& text) {
  auto slash = text.find('/');
  if (slash == std::string::npos)
    return common::Status::BadRequest("invalid CIDR address: " + text);
  auto ip = ParseIpv4(text.substr(0, slash));
  auto prefix = common::ParseInt64(text.substr(slash + 1));
  if (!ip.ok() || !prefix || *prefix < 0 || *prefix > 32)
    return common::Status::BadRequest("invalid CIDR address: " + text);
  Ipv4Cidr c;
  c.prefix = static_cast<int>(*prefix);
  uint32_t mask = c.prefix == 0 ? 0 : 0xffffffffu << (32 - c.prefix);
  c.network = *ip & mask;
  return c;
}

std::string Ipv4Cidr::String() const { return FormatIpv4(network) + "/" + std::to_string(prefix); }

std::string Ipam::Find(const std::string& owner) const {
  DIR* d = opendir(dir_.c_str());
  if (!d) return "";
  std::string found;
  while (struct dirent* e = readdir(d)) {
    if (e->d_name[0] == '.' || std::string_view(e->d_name) == "last_reserved_ip") continue;
    auto content = common::ReadFile(dir_ + "/" + e->d_name);
    if (content.ok() && common::TrimSpace(*content) == owner) {
      found = e->d_name;
      break;
    }
  }
  closedir(d);
  return found;
}

common::Result<std::string> Ipam::Allocate(const std::string& owner) {
  RETURN_IF_ERROR(common::MakeDirs(dir_));
  if (auto held = Find(owner); !held.empty()) return held;
  uint32_t first = cidr_.Gateway() + 1, last = cidr_.Broadcast() - 1;
  if (cidr_.prefix >= 31 || first > last)
    return common::Status::Unavailable("pod CIDR " + cidr_.String() + " has no room for pods");
  uint32_t start = first;
  if (auto prev = common::ReadFile(dir_ + "/last_reserved_ip"); prev.ok())
    if (auto ip = ParseIpv4(std::string(common::TrimSpace(*prev))); ip.ok() && cidr_.Contains(*ip))
      start = *ip + 1;
  uint32_t span = last - first + 1;
  for (uint32_t i = 0; i < span; ++i) {
    uint32_t ip = first + ((start - first + i) % span);
    std::string name = FormatIpv4(ip);
    int fd = open((dir_ + "/" + name).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) continue;
    bool ok = write(fd, owner.data(), owner.size()) == static_cast<ssize_t>(owner.size());
    close(fd);
    if (!ok) continue;
    auto st = common::WriteFileAtomic(dir_ + "/last_reserved_ip", name);
    (void)st;
    return name;
  }
  return common::Status::Unavailable("no IP addresses available in range set: " + cidr_.String());
}

void Ipam::Release(const std::string& owner) {
  for (;;) {
    std::string held = Find(owner);
    if (held.empty()) return;
    unlink((dir_ + "/" + held).c_str());
  }
}

}  // namespace nodeagent
