#include "service_pods.h"

#include <algorithm>

#include "../controller.h"

namespace reconcile {

bool ServiceHasSelector(const Json& svc) {
  const Json& spec = common::Get(svc, "spec");
  if (common::GetString(spec, "type") == "ExternalName") return false;
  const Json& sel = common::Get(spec, "selector");
  return sel.is_object() && !sel.empty();
}

void WatchServicesAndPods(common::Informer& services, common::Informer& pods,
                          std::chrono::milliseconds resync,
                          const std::function<void(const std::string& key)>& enqueue) {
  for (auto* inf : {&services, &pods})
    ControllerContext::EnsureIndex(*inf, common::kNamespaceIndex, common::IndexByNamespace);
  ControllerContext::EnsureIndex(pods, kLabelIndex, IndexByNamespacedLabels);
  common::ResourceEventHandler sh;
  sh.on_add = [enqueue](const ObjectPtr& s) { enqueue(common::MetaNamespaceKey(*s)); };
  sh.on_update = [enqueue](const ObjectPtr&, const ObjectPtr& s) { enqueue(common::MetaNamespaceKey(*s)); };
  sh.on_delete = [enqueue](const ObjectPtr& s, bool) { enqueue(common::MetaNamespaceKey(*s)); };
  services.AddEventHandler(sh, resync);

  const common::Store* cache = &services.store();
  auto selecting = [cache, enqueue](const Json& pod) {
    for (const auto& key : ServicesSelecting(*cache, pod)) enqueue(key);
  };
  common::ResourceEventHandler ph;
  ph.on_add = [selecting](const ObjectPtr& p) { selecting(*p); };
  ph.on_update = [selecting](const ObjectPtr& a, const ObjectPtr& b) {
    if (ResourceVersion(*a) == ResourceVersion(*b)) return;
    selecting(*b);
    if (common::GetPath(*a, {"metadata", "labels"}) != common::GetPath(*b, {"metadata", "labels"}))
      selecting(*a);
  };
  ph.on_delete = [selecting](const ObjectPtr& p, bool) { selecting(*p); };
  pods.AddEventHandler(ph);
}

std::vector<std::string> IndexByNamespacedLabels(const Json& object) {
  std::vector<std::string> out;
  const Json& labels = common::GetPath(object, {"metadata", "labels"});
  if (!labels.is_object()) return out;
  const std::string& ns = Namespace(object);
  for (const auto& [k, v] : labels.items())
    if (v.is_string()) out.push_back(ns + "/" + k + "=" + v.get<std::string>());
  return out;
}

std::vector<ObjectPtr> PodsForService(const common::Store& pods, const Json& svc) {
  std::vector<ObjectPtr> out;
  if (!ServiceHasSelector(svc)) return out;
  common::Labels wanted = common::LabelsFromJson(common::GetPath(svc, {"spec", "selector"}));
  auto selector = common::LabelSelector::FromMap(wanted);
  std::vector<ObjectPtr> candidates;
  if (pods.HasIndex(kLabelIndex)) {
    // Every match carries every pair, so the smallest set holds them all.
    std::vector<std::string> keys;
    bool first = true;
    for (const auto& [k, v] : wanted) {
      auto pair_keys = pods.IndexKeys(kLabelIndex, Namespace(svc) + "/" + k + "=" + v);
      if (first || pair_keys.size() < keys.size()) keys = std::move(pair_keys);
      first = false;
      if (keys.empty()) break;
    }
    for (const auto& key : keys)
      if (ObjectPtr p = pods.Get(key)) candidates.push_back(std::move(p));
  } else {
    candidates = pods.List(Namespace(svc));
  }
  // Matched again: a pod may have changed between the index read and Get.
  for (auto& p : candidates)
    if (selector.Matches(common::GetPath(*p, {"metadata", "labels"}))) out.push_back(std::move(p));
  return out;
}

std::set<std::string> ServicesSelecting(const common::Store& services, const Json& pod) {
  std::set<std::string> out;
  common::Labels labels = LabelsOf(pod);
  for (const auto& svc : services.List(Namespace(pod))) {
    if (!ServiceHasSelector(*svc)) continue;
    auto selector = common::LabelSelector::FromMap(
        common::LabelsFromJson(common::GetPath(*svc, {"spec", "selector"})));
    if (selector.Matches(labels)) out.insert(common::MetaNamespaceKey(*svc));
  }
  return out;
}

std::optional<int64_t> FindPort(const Json& pod, const Json& service_port) {
  const Json& target = common::Get(service_port, "targetPort");
  if (target.is_number_integer()) return target.get<int64_t>();
  if (target.is_null()) return common::GetInt(service_port, "port");
  if (!target.is_string()) return std::nullopt;
  const std::string& name = target.get_ref<const std::string&>();
  // A numeric string is a number (intstr parsed from YAML as a string).
  if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) return std::stoll(name);
  std::string protocol = common::GetString(service_port, "protocol", "TCP");
  const Json& containers = common::GetPath(pod, {"spec", "containers"});
  if (!containers.is_array()) return std::nullopt;
  for (const auto& c : containers) {
    const Json& ports = common::Get(c, "ports");
    if (!ports.is_array()) continue;
    for (const auto& p : ports)
      if (common::GetString(p, "name") == name &&
          common::GetString(p, "protocol", "TCP") == protocol)
        return common::GetInt(p, "containerPort");
  }
  return std::nullopt;
}

bool ShouldPodBeInEndpoints(const Json& pod, bool include_terminating) {
  if (PodIPs(pod).empty()) return false;
  if (!include_terminating && IsDeleting(pod)) return false;
  std::string phase = common::GetString(common::Get(pod, "status"), "phase");
  std::string policy = common::GetString(common::Get(pod, "spec"), "restartPolicy", "Always");
  if (policy == "Never") return phase != "Failed" && phase != "Succeeded";
  if (policy == "OnFailure") return phase != "Succeeded";
  return true;
}

std::string EndpointHostname(const Json& pod, const Json& svc) {
  const Json& spec = common::Get(pod, "spec");
  std::string hostname = common::GetString(spec, "hostname");
  if (!hostname.empty() && common::GetString(spec, "subdomain") == Name(svc) &&
      Namespace(pod) == Namespace(svc))
    return hostname;
  return "";
}

std::vector<std::string> PodIPs(const Json& pod) {
  std::vector<std::string> out;
  const Json& status = common::Get(pod, "status");
  const Json& ips = common::Get(status, "podIPs");
  if (ips.is_array())
    for (const auto& ip : ips) {
      std::string s = common::GetString(ip, "ip");
      if (!s.empty()) out.push_back(s);
    }
  if (out.empty()) {
    std::string ip = common::GetString(status, "podIP");
    if (!ip.empty()) out.push_back(ip);
  }
  return out;
}

bool IsIPv6(const std::string& ip) { return ip.find(':') != std::string::npos; }

}  // namespace reconcile
