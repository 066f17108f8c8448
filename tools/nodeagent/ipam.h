// Pod IP allocation from the node's pod CIDR, host-local style: one file per
// allocated address under a directory, so allocations survive restarts and
// two allocators never hand out the same address.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace nodeagent {

// An IPv4 network ("10.244.1.0/24").
struct Ipv4Cidr {
  uint32_t network = 0;  // host byte order, host bits zero
  int prefix = 0;

  static common::Result<Ipv4Cidr> Parse(const std::string& text);
  std::string String() const;
  // The first usable address (network + 1): the bridge's, the pods' gateway.
  uint32_t Gateway() const { return network + 1; }
  uint32_t Broadcast() const { return prefix >= 32 ? network : network | (0xffffffffu >> prefix); }
  bool Contains(uint32_t ip) const {
    return prefix == 0 || (ip >> (32 - prefix)) == (network >> (32 - prefix));
  }
};

std::string FormatIpv4(uint32_t ip);
common::Result<uint32_t> ParseIpv4(const std::string& text);

// Thread-safe through the file system (O_EXCL creates).
class Ipam {
 public:
  Ipam(Ipv4Cidr cidr, std::string dir) : cidr_(cidr), dir_(std::move(dir)) {}

  // Returns the address held by `owner` if it has one, else allocates the
  // next free one after the last allocation (wrapping), skipping the
  // network, gateway and broadcast addresses. Unavailable when the range is full.
  common::Result<std::string> Allocate(const std::string& owner);
  // Frees every address held by `owner`.
  void Release(const std::string& owner);
  const Ipv4Cidr& cidr() const { return cidr_; }

 private:
  std::string Find(const std::string& owner) const;
  Ipv4Cidr cidr_;
  std::string dir_;
};

}  // namespace nodeagent
