// The parts of a v1.Pod the node acts on, parsed once from the pod's JSON
// with the API server's defaults applied (so static pods from files behave
// like pods from the API).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/quantity.h"
#include "common/status.h"

namespace nodeagent {

// requests/limits of one container, by resource name ("cpu", "memory", ...).
struct ResourceRequirements {
  std::map<std::string, common::Quantity> requests;
  std::map<std::string, common::Quantity> limits;

  // Millicores / bytes; 0 when absent.
  int64_t CpuRequestMilli() const;
  int64_t CpuLimitMilli() const;
  int64_t MemoryRequest() const;
  int64_t MemoryLimit() const;
  bool HasLimit(const std::string& name) const { return limits.count(name) > 0; }
};

// A port number or a named port ("http") as IntOrString allows.
struct PortRef {
  int number = 0;
  std::string name;
};

// One of the handlers probes and lifecycle hooks use.
struct Handler {
  enum class Kind { kNone, kExec, kHttpGet, kTcpSocket, kGrpc, kSleep };
  Kind kind = Kind::kNone;
  std::vector<std::string> command;  // exec
  std::string path = "/";            // httpGet
  std::string host;                  // httpGet/tcpSocket; "" is the pod IP
  std::string scheme = "HTTP";       // httpGet: HTTP or HTTPS
  std::vector<std::pair<std::string, std::string>> headers;  // httpGet
  PortRef port;                      // httpGet/tcpSocket/grpc
  std::string grpc_service;          // grpc
  int64_t sleep_seconds = 0;         // sleep
};

// A probe with upstream's defaults (pkg/apis/core/v1/defaults.go).
struct ProbeSpec {
  Handler handler;
  int initial_delay_seconds = 0;
  int period_seconds = 10;
  int timeout_seconds = 1;
  int success_threshold = 1;
  int failure_threshold = 3;
  std::optional<int64_t> termination_grace_period_seconds;
};

struct EnvVar {
  std::string name;
  std::string value;
  common::Json value_from;  // null when `value` is used
};

struct VolumeMount {
  std::string name;
  std::string mount_path;
  std::string sub_path;
  bool read_only = false;
};

struct ContainerPort {
  std::string name;
  int container_port = 0;
  int host_port = 0;
  std::string protocol = "TCP";
  std::string host_ip;
};

struct ContainerSpec {
  std::string name;
  std::string image;
  std::string image_pull_policy;  // defaulted from the tag as upstream
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::string working_dir;
  std::vector<EnvVar> env;
  common::Json env_from;  // array or null
  std::vector<ContainerPort> ports;
  std::vector<VolumeMount> volume_mounts;
  ResourceRequirements resources;
  std::optional<ProbeSpec> liveness, readiness, startup;
  std::optional<Handler> post_start, pre_stop;
  // "Always" on an init container makes it a sidecar (restartable init container).
  std::string restart_policy;
  std::optional<int64_t> run_as_user, run_as_group;
  std::string termination_message_path = "/dev/termination-log";
  std::string termination_message_policy = "File";
  bool init = false;  // declared under initContainers

  bool IsSidecar() const { return init && restart_policy == "Always"; }
};

struct Toleration {
  std::string key, op = "Equal", value, effect;
  std::optional<int64_t> toleration_seconds;
};

struct PodSpec {
  // metadata
  std::string uid, name, ns, generate_name;
  std::map<std::string, std::string> labels, annotations;
  std::string creation_timestamp;
  std::string deletion_timestamp;  // "" when not being deleted
  std::optional<int64_t> deletion_grace_period_seconds;
  // spec
  std::string node_name;
  std::string restart_policy = "Always";
  int64_t termination_grace_period_seconds = 30;
  std::optional<int64_t> active_deadline_seconds;
  std::vector<ContainerSpec> init_containers;
  std::vector<ContainerSpec> containers;
  std::vector<common::Json> volumes;  // v1.Volume objects, interpreted by volumes.cpp
  bool host_network = false;
  std::string hostname, subdomain;
  std::string service_account_name = "default";
  std::string priority_class_name;
  int32_t priority = 0;
  std::map<std::string, std::string> node_selector;
  common::Json affinity;  // null when absent
  std::vector<Toleration> tolerations;
  std::string os_name;    // spec.os.name, "" when unset
  std::optional<int64_t> fs_group;

  // The whole pod as received, shared (never copied) with the informer's
  // cache: at 50,000 fake pods a private copy per pod was a third of
  // nodeagent's memory. Null only in a copy kept for admission.
  std::shared_ptr<const common::Json> raw;

  // *raw, or a null Json when raw is unset.
  const common::Json& Raw() const;

  // "namespace/name", for logs and keys.
  std::string FullName() const { return ns + "/" + name; }
  // Containers and init containers, init first, in declaration order.
  std::vector<const ContainerSpec*> AllContainers() const;
  const ContainerSpec* FindContainer(const std::string& name) const;
};

// Parses a v1.Pod. Defaults are applied where the API server would have
// (restartPolicy, grace period, probe fields, requests from limits,
// imagePullPolicy, namespace "default"). Returns Invalid naming the field for
// a pod the node cannot run at all (no containers, a container without a
// name, duplicate names, bad quantities).
common::Result<PodSpec> ParsePod(const common::Json& pod);
// The same, keeping `pod` itself (not a copy) as raw. `pod` must not be null.
common::Result<PodSpec> ParsePod(std::shared_ptr<const common::Json> pod);

// Parses a probe or lifecycle handler object ({"exec": ...} / {"httpGet": ...}).
Handler ParseHandler(const common::Json& obj);

}  // namespace nodeagent
