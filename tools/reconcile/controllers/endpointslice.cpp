// The EndpointSlice controller (pkg/controller/endpointslice): a Service's
// pods as discovery.k8s.io/v1 EndpointSlices of at most
// --max-endpoints-per-slice endpoints, one set per address family and port
// mapping, owned by the Service.
#include <algorithm>
#include <map>
#include <mutex>

#include "common/log.h"
#include "common/strings.h"
#include "controllers.h"
#include "service_pods.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "endpointslice-controller";
constexpr char kServiceNameLabel[] = "kubernetes.io/service-name";
constexpr char kManagedByLabel[] = "endpointslice.kubernetes.io/managed-by";
constexpr char kManagedBy[] = "endpointslice-controller.k8s.io";
constexpr char kHeadlessLabel[] = "service.kubernetes.io/headless";
constexpr char kZoneLabel[] = "topology.kubernetes.io/zone";
constexpr int kMaxRetries = 15;

std::vector<std::string> IndexByServiceName(const Json& slice) {
  const Json& v = common::GetPath(slice, {"metadata", "labels", kServiceNameLabel});
  if (!v.is_string()) return {};
  return {common::MetaNamespaceKey(Namespace(slice), v.get_ref<const std::string&>())};
}

std::vector<std::string> Families(const Json& svc) {
  std::vector<std::string> out;
  const Json& f = common::GetPath(svc, {"spec", "ipFamilies"});
  if (f.is_array())
    for (const auto& v : f)
      if (v.is_string()) out.push_back(v.get<std::string>());
  if (out.empty())
    out.push_back(IsIPv6(common::GetString(common::Get(svc, "spec"), "clusterIP")) ? "IPv6" : "IPv4");
  return out;
}

class EndpointSliceController : public QueueController {
 public:
  explicit EndpointSliceController(const Options& o)
      : QueueController(kComponent, o.concurrent_service_endpoint_syncs, kMaxRetries),
        max_per_slice_(static_cast<size_t>(o.max_endpoints_per_slice)) {}
  ~EndpointSliceController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    services_ = &ctx.informers().ForResource(kServices);
    pods_ = &ctx.informers().ForResource(kPods);
    slices_ = &ctx.informers().ForResource(kEndpointSlices);
    nodes_ = &ctx.informers().ForResource(kNodes);
    ControllerContext::EnsureIndex(*slices_, "serviceName", IndexByServiceName);
    WatchServicesAndPods(*services_, *pods_, ctx.options().min_resync,
                         [this](const std::string& key) { EnqueueKey(key); });

    common::ResourceEventHandler eh;
    auto own = [this](const Json& slice) {
      if (common::GetString(common::GetPath(slice, {"metadata", "labels"}), kManagedByLabel) != kManagedBy)
        return;
      for (const auto& key : IndexByServiceName(slice)) EnqueueKey(key);
    };
    eh.on_update = [own](const ObjectPtr& a, const ObjectPtr& b) {
      if (ResourceVersion(*a) != ResourceVersion(*b)) own(*b);
    };
    eh.on_delete = [own](const ObjectPtr& s, bool) { own(*s); };
    slices_->AddEventHandler(eh);
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  Json EndpointFor(const Json& pod, const Json& svc, const std::string& ip);

  // Slices created but not yet seen by the informer, per Service: acting on
  // a cache without them would create them again.
  bool WaitingForCache(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = created_.find(key);
    if (it == created_.end()) return false;
    auto now = std::chrono::steady_clock::now();
    std::erase_if(it->second, [&](const auto& c) {
      return slices_->store().Get(Namespace_(key), c.first) != nullptr ||
             now - c.second > std::chrono::seconds(30);
    });
    if (it->second.empty()) {
      created_.erase(it);
      return false;
    }
    return true;
  }
  static std::string Namespace_(const std::string& key) { return common::SplitMetaNamespaceKey(key).first; }
  void RememberCreated(const std::string& key, const std::string& slice) {
    std::lock_guard<std::mutex> lock(mu_);
    created_[key].emplace_back(slice, std::chrono::steady_clock::now());
  }

