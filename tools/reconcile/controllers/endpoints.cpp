// The Endpoints controller (pkg/controller/endpoint): one core/v1 Endpoints
// per Service with a selector, following its pods' IPs and readiness.
#include "endpoints.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/log.h"
#include "common/strings.h"
#include "controllers.h"
#include "service_pods.h"

namespace reconcile {

namespace {

constexpr char kComponent[] = "endpoint-controller";
constexpr char kOverCapacity[] = "endpoints.kubernetes.io/over-capacity";
constexpr char kHeadlessLabel[] = "service.kubernetes.io/headless";
// endpoints_controller.go: retries before a Service is dropped from the queue.
constexpr int kMaxRetries = 15;

bool ServiceWantsIPv6(const Json& svc) {
  const Json& families = common::GetPath(svc, {"spec", "ipFamilies"});
  if (families.is_array() && !families.empty()) return families[0] == "IPv6";
  return IsIPv6(common::GetString(common::Get(svc, "spec"), "clusterIP"));
}

Json AddressFor(const Json& pod, const Json& svc, const std::string& ip) {
  Json a = {{"ip", ip}};
  std::string hostname = EndpointHostname(pod, svc);
  if (!hostname.empty()) a["hostname"] = hostname;
  std::string node = common::GetString(common::Get(pod, "spec"), "nodeName");
  if (!node.empty()) a["nodeName"] = node;
  a["targetRef"] = {{"kind", "Pod"}, {"namespace", Namespace(pod)}, {"name", Name(pod)},
                    {"uid", Uid(pod)}};
  return a;
}

std::string AddressKey(const Json& a) {
  return common::GetString(a, "ip") + "/" + common::GetString(common::Get(a, "targetRef"), "uid");
}

void SortAddresses(Json& list) {
  std::sort(list.begin(), list.end(), [](const Json& a, const Json& b) {
    return AddressKey(a) < AddressKey(b);
  });
}

}  // namespace

Json BuildEndpointSubsets(const Json& svc, const std::vector<ObjectPtr>& pods, bool* truncated) {
  *truncated = false;
  const bool publish = common::GetBool(common::Get(svc, "spec"), "publishNotReadyAddresses");
  const bool want_v6 = ServiceWantsIPv6(svc);
  const Json& svc_ports = common::GetPath(svc, {"spec", "ports"});
  const bool headless = common::GetString(common::Get(svc, "spec"), "clusterIP") == "None";

  // Each endpoint port (or "no port" for a headless Service without ports)
  // -> the ready and not-ready addresses offering it.
  struct Offer {
    Json port;  // null for "no port"
    std::map<std::string, Json> ready, not_ready;
  };
  std::vector<Offer> offers;
  auto offer_for = [&](const Json& port) -> Offer& {
    for (auto& o : offers)
      if (o.port == port) return o;
    offers.push_back({port, {}, {}});
    return offers.back();
  };

  for (const auto& pod_ptr : pods) {
    const Json& pod = *pod_ptr;
    if (!ShouldPodBeInEndpoints(pod, publish)) continue;
    std::string ip;
    for (const auto& candidate : PodIPs(pod))
      if (IsIPv6(candidate) == want_v6) {
        ip = candidate;
        break;
      }
    if (ip.empty()) continue;
    Json addr = AddressFor(pod, svc, ip);
    bool ready = publish || IsPodReady(pod);
    std::string key = AddressKey(addr);
    if (!svc_ports.is_array() || svc_ports.empty()) {
      if (!headless) continue;
      Offer& o = offer_for(Json());
      (ready ? o.ready : o.not_ready)[key] = addr;
      continue;
    }
    for (const auto& sp : svc_ports) {
      auto port = FindPort(pod, sp);
      if (!port) {
        VLOG(4, "failed to find port for service", {"service", Name(svc)},
             {"pod", Name(pod)});
        continue;
      }
      Json ep = Json::object();
      std::string name = common::GetString(sp, "name");
      if (!name.empty()) ep["name"] = name;
      ep["port"] = *port;
      ep["protocol"] = common::GetString(sp, "protocol", "TCP");
      if (sp.contains("appProtocol")) ep["appProtocol"] = sp["appProtocol"];
      Offer& o = offer_for(ep);
      (ready ? o.ready : o.not_ready)[key] = addr;
    }
  }

  // RepackSubsets: ports offered by exactly the same addresses share a subset.
  std::map<std::string, Json> by_addresses;  // address-set key -> subset
  for (auto& o : offers) {
    std::string key;
    for (const auto& [k, v] : o.ready) key += "r" + k + ",";
    for (const auto& [k, v] : o.not_ready) key += "n" + k + ",";
    if (o.ready.empty() && o.not_ready.empty()) continue;
    Json& subset = by_addresses[key];
    if (subset.is_null()) {
      subset = Json::object();
      Json ready = Json::array(), not_ready = Json::array();
      for (auto& [k, v] : o.ready) ready.push_back(v);
      for (auto& [k, v] : o.not_ready) not_ready.push_back(v);
      SortAddresses(ready);
      SortAddresses(not_ready);
      if (!ready.empty()) subset["addresses"] = std::move(ready);
      if (!not_ready.empty()) subset["notReadyAddresses"] = std::move(not_ready);
    }
    if (!o.port.is_null()) subset["ports"].push_back(o.port);
  }
  Json subsets = Json::array();
  for (auto& [k, s] : by_addresses) {
    if (s.contains("ports"))
      std::sort(s["ports"].begin(), s["ports"].end(), [](const Json& a, const Json& b) {
        return std::make_pair(common::GetString(a, "name"), common::GetInt(a, "port")) <
               std::make_pair(common::GetString(b, "name"), common::GetInt(b, "port"));
      });
    subsets.push_back(std::move(s));
  }
  std::sort(subsets.begin(), subsets.end(), [](const Json& a, const Json& b) {
    return common::Get(a, "ports").dump() < common::Get(b, "ports").dump();
  });

  // Capacity (truncateEndpoints): proportionally per subset, ready ones kept
  // over not-ready ones.
  size_t total_ready = 0, total_not_ready = 0;
  for (const auto& s : subsets) {
    total_ready += common::Get(s, "addresses").size();
    total_not_ready += common::Get(s, "notReadyAddresses").size();
  }
  if (total_ready + total_not_ready > kMaxEndpointsCapacity) {
    *truncated = true;
    bool truncate_ready = total_ready > kMaxEndpointsCapacity;
    size_t max = truncate_ready ? kMaxEndpointsCapacity : kMaxEndpointsCapacity - total_ready;
    size_t num_total = truncate_ready ? total_ready : total_not_ready;
    size_t can_add = max;
    for (auto& s : subsets) {
      const char* field = truncate_ready ? "addresses" : "notReadyAddresses";
      size_t in_subset = common::Get(s, field).size();
      size_t allowed = static_cast<size_t>(std::ceil(static_cast<double>(in_subset) *
                                                     static_cast<double>(max) /
                                                     static_cast<double>(num_total)));
      allowed = std::min(allowed, can_add);
      can_add -= allowed;
      if (truncate_ready) s.erase("notReadyAddresses");
      if (s.contains(field)) {
        Json& list = s[field];
        while (list.size() > allowed) list.erase(list.size() - 1);
        if (list.empty()) s.erase(field);
      }
    }
  }
  return subsets;
}

namespace {

class EndpointsController : public QueueController {
 public:
  explicit EndpointsController(const Options& o)
      : QueueController(kComponent, o.concurrent_endpoint_syncs, kMaxRetries) {}
  ~EndpointsController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    services_ = &ctx.informers().ForResource(kServices);
    pods_ = &ctx.informers().ForResource(kPods);
    endpoints_ = &ctx.informers().ForResource(kEndpoints);
    ControllerContext::EnsureIndex(*endpoints_, common::kNamespaceIndex, common::IndexByNamespace);
    WatchServicesAndPods(*services_, *pods_, ctx.options().min_resync,
                         [this](const std::string& key) { EnqueueKey(key); });

