// proxyrules' options: one struct for every verb, flags named like
// kube-proxy's, defaults in one place.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "render/render.h"

namespace proxyrules {

struct Options {
  // Inputs (render, diff, apply): files of Services, EndpointSlices and
  // Endpoints in any mix, JSON or YAML; "-" is stdin.
  std::vector<std::string> files;
  std::vector<std::string> services_files;
  std::vector<std::string> endpoints_files;

  // The node.
  std::string hostname_override;  // node name for Local traffic policies
  std::string node_ip;            // for loadBalancerSourceRanges containing the node
  std::string ip_family = "IPv4";

  // The proxier (kube-proxy's flags).
  std::string cluster_cidr;
  std::string detect_local_mode;  // "" picks ClusterCIDR when --cluster-cidr is set
  std::string pod_bridge_interface;
  std::string pod_interface_name_prefix;
  bool masquerade_all = false;
  int masquerade_bit = 14;
  std::vector<std::string> nodeport_addresses;
  bool localhost_nodeports = true;
  bool nfacct = false;

  // Output of render.
  bool sort = false;

  // Applying (apply, diff, cleanup, run).
  std::string backend = "auto";
  bool exit_code = false;  // diff: exit 1 when something would change

  // run: the API server and the daemon's timing and endpoints.
  std::string kubeconfig;
  std::string master;
  std::string sync_period = "30s";
  std::string min_sync_period = "1s";
  std::string healthz_bind_address = "0.0.0.0:10256";
  std::string metrics_bind_address = "127.0.0.1:10249";

  // hash: "ns/name[:port]", its protocol, and endpoints ("IP:port").
  std::string hash_port;
  std::string hash_protocol = "TCP";
  std::vector<std::string> hash_endpoints;

  // Validates and normalises; errors are usage errors.
  common::Status Validate();

  // The node name: --hostname-override, else the host name, lower-cased.
  std::string NodeName() const;
  IPFamily Family() const { return ip_family == "IPv6" ? IPFamily::kIPv6 : IPFamily::kIPv4; }
};

// Parses a Go duration ("30s", "1m30s", "500ms", "2h"); nullopt on junk.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

// Flag groups, added to whichever verbs use them.
void AddInputFlags(CLI::App* app, Options* o);
void AddProxierFlags(CLI::App* app, Options* o);
void AddBackendFlag(CLI::App* app, Options* o);

// The RenderConfig these options describe. With `probe_system` the running
// system is asked what kube-proxy would ask it (iptables --random-fully
// support, nf_conntrack_tcp_be_liberal, local addresses for
// --nodeport-addresses); without it, render assumes a current host.
common::Result<RenderConfig> BuildRenderConfig(const Options& o, bool probe_system);

}  // namespace proxyrules
