#include "admission.h"

#include <set>
#include <tuple>

#include "common/strings.h"
#include "qos.h"

namespace nodeagent {

using common::Json;

namespace {

bool MatchExpression(const Json& expr, const std::function<std::optional<std::string>(const std::string&)>& get) {
  std::string key = common::GetString(expr, "key"), op = common::GetString(expr, "operator");
  std::vector<std::string> values;
  for (const auto& v : common::Get(expr, "values"))
    if (v.is_string()) values.push_back(v.get<std::string>());
  auto val = get(key);
  auto in = [&] {
    for (const auto& v : values)
      if (val && *val == v) return true;
    return false;
  };
  if (op == "In") return in();
  if (op == "NotIn") return !in();
  if (op == "Exists") return val.has_value();
  if (op == "DoesNotExist") return !val.has_value();
  if (op == "Gt" || op == "Lt") {
    if (!val || values.size() != 1) return false;
    auto a = common::ParseInt64(*val), b = common::ParseInt64(values[0]);
    if (!a || !b) return false;
    return op == "Gt" ? *a > *b : *a < *b;
  }
  return false;
}

bool MatchTerm(const Json& term, const NodeState& node) {
  const Json& exprs = common::Get(term, "matchExpressions");
  const Json& fields = common::Get(term, "matchFields");
  if ((!exprs.is_array() || exprs.empty()) && (!fields.is_array() || fields.empty())) return false;
  auto label = [&](const std::string& k) -> std::optional<std::string> {
    auto it = node.labels.find(k);
    if (it == node.labels.end()) return std::nullopt;
    return it->second;
  };
  auto field = [&](const std::string& k) -> std::optional<std::string> {
    if (k == "metadata.name") return node.name;
    return std::nullopt;
  };
  for (const auto& e : exprs.is_array() ? exprs : Json::array())
    if (!MatchExpression(e, label)) return false;
  for (const auto& e : fields.is_array() ? fields : Json::array())
    if (!MatchExpression(e, field)) return false;
  return true;
}

std::string Amount(const std::string& name, const common::Quantity& q) {
  // Upstream prints cpu in millicores and everything else as an integer.
  return std::to_string(name == "cpu" ? q.MilliValue() : q.Value());
}

}  // namespace

bool MatchesNodeAffinity(const PodSpec& pod, const NodeState& node) {
  for (const auto& [k, v] : pod.node_selector) {
    auto it = node.labels.find(k);
    if (it == node.labels.end() || it->second != v) return false;
  }
  const Json& req = common::GetPath(pod.affinity, {"nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"});
  if (!req.is_object()) return true;
  const Json& terms = common::Get(req, "nodeSelectorTerms");
  if (!terms.is_array()) return true;
  for (const auto& t : terms)
    if (MatchTerm(t, node)) return true;
  return false;
}

bool Tolerates(const std::vector<Toleration>& tolerations, const Taint& taint) {
  for (const auto& t : tolerations) {
    if (!t.effect.empty() && t.effect != taint.effect) continue;
    if (t.op == "Exists") {
      if (t.key.empty() || t.key == taint.key) return true;
      continue;
    }
    if (t.key == taint.key && t.value == taint.value) return true;
  }
  return false;
}

common::Result<std::vector<Taint>> ParseTaints(const std::string& text) {
  std::vector<Taint> out;
  for (const auto& item : common::SplitNonEmpty(text, ',')) {
    auto colon = item.rfind(':');
    if (colon == std::string::npos)
      return common::Status::BadRequest("invalid taint spec: " + item);
    Taint t;
    t.effect = item.substr(colon + 1);
    std::string kv = item.substr(0, colon);
    auto eq = kv.find('=');
    t.key = kv.substr(0, eq);
    if (eq != std::string::npos) t.value = kv.substr(eq + 1);
    if (t.effect != "NoSchedule" && t.effect != "PreferNoSchedule" && t.effect != "NoExecute")
      return common::Status::BadRequest("invalid taint effect: " + t.effect +
                                        ", unsupported taint effect");
    if (t.key.empty()) return common::Status::BadRequest("invalid taint spec: " + item);
    out.push_back(t);
  }
  return out;
}

AdmittedPod SummarizeForAdmission(const PodSpec& pod) {
  AdmittedPod s;
  s.requests = PodRequests(pod);
  for (const ContainerSpec* c : pod.AllContainers())
    for (const auto& port : c->ports)
      if (port.host_port > 0)
        s.host_ports.emplace_back(port.protocol, port.host_ip.empty() ? "0.0.0.0" : port.host_ip, port.host_port);
  return s;
}

Admission AdmitPod(const PodSpec& pod, const std::vector<const PodSpec*>& admitted,
                   const NodeState& node, bool is_static) {
  std::vector<AdmittedPod> summaries;
  summaries.reserve(admitted.size());
  for (const PodSpec* p : admitted) summaries.push_back(SummarizeForAdmission(*p));
  std::vector<const AdmittedPod*> ptrs;
  for (const auto& s : summaries) ptrs.push_back(&s);
  return AdmitPodAgainst(pod, ptrs, node, is_static);
}

Admission AdmitPodAgainst(const PodSpec& pod, const std::vector<const AdmittedPod*>& admitted,
                          const NodeState& node, bool is_static) {
  Admission a;
  auto reject = [&](std::string reason, std::string message) {
    a.admitted = false;
    a.reason = std::move(reason);
    a.message = std::move(message);
    return a;
  };
  // The eviction manager admits nothing BestEffort under memory pressure.
  if (node.memory_pressure && PodQos(pod) == QosClass::kBestEffort && !IsNodeCritical(pod) && !is_static)
    return reject("Evicted", "The node had condition: [MemoryPressure]. ");
  if (!pod.os_name.empty() && pod.os_name != "linux")
    return reject("PodOSNotSupported", "Failed to admit pod as the OS field doesn't match node OS");
  if (!pod.node_name.empty() && pod.node_name != node.name)
    return reject("NodeName", "Predicate NodeName failed: node(s) didn't match the requested node name");

  ResourceList used;
  for (const AdmittedPod* p : admitted)
    for (const auto& [k, v] : p->requests) used[k] += v;
  // Pods count against "pods" whatever they request.
  auto pods_cap = node.allocatable.find("pods");
  if (pods_cap != node.allocatable.end() &&
      static_cast<int64_t>(admitted.size()) + 1 > pods_cap->second.Value())
    return reject("OutOfpods", "Node didn't have enough resource: pods, requested: 1, used: " +
                                   std::to_string(admitted.size()) +
                                   ", capacity: " + std::to_string(pods_cap->second.Value()));
  for (const auto& [name, want] : PodRequests(pod)) {
    if (want.IsZero()) continue;
    auto cap = node.allocatable.find(name);
    common::Quantity capacity = cap == node.allocatable.end() ? common::Quantity() : cap->second;
    common::Quantity in_use = used.count(name) ? used[name] : common::Quantity();
    // Resources the node does not track at all (hugepages on a node that
    // reports none) fail like any other shortage.
    if (in_use + want > capacity)
      return reject("OutOf" + name, "Node didn't have enough resource: " + name +
                                        ", requested: " + Amount(name, want) +
                                        ", used: " + Amount(name, in_use) +
                                        ", capacity: " + Amount(name, capacity));
  }
  if (!MatchesNodeAffinity(pod, node))
    return reject("NodeAffinity",
                  "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector");
  std::set<std::tuple<std::string, std::string, int>> ports;
  for (const AdmittedPod* p : admitted) ports.insert(p->host_ports.begin(), p->host_ports.end());
  for (const ContainerSpec* c : pod.AllContainers())
    for (const auto& port : c->ports) {
      if (port.host_port <= 0) continue;
      std::string ip = port.host_ip.empty() ? "0.0.0.0" : port.host_ip;
      for (const auto& [proto, used_ip, used_port] : ports)
        if (proto == port.protocol && used_port == port.host_port &&
            (ip == "0.0.0.0" || used_ip == "0.0.0.0" || ip == used_ip))
          return reject("NodePorts",
                        "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports");
    }
  if (!is_static)
    for (const auto& t : node.taints)
      if (t.effect == "NoExecute" && !Tolerates(pod.tolerations, t))
        return reject("TaintToleration", "Predicate TaintToleration failed: node(s) had untolerated taint {" +
                                             t.key + ": " + t.value + "}");
  return a;
}

}  // namespace nodeagent
