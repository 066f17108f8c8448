// Pod networking for --pod-network=netns: every pod gets a network namespace
// (bind-mounted under /run/netns, so `ip netns` lists it) with an eth0 that
// is one end of a veth pair whose other end sits on the node's bridge; its
// address comes from the pod CIDR, the bridge holds the gateway address.
// This is what the CNI bridge plugin with host-local IPAM sets up.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "ipam.h"

namespace nodeagent {

struct NetworkOptions {
  std::string bridge = "kubix0";
  std::string pod_cidr;          // "10.244.0.0/24"
  std::string ipam_dir;          // <root-dir>/ipam
  std::string netns_dir = "/run/netns";
  std::string netns_prefix = "kubix-";
};

class PodNetwork {
 public:
  explicit PodNetwork(NetworkOptions options);

  // Creates the bridge (gateway address, up) if missing, enables IPv4
  // forwarding (as the bridge plugin's isGateway does) and makes the netns
  // directory a shared mount so unmounts reach container namespaces.
  common::Status Init();

  // Gives pod `uid` a network namespace and an address; returns the
  // namespace's path and the IP. A half-made namespace is redone.
  struct Result {
    std::string netns;
    std::string ip;
  };
  common::Result<Result> Setup(const std::string& uid);
  // Removes the namespace (and with it the veth pair) and frees the address.
  void Teardown(const std::string& uid);

  std::string NetnsPath(const std::string& uid) const;
  std::string HostVethName(const std::string& uid) const;
  const Ipv4Cidr& cidr() const { return cidr_; }
  std::string GatewayIp() const { return FormatIpv4(cidr_.Gateway()); }
  const NetworkOptions& options() const { return opts_; }

 private:
  NetworkOptions opts_;
  Ipv4Cidr cidr_;
  std::unique_ptr<Ipam> ipam_;
  int bridge_index_ = 0;
  std::mutex mu_;  // serializes bridge/veth changes in the host namespace
};

}  // namespace nodeagent
