#include "options.h"

#include <arpa/inet.h>

#include "common/cli.h"
#include "common/strings.h"

namespace apiserve {

void AddFlags(CLI::App& app, Options* o) {
  app.add_option("--bind-address", o->bind_address,
                 "IP address to serve HTTPS on (0.0.0.0 = every interface)")
      ->capture_default_str();
  app.add_option("--secure-port", o->secure_port, "HTTPS port (0 = a free port)")
      ->capture_default_str();
  app.add_option("--insecure-port", o->insecure_port,
                 "plain HTTP port on 127.0.0.1, without authentication (0 = off)")
      ->capture_default_str();
  app.add_option("--advertise-address", o->advertise_address,
                 "address advertised to clients (default: the bind address or 127.0.0.1)");
  app.add_option("--tls-cert-file", o->tls_cert_file, "serving certificate (PEM)");
  app.add_option("--tls-private-key-file", o->tls_private_key_file, "serving private key (PEM)");
  app.add_option("--cert-dir", o->cert_dir,
                 "where a self-signed certificate is generated when no --tls-cert-file is given")
      ->capture_default_str();
  app.add_option("--client-ca-file", o->client_ca_file,
                 "authenticate client certificates signed by this CA (CN = user, O = groups)");
  app.add_option("--anonymous-auth", o->anonymous_auth,
                 "serve unauthenticated requests as system:anonymous")
      ->capture_default_str();
  app.add_option("--tls-sans", o->tls_sans,
                 "extra DNS names or IPs for the self-signed certificate")
      ->delimiter(',');
  app.add_option("--etcd-servers", o->etcd_servers,
                 "etcd (or kvstore) endpoints; empty = embedded storage in --data-dir")
      ->delimiter(',');
  app.add_option("--etcd-prefix", o->etcd_prefix, "key prefix of every object")
      ->capture_default_str();
  app.add_option("--etcd-cafile", o->etcd_cafile, "CA bundle for the etcd servers");
  app.add_option("--etcd-certfile", o->etcd_certfile, "client certificate for etcd");
  app.add_option("--etcd-keyfile", o->etcd_keyfile, "client key for etcd");
  app.add_option("--data-dir", o->data_dir, "embedded storage directory")->capture_default_str();
  app.add_option("--fsync", o->fsync,
                 "sync every embedded commit to disk (false = etcd's --unsafe-no-fsync)")
      ->capture_default_str();
  app.add_option("--quota-backend-bytes", o->quota_backend_bytes,
                 "embedded storage size limit (0 = 2 GiB)")
      ->capture_default_str();
  app.add_option("--etcd-compaction-interval", o->etcd_compaction_interval_s,
                 "seconds between compactions of old revisions (0 = never)")
      ->capture_default_str();
  app.add_option("--watch-cache-sizes", o->watch_cache_sizes,
                 "per-resource watch cache sizes, resource[.group]#size")
      ->delimiter(',');
  app.add_option("--default-watch-cache-size", o->default_watch_cache_size,
                 "events each watch cache keeps")
      ->capture_default_str();
  app.add_option("--service-cluster-ip-range", o->service_cluster_ip_range,
                 "CIDR ClusterIPs are allocated from")
      ->capture_default_str();
  app.add_option("--service-node-port-range", o->service_node_port_range,
                 "port range NodePorts are allocated from")
      ->capture_default_str();
  app.add_option("--max-requests-inflight", o->max_requests_inflight,
                 "concurrent read requests before 429 (0 = unlimited)")
      ->capture_default_str();
  app.add_option("--max-mutating-requests-inflight", o->max_mutating_requests_inflight,
                 "concurrent write requests before 429 (0 = unlimited)")
      ->capture_default_str();
  app.add_option("--min-request-timeout", o->min_request_timeout_s,
                 "watch timeout floor in seconds (a watch without timeoutSeconds lasts "
                 "between this and twice this)")
      ->capture_default_str();
  app.add_option("--request-timeout", o->request_timeout_s,
                 "seconds a non-watch request may take")
      ->capture_default_str();
  app.add_option("--shutdown-grace-period", o->shutdown_grace_s,
                 "seconds in-flight requests get to finish after SIGTERM")
      ->capture_default_str();
  app.add_option("--handler-threads", o->handler_threads, "threads serving requests")
      ->capture_default_str();
  app.add_option("--enable-admission-plugins", o->enable_admission_plugins,
                 "admission plugins to enable besides the defaults")
      ->delimiter(',');
  app.add_option("--disable-admission-plugins", o->disable_admission_plugins,
                 "default admission plugins to disable")
      ->delimiter(',');
  app.add_option("--namespace-finalizer", o->namespace_finalizer,
                 "empty and finalize terminating namespaces in-process (until a controller "
                 "manager does it)")
      ->capture_default_str();
  app.add_option("--log-file", o->log_file, "write log lines to this file instead of stderr");
  common::cli::AddVerbosityFlag(app);
}

common::Status Options::Validate() {
  auto usage = [](const std::string& m) { return common::Status::BadRequest(m); };
  if (secure_port < 0 || secure_port > 65535) return usage("--secure-port must be 0..65535");
  if (insecure_port < 0 || insecure_port > 65535) return usage("--insecure-port must be 0..65535");
  if (tls_cert_file.empty() != tls_private_key_file.empty())
    return usage("--tls-cert-file and --tls-private-key-file go together");
  if (etcd_servers.empty() && data_dir.empty())
    return usage("either --etcd-servers or --data-dir is required");
  if (etcd_prefix.empty() || etcd_prefix[0] != '/')
    return usage("--etcd-prefix must start with '/'");
  while (etcd_prefix.size() > 1 && etcd_prefix.back() == '/') etcd_prefix.pop_back();
  for (const auto& w : watch_cache_sizes) {
    auto hash = w.find('#');
    auto n = hash == std::string::npos ? std::nullopt : common::ParseInt64(w.substr(hash + 1));
    if (!n || *n < 0) return usage("invalid --watch-cache-sizes entry '" + w + "'");
    watch_cache_size_by_resource[w.substr(0, hash)] = static_cast<int>(*n);
  }
  if (default_watch_cache_size < 1) return usage("--default-watch-cache-size must be >= 1");
  {
    auto slash = service_cluster_ip_range.find('/');
    in_addr a{};
    auto bits = slash == std::string::npos
                    ? std::nullopt
                    : common::ParseInt64(service_cluster_ip_range.substr(slash + 1));
    if (!bits || *bits < 8 || *bits > 30 ||
        inet_pton(AF_INET, service_cluster_ip_range.substr(0, slash).c_str(), &a) != 1)
      return usage("invalid --service-cluster-ip-range '" + service_cluster_ip_range +
                   "' (an IPv4 CIDR of /8 to /30)");
    service_cidr_bits = static_cast<int>(*bits);
    uint32_t mask = service_cidr_bits == 0 ? 0 : ~uint32_t{0} << (32 - service_cidr_bits);
    service_cidr_base = ntohl(a.s_addr) & mask;
  }
  {
    auto dash = service_node_port_range.find('-');
    auto lo = dash == std::string::npos ? std::nullopt
                                        : common::ParseInt64(service_node_port_range.substr(0, dash));
    auto hi = dash == std::string::npos ? std::nullopt
                                        : common::ParseInt64(service_node_port_range.substr(dash + 1));
    if (!lo || !hi || *lo < 1 || *hi > 65535 || *lo > *hi)
      return usage("invalid --service-node-port-range '" + service_node_port_range + "'");
    node_port_min = static_cast<int>(*lo);
    node_port_max = static_cast<int>(*hi);
  }
  if (max_requests_inflight < 0 || max_mutating_requests_inflight < 0)
    return usage("--max-requests-inflight values must be >= 0");
  if (min_request_timeout_s < 1) return usage("--min-request-timeout must be >= 1");
  if (handler_threads < 1) return usage("--handler-threads must be >= 1");
  return common::Status::Ok();
}

}  // namespace apiserve