  std::mutex mu_;
  std::map<std::string, std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>>>
      created_;
  size_t max_per_slice_;
  common::RestClient* client_ = nullptr;
  common::Informer* services_ = nullptr;
  common::Informer* pods_ = nullptr;
  common::Informer* slices_ = nullptr;
  common::Informer* nodes_ = nullptr;
};

Json EndpointSliceController::EndpointFor(const Json& pod, const Json& svc, const std::string& ip) {
  const bool publish = common::GetBool(common::Get(svc, "spec"), "publishNotReadyAddresses");
  bool terminating = IsDeleting(pod);
  bool serving = IsPodReady(pod);
  bool ready = publish || serving;
  // "ready" is never true for a terminating pod, unless publishNotReadyAddresses.
  if (terminating && !publish) ready = false;
  Json ep = {{"addresses", Json::array({ip})},
             {"conditions", {{"ready", ready}, {"serving", serving}, {"terminating", terminating}}}};
  std::string hostname = EndpointHostname(pod, svc);
  if (!hostname.empty()) ep["hostname"] = hostname;
  ep["targetRef"] = {{"kind", "Pod"}, {"namespace", Namespace(pod)}, {"name", Name(pod)},
                     {"uid", Uid(pod)}};
  std::string node = common::GetString(common::Get(pod, "spec"), "nodeName");
  if (!node.empty()) {
    ep["nodeName"] = node;
    if (ObjectPtr n = nodes_->store().Get(node)) {
      const Json& zone = common::GetPath(*n, {"metadata", "labels", kZoneLabel});
      if (zone.is_string()) ep["zone"] = zone;
    }
  }
  return ep;
}

