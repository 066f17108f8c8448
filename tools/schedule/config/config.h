// KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1): reading,
// defaulting and validation with upstream's rules, so a file written for
// kube-scheduler's --config works here. Every error names the field
// ("profiles[0].plugins.score.enabled[1].weight: Invalid value: ...").
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace schedule {

struct PluginRef {
  std::string name;
  int32_t weight = 0;  // score plugins; 0 means the plugin's default
};

struct PluginSet {
  std::vector<PluginRef> enabled;
  std::vector<PluginRef> disabled;
};

// The extension points of a profile, in upstream's order, and MultiPoint.
struct Plugins {
  PluginSet pre_enqueue, queue_sort, pre_filter, filter, post_filter, pre_score, score, reserve,
      permit, pre_bind, bind, post_bind, multi_point;
};

struct PluginArgs {
  common::Json args;   // the "args" object (kind/apiVersion allowed, ignored)
  std::string field;   // "profiles[0].pluginConfig[2].args", for messages
};

struct Profile {
  std::string scheduler_name = "default-scheduler";
  std::optional<int32_t> percentage_of_nodes_to_score;
  Plugins plugins;  // after merging with the default MultiPoint set
  std::map<std::string, PluginArgs> plugin_config;
  int index = 0;  // position in profiles[], for messages
};

struct LeaderElectionConfig {
  bool leader_elect = true;
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
  std::string resource_lock = "leases";
  std::string resource_name = "kube-scheduler";
  std::string resource_namespace = "kube-system";
};

struct ClientConnectionConfig {
  std::string kubeconfig;
  double qps = 50;
  int burst = 100;
};

struct Configuration {
  int32_t parallelism = 16;
  int32_t percentage_of_nodes_to_score = 0;  // 0: adaptive
  int64_t pod_initial_backoff_seconds = 1;
  int64_t pod_max_backoff_seconds = 10;
  std::vector<Profile> profiles;
  LeaderElectionConfig leader_election;
  ClientConnectionConfig client_connection;
};

// The configuration kube-scheduler runs with when given none: one
// "default-scheduler" profile with the default plugins.
Configuration DefaultConfiguration();

// Parses a KubeSchedulerConfiguration document (YAML or JSON), merges each
// profile's plugins with the defaults as upstream's v1 defaulting does, and
// validates it. Returns Invalid with the field named on error.
common::Result<Configuration> ParseConfiguration(const std::string& text);
// ReadFile + ParseConfiguration; errors are prefixed with the path.
common::Result<Configuration> LoadConfiguration(const std::string& path);

// Upstream's default MultiPoint plugin list, in order, with score weights.
const std::vector<PluginRef>& DefaultMultiPointPlugins();

// Parses a Go duration ("15s", "1m30s", "250ms").
std::optional<std::chrono::milliseconds> ParseGoDuration(std::string_view text);

// The configuration as kube-scheduler would print it (apiVersion/kind and
// every profile's merged plugin sets), for `schedule config`.
common::Json ConfigurationToJson(const Configuration& config);

}  // namespace schedule
