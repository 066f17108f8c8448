// apiserve's command line: flags named like kube-apiserver's, defaults in one
// place, Validate() before anything starts.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace apiserve {

struct Options {
  // Serving.
  std::string bind_address = "0.0.0.0";
  int secure_port = 6443;
  int insecure_port = 0;  // 0 = off; always bound to 127.0.0.1
  std::string advertise_address;
  std::string tls_cert_file;
  std::string tls_private_key_file;
  std::string cert_dir = "/var/lib/kubix/apiserve/certs";
  std::string client_ca_file;
  bool anonymous_auth = true;
  std::vector<std::string> tls_sans;  // extra names for the self-signed certificate

  // Storage.
  std::vector<std::string> etcd_servers;
  std::string etcd_prefix = "/registry";
  std::string etcd_cafile, etcd_certfile, etcd_keyfile;
  std::string data_dir = "/var/lib/kubix/apiserve";
  bool fsync = true;
  int64_t quota_backend_bytes = 0;
  int etcd_compaction_interval_s = 300;
  std::vector<std::string> watch_cache_sizes;  // "pods#1000"
  int default_watch_cache_size = 1000;

  // Services.
  std::string service_cluster_ip_range = "10.0.0.0/24";
  std::string service_node_port_range = "30000-32767";

  // Limits and timeouts.
  int max_requests_inflight = 400;
  int max_mutating_requests_inflight = 200;
  int min_request_timeout_s = 1800;
  int request_timeout_s = 60;
  int shutdown_grace_s = 10;
  int handler_threads = 64;

  // Admission.
  std::vector<std::string> enable_admission_plugins;
  std::vector<std::string> disable_admission_plugins;
  bool namespace_finalizer = true;

  // Logging.
  std::string log_file;

  // Parsed forms (filled by Validate).
  std::map<std::string, int> watch_cache_size_by_resource;
  uint32_t service_cidr_base = 0;
  int service_cidr_bits = 0;
  int node_port_min = 0, node_port_max = 0;

  // Checks every value; returns a usage error naming the flag.
  common::Status Validate();
};

// Registers every flag on `app`, bound to `o`.
void AddFlags(CLI::App& app, Options* o);

}  // namespace apiserve
