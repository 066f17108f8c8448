#include "cidr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <set>

#include "common/strings.h"

namespace reconcile {

using u128 = unsigned __int128;

common::Result<u128> ParseIp(std::string_view text, bool* v6) {
  std::string s(text);
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    *v6 = false;
    return (u128(buf[0]) << 24) | (u128(buf[1]) << 16) | (u128(buf[2]) << 8) | u128(buf[3]);
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    *v6 = true;
    u128 v = 0;
    for (unsigned char b : buf) v = (v << 8) | b;
    return v;
  }
  return common::Status::BadRequest("invalid IP address: \"" + s + "\"");
}

std::string FormatIp(u128 addr, bool v6) {
  char out[INET6_ADDRSTRLEN];
  if (!v6) {
    unsigned char b[4] = {static_cast<unsigned char>(addr >> 24), static_cast<unsigned char>(addr >> 16),
                          static_cast<unsigned char>(addr >> 8), static_cast<unsigned char>(addr)};
    inet_ntop(AF_INET, b, out, sizeof out);
  } else {
    unsigned char b[16];
    for (int i = 15; i >= 0; --i) {
      b[i] = static_cast<unsigned char>(addr);
      addr >>= 8;
    }
    inet_ntop(AF_INET6, b, out, sizeof out);
  }
  return out;
}

static u128 Mask(int bits, int width) {
  if (bits == 0) return 0;
  u128 all = width == 128 ? ~u128(0) : ((u128(1) << width) - 1);
  return all & ~((u128(1) << (width - bits)) - 1);
}

common::Result<Cidr> ParseCidr(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos)
    return common::Status::BadRequest("invalid CIDR address: " + std::string(text));
  Cidr c;
  auto ip = ParseIp(text.substr(0, slash), &c.v6);
  auto bits = common::ParseInt64(text.substr(slash + 1));
  if (!ip.ok() || !bits || *bits < 0 || *bits > (c.v6 ? 128 : 32))
    return common::Status::BadRequest("invalid CIDR address: " + std::string(text));
  c.bits = static_cast<int>(*bits);
  c.base = *ip & Mask(c.bits, c.width());
  return c;
}

std::string Cidr::String() const { return FormatIp(base, v6) + "/" + std::to_string(bits); }

bool Cidr::Contains(u128 addr) const { return (addr & Mask(bits, width())) == base; }

bool Cidr::Overlaps(const Cidr& o) const {
  if (v6 != o.v6) return false;
  return Contains(o.base) || o.Contains(base);
}

CidrSet::CidrSet(Cidr range, int mask) : range_(range), mask_(mask) {
  count_ = uint64_t(1) << (mask - range.bits);
  used_.assign(count_, false);
}

common::Result<CidrSet> CidrSet::Make(const Cidr& range, int mask) {
  if (mask < range.bits || mask > range.width())
    return common::Status::BadRequest("node CIDR mask size /" + std::to_string(mask) +
                                      " does not fit in the cluster CIDR " + range.String());
  if (mask - range.bits > 24)
    return common::Status::BadRequest("cluster CIDR " + range.String() + " split into /" +
                                      std::to_string(mask) + " has too many subnets (at most 2^24)");
  return CidrSet(range, mask);
}

std::optional<uint64_t> CidrSet::IndexOf(const Cidr& s) const {
  if (s.v6 != range_.v6 || s.bits != mask_ || !range_.Contains(s.base)) return std::nullopt;
  return static_cast<uint64_t>((s.base - range_.base) >> (range_.width() - mask_));
}

common::Result<Cidr> CidrSet::AllocateNext() {
  for (uint64_t i = 0; i < count_; ++i) {
    uint64_t idx = (next_ + i) % count_;
    if (used_[idx]) continue;
    used_[idx] = true;
    next_ = (idx + 1) % count_;
    Cidr c = range_;
    c.bits = mask_;
    c.base = range_.base + (u128(idx) << (range_.width() - mask_));
    return c;
  }
  return common::Status::Unavailable("CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range");
}

common::Status CidrSet::Occupy(const Cidr& subnet) {
  auto idx = IndexOf(subnet);
  if (!idx) return common::Status::BadRequest("CIDR " + subnet.String() + " is not a /" +
                                              std::to_string(mask_) + " of " + range_.String());
  used_[*idx] = true;
  return common::Status::Ok();
}

void CidrSet::Release(const Cidr& subnet) {
  if (auto idx = IndexOf(subnet)) used_[*idx] = false;
}

void CidrSet::Exclude(const Cidr& other) {
  if (other.v6 != range_.v6 || !range_.Overlaps(other)) return;
  for (uint64_t i = 0; i < count_; ++i) {
    Cidr c = range_;
    c.bits = mask_;
    c.base = range_.base + (u128(i) << (range_.width() - mask_));
    if (c.Overlaps(other)) used_[i] = true;
  }
}

size_t CidrSet::Free() const { return static_cast<size_t>(std::count(used_.begin(), used_.end(), false)); }

common::Result<IpPool> IpPool::Parse(std::string_view text) {
  IpPool p;
  p.text_ = std::string(text);
  size_t dash = text.find('-');
  if (text.find('/') != std::string_view::npos) {
    ASSIGN_OR_RETURN(Cidr c, ParseCidr(text));
    p.v6_ = c.v6;
    p.first_ = c.base;
    p.last_ = c.base | (~Mask(c.bits, c.width()) & (c.v6 ? ~u128(0) : u128(0xffffffff)));
    // Skip the network and broadcast addresses of an IPv4 block bigger than /31.
    if (!c.v6 && c.bits < 31) {
      ++p.first_;
      --p.last_;
    }
    return p;
  }
  if (dash == std::string_view::npos)
    return common::Status::BadRequest("invalid address range \"" + p.text_ + "\": want a CIDR or FIRST-LAST");
  bool v6a, v6b;
  auto a = ParseIp(common::TrimSpace(text.substr(0, dash)), &v6a);
  auto b = ParseIp(common::TrimSpace(text.substr(dash + 1)), &v6b);
  if (!a.ok() || !b.ok() || v6a != v6b || *a > *b)
    return common::Status::BadRequest("invalid address range \"" + p.text_ + "\"");
  p.first_ = *a;
  p.last_ = *b;
  p.v6_ = v6a;
  return p;
}

bool IpPool::Contains(const std::string& ip) const {
  bool v6;
  auto a = ParseIp(ip, &v6);
  return a.ok() && v6 == v6_ && *a >= first_ && *a <= last_;
}

std::optional<std::string> IpPool::Allocate(const std::vector<std::string>& taken) const {
  std::set<u128> used;
  for (const auto& t : taken) {
    bool v6;
    auto a = ParseIp(t, &v6);
    if (a.ok() && v6 == v6_) used.insert(*a);
  }
  for (u128 a = first_;; ++a) {
    if (!used.count(a)) return FormatIp(a, v6_);
    if (a == last_) break;
  }
  return std::nullopt;
}

}  // namespace reconcile