common::Status EndpointSliceController::Sync(const std::string& key) {
  auto [ns, name] = common::SplitMetaNamespaceKey(key);
  if (WaitingForCache(key)) {
    queue().AddAfter(key, std::chrono::milliseconds(50));
    return common::Status::Ok();
  }
  ObjectPtr svc = services_->store().Get(key);
  std::vector<ObjectPtr> existing;
  for (auto& s : slices_->store().ByIndex("serviceName", key))
    if (common::GetString(common::GetPath(*s, {"metadata", "labels"}), kManagedByLabel) == kManagedBy)
      existing.push_back(std::move(s));
  std::sort(existing.begin(), existing.end(),
            [](const ObjectPtr& a, const ObjectPtr& b) { return Name(*a) < Name(*b); });
  if (!svc || !ServiceHasSelector(*svc)) {
    // The Service is gone (its slices go with it through the GC too) or
    // is not ours to manage.
    for (const auto& s : existing) {
      auto r = client_->Delete(kEndpointSlices, ns, Name(*s));
      if (!r.ok() && !r.status().IsNotFound()) return r.status();
    }
    return common::Status::Ok();
  }

  // Desired: (addressType, ports) -> endpoints.
  const Json& svc_ports = common::GetPath(*svc, {"spec", "ports"});
  std::vector<std::string> families = Families(*svc);
  std::map<std::pair<std::string, std::string>, std::pair<Json, std::vector<Json>>> groups;
  auto pods = PodsForService(pods_->store(), *svc);
  std::sort(pods.begin(), pods.end(),
            [](const ObjectPtr& a, const ObjectPtr& b) { return Name(*a) < Name(*b); });
  for (const auto& pod : pods) {
    if (!ShouldPodBeInEndpoints(*pod, true)) continue;
    Json ports = Json::array();
    if (svc_ports.is_array())
      for (const auto& sp : svc_ports) {
        auto port = FindPort(*pod, sp);
        if (!port) continue;
        Json p = Json::object();
        p["name"] = common::GetString(sp, "name");
        p["port"] = *port;
        p["protocol"] = common::GetString(sp, "protocol", "TCP");
        if (sp.contains("appProtocol")) p["appProtocol"] = sp["appProtocol"];
        ports.push_back(std::move(p));
      }
    for (const auto& family : families) {
      for (const auto& ip : PodIPs(*pod)) {
        if (IsIPv6(ip) != (family == "IPv6")) continue;
        auto& g = groups[{family, ports.dump()}];
        g.first = ports;
        g.second.push_back(EndpointFor(*pod, *svc, ip));
        break;
      }
    }
  }

  Json labels = common::GetPath(*svc, {"metadata", "labels"});
  if (!labels.is_object()) labels = Json::object();
  labels[kServiceNameLabel] = name;
  labels[kManagedByLabel] = kManagedBy;
  if (common::GetString(common::Get(*svc, "spec"), "clusterIP") == "None") labels[kHeadlessLabel] = "";
  else labels.erase(kHeadlessLabel);
  Json owner = MakeControllerRef(*svc, "v1", "Service");

  // Each desired slice: addressType, ports, endpoints.
  struct Want {
    std::string family;
    Json ports;
    Json endpoints;
  };
  std::vector<Want> wants;
  for (auto& [k, g] : groups)
    for (size_t i = 0; i < g.second.size(); i += max_per_slice_) {
      Json eps = Json::array();
      for (size_t j = i; j < std::min(i + max_per_slice_, g.second.size()); ++j)
        eps.push_back(g.second[j]);
      wants.push_back({k.first, g.first, std::move(eps)});
    }
  if (wants.empty())  // a placeholder slice keeps the Service visible to consumers
    wants.push_back({families[0], Json(), Json::array()});

  std::vector<bool> used(existing.size(), false);
  common::Status first_error;
  for (auto& w : wants) {
    // Reuse a slice with the same address type and ports.
    ObjectPtr match;
    for (size_t i = 0; i < existing.size(); ++i) {
      if (used[i]) continue;
      const Json& s = *existing[i];
      if (common::GetString(s, "addressType") != w.family) continue;
      if (!JsonEqual(common::Get(s, "ports").is_null() ? Json() : s["ports"], w.ports)) continue;
      used[i] = true;
      match = existing[i];
      break;
    }
    if (match) {
      if (JsonEqual(common::Get(*match, "endpoints").is_null() ? Json::array() : (*match)["endpoints"],
                    w.endpoints) &&
          LabelsOf(*match) == common::LabelsFromJson(labels))
        continue;
      Json next = *match;
      next["endpoints"] = w.endpoints;
      next["metadata"]["labels"] = labels;
      auto r = client_->Update(kEndpointSlices, ns, next);
      if (!r.ok() && first_error.ok()) first_error = r.status();
      continue;
    }
    Json slice = {{"apiVersion", "discovery.k8s.io/v1"},
                  {"kind", "EndpointSlice"},
                  {"metadata",
                   {{"generateName", name + "-"},
                    {"namespace", ns},
                    {"labels", labels},
                    {"ownerReferences", Json::array({owner})}}},
                  {"addressType", w.family},
                  {"endpoints", w.endpoints}};
    if (!w.ports.is_null()) slice["ports"] = w.ports;
    auto r = client_->Create(kEndpointSlices, ns, slice);
    if (r.ok()) RememberCreated(key, Name(*r));
    else if (first_error.ok()) first_error = r.status();
  }
  for (size_t i = 0; i < existing.size(); ++i) {
    if (used[i]) continue;
    auto r = client_->Delete(kEndpointSlices, ns, Name(*existing[i]));
    if (!r.ok() && !r.status().IsNotFound() && first_error.ok()) first_error = r.status();
  }
  return first_error;
}

}  // namespace

std::unique_ptr<Controller> NewEndpointSliceController(const Options& o) {
  return std::make_unique<EndpointSliceController>(o);
}

}  // namespace reconcile
