// CIDR arithmetic for node IPAM and LoadBalancer address pools: parsing,
// formatting, and a set allocator of equal-sized subnets of a range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace reconcile {

// An IPv4 or IPv6 prefix; addresses are held as 128-bit integers (IPv4 in
// the low 32 bits).
struct Cidr {
  unsigned __int128 base = 0;
  int bits = 0;  // prefix length
  bool v6 = false;
  int width() const { return v6 ? 128 : 32; }
  std::string String() const;
  bool Contains(unsigned __int128 addr) const;
  bool Overlaps(const Cidr& other) const;
};

// Parses "10.244.0.0/16" or "fd00::/48"; the base is masked to the prefix.
common::Result<Cidr> ParseCidr(std::string_view text);
common::Result<unsigned __int128> ParseIp(std::string_view text, bool* v6);
std::string FormatIp(unsigned __int128 addr, bool v6);

// Hands out the subnets of size /`mask` inside `range`, lowest first
// (upstream's cidrset). Not thread-safe.
class CidrSet {
 public:
  // REQUIRES: range.bits <= mask <= range.width(); mask - range.bits < 32.
  CidrSet(Cidr range, int mask);
  static common::Result<CidrSet> Make(const Cidr& range, int mask);

  // The next free subnet, or ResourceExhausted-style Unavailable when full.
  common::Result<Cidr> AllocateNext();
  // Marks `subnet` used (an existing node's podCIDR). InvalidArgument when
  // it is not a subnet of the range with the set's mask.
  common::Status Occupy(const Cidr& subnet);
  // Frees `subnet` (a deleted node's).
  void Release(const Cidr& subnet);
  // Marks every subnet overlapping `other` used (the service range).
  void Exclude(const Cidr& other);
  size_t Free() const;

 private:
  std::optional<uint64_t> IndexOf(const Cidr& subnet) const;
  Cidr range_;
  int mask_;
  uint64_t count_;
  std::vector<bool> used_;
  uint64_t next_ = 0;
};

// An address pool given as a CIDR or FIRST-LAST (--lb-ip-range).
class IpPool {
 public:
  static common::Result<IpPool> Parse(std::string_view text);
  bool Contains(const std::string& ip) const;
  // The lowest free address not in `taken`, or nullopt when exhausted.
  std::optional<std::string> Allocate(const std::vector<std::string>& taken) const;
  std::string String() const { return text_; }

 private:
  unsigned __int128 first_ = 0, last_ = 0;
  bool v6_ = false;
  std::string text_;
};

}  // namespace reconcile
