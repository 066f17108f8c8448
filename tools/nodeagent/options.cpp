#include "options.h"

#include "admission.h"
#include "common/quantity.h"
#include "duration.h"
#include "eviction.h"
#include "ipam.h"
#include "resources.h"

namespace nodeagent {

void AddFlags(CLI::App& app, Options& o) {
  app.add_option("--hostname-override", o.hostname_override,
                 "the node's name instead of the host name");
  app.add_option("--node-ip", o.node_ip, "the node's IP address (default: the first global IPv4 address)");
  app.add_option("--node-labels", o.node_labels, "labels to add to the node: key=value,...");
  app.add_option("--register-with-taints", o.register_with_taints,
                 "taints of the node: key=value:Effect,... (NoExecute taints fail pods that do not tolerate them)");
  app.add_option("--capacity", o.capacity,
                 "the node's capacity instead of the machine's: cpu=4,memory=8Gi,pods=110,...");
  app.add_option("--max-pods", o.max_pods, "the number of pods the node can run")->capture_default_str();
  app.add_option("--kubeconfig", o.kubeconfig,
                 "the API server to register with and take pods from (static pods only without it)");
  app.add_option("--kube-api-qps", o.kube_api_qps, "queries per second to the API server, per node (--fake-nodes N: N times it)")
      ->capture_default_str();
  app.add_option("--kube-api-burst", o.kube_api_burst, "burst of queries to the API server, per node")
      ->capture_default_str();
  app.add_option("--register-node", o.register_node, "register the node with the API server")
      ->capture_default_str();
  app.add_option("--node-status-update-frequency", o.node_status_update_frequency,
                 "how often node status is computed (and posted if it changed)")
      ->capture_default_str();
  app.add_option("--node-status-report-frequency", o.node_status_report_frequency,
                 "how often node status is posted when nothing changed")
      ->capture_default_str();
  app.add_option("--node-lease-duration-seconds", o.node_lease_duration_seconds,
                 "the node Lease's duration; it is renewed every quarter of it")
      ->capture_default_str();
  app.add_option("--fake-nodes", o.fake_nodes,
                 "with --runtime=fake, register and run this many nodes named <name>-0.. from one process")
      ->capture_default_str();
  app.add_option("--pod-manifest-path", o.pod_manifest_path,
                 "a directory of static pod manifests (YAML or JSON), or one file");
  app.add_option("--file-check-frequency", o.file_check_frequency,
                 "how often the manifest directory is rescanned besides inotify")
      ->capture_default_str();
  app.add_option("--root-dir", o.root_dir, "where pod state, volumes and container logs live")
      ->capture_default_str();
  app.add_option("--address", o.address, "the IP address to serve on")->capture_default_str();
  app.add_option("--port", o.port, "the port of the node's HTTP(S) server (0 picks a free one)")
      ->capture_default_str();
  app.add_option("--tls-cert-file", o.tls_cert_file, "certificate for HTTPS (plain HTTP without it)");
  app.add_option("--tls-private-key-file", o.tls_private_key_file, "the certificate's private key");
  app.add_option("--runtime", o.runtime, "process: containers are processes; fake: nothing runs")
      ->capture_default_str();
  app.add_option("--fake-start-delay", o.fake_start_delay,
                 "with --runtime=fake, how long a container takes to start")
      ->capture_default_str();
  app.add_option("--image-dir", o.image_dir,
                 "where image root filesystems are (<dir>/<image>[/rootfs])")
      ->capture_default_str();
  app.add_option("--image-fallback", o.image_fallback,
                 "for an image not under --image-dir: host (run on the host's filesystem) or none "
                 "(fail with ErrImagePull)")
      ->capture_default_str();
  app.add_option("--pod-network", o.pod_network,
                 "host: pods share the node's network; netns: a namespace, veth and IP per pod")
      ->capture_default_str();
  app.add_option("--pod-cidr", o.pod_cidr, "the range pod IPs come from (needed by --pod-network=netns)");
  app.add_option("--pod-bridge", o.pod_bridge, "the bridge pod veths attach to")->capture_default_str();
  app.add_option("--cgroups-per-qos", o.cgroups_per_qos,
                 "create the kubepods cgroup hierarchy and limit pods through it")
      ->capture_default_str();
  app.add_option("--cgroup-root", o.cgroup_root,
                 "the cgroup kubepods goes under; a relative path is taken from nodeagent's own cgroup")
      ->capture_default_str();
  app.add_option("--cgroup-driver", o.cgroup_driver, "only cgroupfs is supported")->capture_default_str();
  app.add_option("--cpu-cfs-quota", o.cpu_cfs_quota, "enforce CPU limits with CFS quota")
      ->capture_default_str();
  app.add_option("--cpu-cfs-quota-period", o.cpu_cfs_quota_period, "the CFS quota period")
      ->capture_default_str();
  app.add_option("--pod-max-pids", o.pod_max_pids, "the pids limit of each pod (-1: unlimited)")
      ->capture_default_str();
  app.add_option("--eviction-hard", o.eviction_hard,
                 "hard eviction thresholds: signal<quantity or percentage,...")
      ->capture_default_str();
  app.add_option("--eviction-pressure-transition-period", o.eviction_pressure_transition_period,
                 "how long a pressure condition stays after its signal clears")
      ->capture_default_str();
  app.add_option("--container-log-max-size", o.container_log_max_size,
                 "a container log file is rotated past this size")
      ->capture_default_str();
  app.add_option("--container-log-max-files", o.container_log_max_files,
                 "log files kept per container, the live one included")
      ->capture_default_str();
}

common::Status Options::Validate() const {
  auto bad = [](const std::string& flag, const std::string& why) {
    return common::Status::BadRequest("invalid " + flag + ": " + why);
  };
  if (runtime != "process" && runtime != "fake") return bad("--runtime", "\"" + runtime + "\" (want process or fake)");
  if (pod_network != "host" && pod_network != "netns")
    return bad("--pod-network", "\"" + pod_network + "\" (want host or netns)");
  if (image_fallback != "host" && image_fallback != "none")
    return bad("--image-fallback", "\"" + image_fallback + "\" (want host or none)");
  if (cgroup_driver != "cgroupfs") return bad("--cgroup-driver", "only cgroupfs is supported");
  if (pod_network == "netns" && runtime == "process" && pod_cidr.empty() && kubeconfig.empty())
    return bad("--pod-cidr", "required with --pod-network=netns (or the Node's spec.podCIDR, with --kubeconfig)");
  if (fake_nodes < 0) return bad("--fake-nodes", "must not be negative");
  if (fake_nodes > 0 && runtime != "fake") return bad("--fake-nodes", "needs --runtime=fake");
  if (fake_nodes > 0 && kubeconfig.empty()) return bad("--fake-nodes", "needs --kubeconfig");
  if (kube_api_qps < 0 || kube_api_burst < 0) return bad("--kube-api-qps", "must not be negative");
  if (node_lease_duration_seconds <= 0) return bad("--node-lease-duration-seconds", "must be positive");
  if (!pod_cidr.empty())
    if (auto c = Ipv4Cidr::Parse(pod_cidr); !c.ok()) return bad("--pod-cidr", c.status().message());
  if (port < 0 || port > 65535) return bad("--port", std::to_string(port));
  if (max_pods <= 0) return bad("--max-pods", "must be positive");
  if (tls_cert_file.empty() != tls_private_key_file.empty())
    return bad("--tls-cert-file", "--tls-cert-file and --tls-private-key-file go together");
  for (auto [flag, value] : {std::pair{"--file-check-frequency", &file_check_frequency},
                             std::pair{"--node-status-update-frequency", &node_status_update_frequency},
                             std::pair{"--node-status-report-frequency", &node_status_report_frequency},
                             std::pair{"--fake-start-delay", &fake_start_delay},
                             std::pair{"--cpu-cfs-quota-period", &cpu_cfs_quota_period},
                             std::pair{"--eviction-pressure-transition-period",
                                       &eviction_pressure_transition_period}})
    if (auto d = ParseDuration(*value); !d.ok()) return bad(flag, d.status().message());
  if (auto d = ParseDuration(cpu_cfs_quota_period); d.ok() &&
      (*d < std::chrono::milliseconds(1) || *d > std::chrono::seconds(1)))
    return bad("--cpu-cfs-quota-period", "must be between 1ms and 1s");
  if (auto c = ParseResourceList(capacity); !c.ok()) return bad("--capacity", c.status().message());
  if (auto t = ParseTaints(register_with_taints); !t.ok())
    return bad("--register-with-taints", t.status().message());
  if (auto e = ParseThresholds(eviction_hard); !e.ok()) return bad("--eviction-hard", e.status().message());
  if (auto q = common::Quantity::Parse(container_log_max_size); !q.ok())
    return bad("--container-log-max-size", q.status().message());
  if (container_log_max_files < 2) return bad("--container-log-max-files", "must be at least 2");
  return common::Status::Ok();
}

}  // namespace nodeagent