    // Someone else changed or removed the Endpoints: put them right.
    common::ResourceEventHandler eh;
    eh.on_update = [this](const ObjectPtr& a, const ObjectPtr& b) {
      if (ResourceVersion(*a) != ResourceVersion(*b)) Enqueue(*b);
    };
    eh.on_delete = [this](const ObjectPtr& e, bool) { Enqueue(*e); };
    endpoints_->AddEventHandler(eh);
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override {
    auto [ns, name] = common::SplitMetaNamespaceKey(key);
    ObjectPtr svc = services_->store().Get(key);
    if (!svc) {
      // The Service is gone: so are its Endpoints (they have no owner reference).
      auto r = client_->Delete(kEndpoints, ns, name);
      if (!r.ok() && !r.status().IsNotFound()) return r.status();
      return common::Status::Ok();
    }
    if (!ServiceHasSelector(*svc)) return common::Status::Ok();  // user-managed Endpoints

    bool truncated = false;
    Json subsets = BuildEndpointSubsets(*svc, PodsForService(pods_->store(), *svc), &truncated);

    Json labels = common::GetPath(*svc, {"metadata", "labels"});
    if (!labels.is_object()) labels = Json::object();
    if (common::GetString(common::Get(*svc, "spec"), "clusterIP") == "None")
      labels[kHeadlessLabel] = "";
    else
      labels.erase(kHeadlessLabel);

    ObjectPtr current = endpoints_->store().Get(key);
    Json ep = current ? *current
                      : Json{{"apiVersion", "v1"},
                             {"kind", "Endpoints"},
                             {"metadata", {{"name", name}, {"namespace", ns}}}};
    Json& ann = ep["metadata"]["annotations"];
    bool capacity_ok = truncated ? common::GetString(ann, kOverCapacity) == "truncated"
                                 : !(ann.is_object() && ann.contains(kOverCapacity));
    Json current_subsets = current ? common::Get(*current, "subsets") : Json();
    if (current_subsets.is_null()) current_subsets = Json::array();
    if (current && JsonEqual(current_subsets, subsets) &&
        LabelsOf(*current) == common::LabelsFromJson(labels) && capacity_ok)
      return common::Status::Ok();
    if (truncated) {
      if (!ann.is_object()) ann = Json::object();
      ann[kOverCapacity] = "truncated";
    } else if (ann.is_object()) {
      ann.erase(kOverCapacity);
    }
    // ann is a null created by the lookup above when there were none.
    if (!ann.is_object() || ann.empty()) ep["metadata"].erase("annotations");
    ep["metadata"]["labels"] = labels;
    if (subsets.empty()) ep.erase("subsets");
    else ep["subsets"] = std::move(subsets);
    auto r = current ? client_->Update(kEndpoints, ns, ep) : client_->Create(kEndpoints, ns, ep);
    // A Conflict or AlreadyExists means a stale cache: retried with backoff,
    // by when the informer has the fresh copy.
    return r.status();
  }

 private:

  common::RestClient* client_ = nullptr;
  common::Informer* services_ = nullptr;
  common::Informer* pods_ = nullptr;
  common::Informer* endpoints_ = nullptr;
};

}  // namespace

std::unique_ptr<Controller> NewEndpointsController(const Options& o) {
  return std::make_unique<EndpointsController>(o);
}

}  // namespace reconcile
