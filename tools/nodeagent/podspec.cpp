#include "podspec.h"

#include <set>

namespace nodeagent {

using common::Json;
using common::Quantity;

namespace {

int64_t Milli(const std::map<std::string, Quantity>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second.MilliValue();
}
int64_t Value(const std::map<std::string, Quantity>& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second.Value();
}

std::vector<std::string> Strings(const Json& arr) {
  std::vector<std::string> out;
  if (!arr.is_array()) return out;
  for (const auto& v : arr)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::map<std::string, std::string> StringMap(const Json& obj) {
  std::map<std::string, std::string> out;
  if (!obj.is_object()) return out;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
  return out;
}

int GetIntField(const Json& obj, std::string_view key, int fallback) {
  const Json& v = common::Get(obj, key);
  return v.is_number_integer() ? v.get<int>() : fallback;
}

std::optional<int64_t> OptInt(const Json& obj, std::string_view key) {
  const Json& v = common::Get(obj, key);
  if (v.is_number_integer()) return v.get<int64_t>();
  return std::nullopt;
}

PortRef ParsePort(const Json& v) {
  PortRef p;
  if (v.is_number_integer()) p.number = v.get<int>();
  else if (v.is_string()) {
    const std::string s = v.get<std::string>();
    bool numeric = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
    if (numeric) p.number = std::stoi(s);
    else p.name = s;
  }
  return p;
}

common::Result<std::map<std::string, Quantity>> ParseResourceList(const Json& obj,
                                                                  const std::string& field) {
  std::map<std::string, Quantity> out;
  if (!obj.is_object()) return out;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    auto q = Quantity::FromJson(it.value());
    if (!q.ok())
      return common::Status::Invalid(field + "[" + it.key() + "]: " + q.status().message());
    out[it.key()] = *q;
  }
  return out;
}

std::optional<ProbeSpec> ParseProbe(const Json& obj) {
  if (!obj.is_object()) return std::nullopt;
  ProbeSpec p;
  p.handler = ParseHandler(obj);
  p.initial_delay_seconds = GetIntField(obj, "initialDelaySeconds", 0);
  p.period_seconds = GetIntField(obj, "periodSeconds", 10);
  p.timeout_seconds = GetIntField(obj, "timeoutSeconds", 1);
  p.success_threshold = GetIntField(obj, "successThreshold", 1);
  p.failure_threshold = GetIntField(obj, "failureThreshold", 3);
  // Zero means "unset" to the defaulting code, as upstream's SetDefaults_Probe.
  if (p.period_seconds <= 0) p.period_seconds = 10;
  if (p.timeout_seconds <= 0) p.timeout_seconds = 1;
  if (p.success_threshold <= 0) p.success_threshold = 1;
  if (p.failure_threshold <= 0) p.failure_threshold = 3;
  if (p.initial_delay_seconds < 0) p.initial_delay_seconds = 0;
  p.termination_grace_period_seconds = OptInt(obj, "terminationGracePeriodSeconds");
  return p;
}

std::string DefaultPullPolicy(const std::string& image) {
  // Upstream: ":latest" or no tag means Always, anything else IfNotPresent.
  if (image.find('@') != std::string::npos) return "IfNotPresent";
  auto slash = image.rfind('/');
  auto colon = image.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "Always";
  return image.substr(colon + 1) == "latest" ? "Always" : "IfNotPresent";
}

common::Result<ContainerSpec> ParseContainer(const Json& c, bool init, const std::string& field) {
  ContainerSpec s;
  s.init = init;
  s.name = common::GetString(c, "name");
  if (s.name.empty()) return common::Status::Invalid(field + ".name: Required value");
  s.image = common::GetString(c, "image");
  s.image_pull_policy = common::GetString(c, "imagePullPolicy");
  if (s.image_pull_policy.empty()) s.image_pull_policy = DefaultPullPolicy(s.image);
  s.command = Strings(common::Get(c, "command"));
  s.args = Strings(common::Get(c, "args"));
  s.working_dir = common::GetString(c, "workingDir");
  for (const auto& e : common::Get(c, "env")) {
    EnvVar v;
    v.name = common::GetString(e, "name");
    v.value = common::GetString(e, "value");
    v.value_from = common::Get(e, "valueFrom");
    if (!v.name.empty()) s.env.push_back(std::move(v));
  }
  s.env_from = common::Get(c, "envFrom");
  for (const auto& p : common::Get(c, "ports")) {
    ContainerPort port;
    port.name = common::GetString(p, "name");
    port.container_port = GetIntField(p, "containerPort", 0);
    port.host_port = GetIntField(p, "hostPort", 0);
    port.protocol = common::GetString(p, "protocol", "TCP");
    port.host_ip = common::GetString(p, "hostIP");
    s.ports.push_back(port);
  }
  for (const auto& m : common::Get(c, "volumeMounts")) {
    VolumeMount vm;
    vm.name = common::GetString(m, "name");
    vm.mount_path = common::GetString(m, "mountPath");
    vm.sub_path = common::GetString(m, "subPath");
    vm.read_only = common::GetBool(m, "readOnly");
    s.volume_mounts.push_back(std::move(vm));
  }
  const Json& res = common::Get(c, "resources");
  ASSIGN_OR_RETURN(s.resources.limits,
                   ParseResourceList(common::Get(res, "limits"), field + ".resources.limits"));
  ASSIGN_OR_RETURN(s.resources.requests,
                   ParseResourceList(common::Get(res, "requests"), field + ".resources.requests"));
  // The API server defaults a missing request to the limit (SetDefaults_Container).
  for (const auto& [name, q] : s.resources.limits)
    if (!s.resources.requests.count(name)) s.resources.requests[name] = q;
  s.liveness = ParseProbe(common::Get(c, "livenessProbe"));
  s.readiness = ParseProbe(common::Get(c, "readinessProbe"));
  s.startup = ParseProbe(common::Get(c, "startupProbe"));
  const Json& lc = common::Get(c, "lifecycle");
  if (common::Get(lc, "postStart").is_object())
    s.post_start = ParseHandler(common::Get(lc, "postStart"));
  if (common::Get(lc, "preStop").is_object())
    s.pre_stop = ParseHandler(common::Get(lc, "preStop"));
  s.restart_policy = common::GetString(c, "restartPolicy");
  const Json& sc = common::Get(c, "securityContext");
  s.run_as_user = OptInt(sc, "runAsUser");
  s.run_as_group = OptInt(sc, "runAsGroup");
  s.termination_message_path =
      common::GetString(c, "terminationMessagePath", "/dev/termination-log");
  s.termination_message_policy = common::GetString(c, "terminationMessagePolicy", "File");
  return s;
}

}  // namespace

int64_t ResourceRequirements::CpuRequestMilli() const { return Milli(requests, "cpu"); }
int64_t ResourceRequirements::CpuLimitMilli() const { return Milli(limits, "cpu"); }
int64_t ResourceRequirements::MemoryRequest() const { return Value(requests, "memory"); }
int64_t ResourceRequirements::MemoryLimit() const { return Value(limits, "memory"); }

Handler ParseHandler(const Json& obj) {
  Handler h;
  if (const Json& e = common::Get(obj, "exec"); e.is_object()) {
    h.kind = Handler::Kind::kExec;
    h.command = Strings(common::Get(e, "command"));
  } else if (const Json& g = common::Get(obj, "httpGet"); g.is_object()) {
    h.kind = Handler::Kind::kHttpGet;
    h.path = common::GetString(g, "path", "/");
    if (h.path.empty() || h.path[0] != '/') h.path = "/" + h.path;
    h.host = common::GetString(g, "host");
    h.scheme = common::GetString(g, "scheme", "HTTP");
    h.port = ParsePort(common::Get(g, "port"));
    for (const auto& hd : common::Get(g, "httpHeaders"))
      h.headers.emplace_back(common::GetString(hd, "name"), common::GetString(hd, "value"));
  } else if (const Json& t = common::Get(obj, "tcpSocket"); t.is_object()) {
    h.kind = Handler::Kind::kTcpSocket;
    h.host = common::GetString(t, "host");
    h.port = ParsePort(common::Get(t, "port"));
  } else if (const Json& r = common::Get(obj, "grpc"); r.is_object()) {
    h.kind = Handler::Kind::kGrpc;
    h.port = ParsePort(common::Get(r, "port"));
    h.grpc_service = common::GetString(r, "service");
  } else if (const Json& s = common::Get(obj, "sleep"); s.is_object()) {
    h.kind = Handler::Kind::kSleep;
    h.sleep_seconds = common::GetInt(s, "seconds");
  }
  return h;
}

std::vector<const ContainerSpec*> PodSpec::AllContainers() const {
  std::vector<const ContainerSpec*> out;
  for (const auto& c : init_containers) out.push_back(&c);
  for (const auto& c : containers) out.push_back(&c);
  return out;
}

const ContainerSpec* PodSpec::FindContainer(const std::string& n) const {
  for (const auto* c : AllContainers())
    if (c->name == n) return c;
  return nullptr;
}

const Json& PodSpec::Raw() const {
  static const Json kNull;
  return raw ? *raw : kNull;
}

common::Result<PodSpec> ParsePod(const Json& pod) { return ParsePod(std::make_shared<const Json>(pod)); }

common::Result<PodSpec> ParsePod(std::shared_ptr<const Json> shared) {
  const Json& pod = *shared;
  if (!pod.is_object()) return common::Status::Invalid("a pod must be a JSON object");
  PodSpec p;
  p.raw = std::move(shared);
  const Json& md = common::Get(pod, "metadata");
  p.uid = common::GetString(md, "uid");
  p.name = common::GetString(md, "name");
  p.generate_name = common::GetString(md, "generateName");
  p.ns = common::GetString(md, "namespace", "default");
  if (p.ns.empty()) p.ns = "default";
  p.labels = StringMap(common::Get(md, "labels"));
  p.annotations = StringMap(common::Get(md, "annotations"));
  p.creation_timestamp = common::GetString(md, "creationTimestamp");
  p.deletion_timestamp = common::GetString(md, "deletionTimestamp");
  p.deletion_grace_period_seconds = OptInt(md, "deletionGracePeriodSeconds");
  if (p.name.empty()) return common::Status::Invalid("metadata.name: Required value");

  const Json& spec = common::Get(pod, "spec");
  p.node_name = common::GetString(spec, "nodeName");
  p.restart_policy = common::GetString(spec, "restartPolicy", "Always");
  if (p.restart_policy.empty()) p.restart_policy = "Always";
  if (p.restart_policy != "Always" && p.restart_policy != "OnFailure" &&
      p.restart_policy != "Never")
    return common::Status::Invalid("spec.restartPolicy: Unsupported value: \"" +
                                   p.restart_policy +
                                   "\": supported values: \"Always\", \"OnFailure\", \"Never\"");
  if (auto g = OptInt(spec, "terminationGracePeriodSeconds")) p.termination_grace_period_seconds = *g;
  if (p.termination_grace_period_seconds < 0) p.termination_grace_period_seconds = 0;
  p.active_deadline_seconds = OptInt(spec, "activeDeadlineSeconds");
  std::set<std::string> names;
  int i = 0;
  for (const auto& c : common::Get(spec, "initContainers")) {
    ASSIGN_OR_RETURN(auto cs, ParseContainer(c, true, "spec.initContainers[" + std::to_string(i++) + "]"));
    if (!names.insert(cs.name).second)
      return common::Status::Invalid("spec.initContainers[" + std::to_string(i - 1) +
                                     "].name: Duplicate value: \"" + cs.name + "\"");
    p.init_containers.push_back(std::move(cs));
  }
  i = 0;
  for (const auto& c : common::Get(spec, "containers")) {
    ASSIGN_OR_RETURN(auto cs, ParseContainer(c, false, "spec.containers[" + std::to_string(i++) + "]"));
    if (!names.insert(cs.name).second)
      return common::Status::Invalid("spec.containers[" + std::to_string(i - 1) +
                                     "].name: Duplicate value: \"" + cs.name + "\"");
    p.containers.push_back(std::move(cs));
  }
  if (p.containers.empty()) return common::Status::Invalid("spec.containers: Required value");
  for (const auto& v : common::Get(spec, "volumes")) p.volumes.push_back(v);
  p.host_network = common::GetBool(spec, "hostNetwork");
  p.hostname = common::GetString(spec, "hostname");
  p.subdomain = common::GetString(spec, "subdomain");
  p.service_account_name = common::GetString(spec, "serviceAccountName", "default");
  p.priority_class_name = common::GetString(spec, "priorityClassName");
  p.priority = static_cast<int32_t>(common::GetInt(spec, "priority", 0));
  p.node_selector = StringMap(common::Get(spec, "nodeSelector"));
  p.affinity = common::Get(spec, "affinity");
  for (const auto& t : common::Get(spec, "tolerations")) {
    Toleration tol;
    tol.key = common::GetString(t, "key");
    tol.op = common::GetString(t, "operator", "Equal");
    if (tol.op.empty()) tol.op = "Equal";
    tol.value = common::GetString(t, "value");
    tol.effect = common::GetString(t, "effect");
    tol.toleration_seconds = OptInt(t, "tolerationSeconds");
    p.tolerations.push_back(std::move(tol));
  }
  p.os_name = common::GetString(common::Get(spec, "os"), "name");
  p.fs_group = OptInt(common::Get(spec, "securityContext"), "fsGroup");
  return p;
}

}  // namespace nodeagent
