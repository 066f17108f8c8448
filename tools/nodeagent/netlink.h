// The few rtnetlink operations pod networking needs (what the CNI bridge
// plugin does through netlink): bridges, veth pairs, addresses, routes,
// link state. A socket works in the network namespace of the thread that
// opened it.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace nodeagent {

// Not thread-safe: one per thread.
class Netlink {
 public:
  Netlink() = default;
  ~Netlink();
  Netlink(const Netlink&) = delete;
  Netlink& operator=(const Netlink&) = delete;

  // Opens a NETLINK_ROUTE socket in the calling thread's network namespace.
  common::Status Open();

  // The index of link `name`; NotFound when there is none.
  common::Result<int> LinkIndex(const std::string& name);
  common::Status CreateBridge(const std::string& name);
  // Creates `host_name` here and its peer `peer_name` in the namespace `peer_netns_fd`.
  common::Status CreateVeth(const std::string& host_name, const std::string& peer_name,
                            int peer_netns_fd);
  common::Status SetUp(int index);
  common::Status SetMaster(int index, int master_index);
  common::Status DeleteLink(int index);
  // Adds `ip`/`prefix` to link `index` (EEXIST is not an error).
  common::Status AddAddress(int index, uint32_t ip, int prefix);
  common::Status AddDefaultRoute(uint32_t gateway, int index);

 private:
  common::Status Request(void* msg, size_t len, const char* what);
  int fd_ = -1;
  uint32_t seq_ = 0;
};

}  // namespace nodeagent
