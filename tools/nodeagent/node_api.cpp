#include "node_api.h"

#include <algorithm>

#include "common/kubeconfig.h"
#include "common/log.h"
#include "duration.h"
#include "process_runtime.h"

namespace nodeagent {

using common::Json;

namespace {
const common::GroupVersionResource kPods{"", "v1", "pods"};
const common::GroupVersionResource kConfigMaps{"", "v1", "configmaps"};
const common::GroupVersionResource kSecrets{"", "v1", "secrets"};
const common::GroupVersionResource kNodes{"", "v1", "nodes"};
}  // namespace

NodeApi::NodeApi(Agent* agent, int port) : agent_(agent), port_(port) {}

NodeApi::~NodeApi() { Stop(); }

common::Status NodeApi::Start() {
  const Options& o = agent_->options();
  common::KubeconfigOptions ko;
  ko.kubeconfig = o.kubeconfig;
  ko.in_cluster_fallback = false;
  ASSIGN_OR_RETURN(common::ClientConfig cfg, common::LoadClientConfig(ko));
  common::HttpClientOptions http = cfg.http;
  http.user_agent = common::DefaultUserAgent("kubelet");
  // The budget is per node, as every kubelet has its own: N fake nodes in
  // one process get N times it (one shared 50 QPS held 5,000 nodes' pods to
  // 50 status updates a second).
  int nodes = std::max(1, o.fake_nodes);
  http.qps = o.kube_api_qps * nodes;
  http.burst = static_cast<int>(std::min<int64_t>(int64_t{o.kube_api_burst} * nodes, 1 << 30));
  client_ = std::make_unique<common::RestClient>(http);
  // Heartbeats get a connection pool and a rate budget of their own
  // (kubernetes#50304: node status must not wait behind pod traffic).
  common::HttpClientOptions hb = cfg.http;
  hb.user_agent = http.user_agent;
  hb.timeout = std::chrono::seconds(10);
  hb_client_ = std::make_unique<common::RestClient>(hb);
  bool fake = o.runtime == "fake";

  agent_->SetLookup([this](const std::string& kind, const std::string& ns, const std::string& name) {
    return Lookup(kind, ns, name);
  });
  statuses_ = std::make_unique<StatusManager>(client_.get(), fake ? 16 : 4);
  agent_->status_sink = [this](const std::string& uid, const std::string& ns, const std::string& name,
                                Json status) {
    if (agent_->SourceOf(uid) == "api") statuses_->Set(uid, ns, name, std::move(status));
  };
  agent_->terminated_sink = [this](const PodSpec& pod) {
    // A pod the API is deleting: once its containers are gone, remove it for good.
    if (!pod.deletion_timestamp.empty() && agent_->SourceOf(pod.uid) == "api")
      statuses_->Finalize(pod.uid, pod.ns, pod.name);
  };
  agent_->finished_sink = [this](const std::string& uid) { statuses_->Forget(uid); };
  if (!fake) {
    // Fake nodes skip events: kwok records none, and at 50k pods they would
    // be most of the API traffic.
    common::EventRecorderOptions eo;
    eo.component = "kubelet";
    eo.host = agent_->node_name();
    events_ = std::make_unique<common::EventRecorder>(client_.get(), eo);
    agent_->event_sink = [this](const PodSpec& pod, const std::string& type, const std::string& reason,
                                const std::string& message) {
      if (agent_->SourceOf(pod.uid) != "api") return;
      Json obj = pod.Raw();
      if (obj.is_null())
        if (auto cached = pods_ ? pods_->store().Get(pod.ns, pod.name) : nullptr) obj = *cached;
      if (obj.is_null()) obj = Json{{"metadata", {{"name", pod.name}, {"namespace", pod.ns}, {"uid", pod.uid}}}};
      obj["kind"] = "Pod";
      obj["apiVersion"] = "v1";
      events_->Event(obj, type, reason, message);
    };
  }
  statuses_->Start();

  HeartbeatOptions ho;
  ho.lease_duration = std::chrono::seconds(o.node_lease_duration_seconds);
  ho.update_period =
      std::chrono::duration_cast<std::chrono::milliseconds>(*ParseDuration(o.node_status_update_frequency));
  ho.report_period =
      std::chrono::duration_cast<std::chrono::milliseconds>(*ParseDuration(o.node_status_report_frequency));
  ho.threads = fake ? std::min(32, std::max(2, o.fake_nodes / 200)) : 2;
  ho.register_node = o.register_node;
  heartbeats_ = std::make_unique<Heartbeats>(hb_client_.get(), ho);
  for (const auto& name : agent_->node_names())
    heartbeats_->AddNode(name, [this, name] { return Report(name); },
                         [this](const Json& node) { OnNode(node); });
  if (o.register_node) heartbeats_->Start();

  if (!fake) {
    // The node's own object, as the kubelet's node informer: its podCIDR
    // arrives (from nodeipam) after registration, with no status post to
    // carry it back.
    common::InformerOptions no;
    no.field_selector = "metadata.name=" + agent_->node_name();
    node_ = std::make_unique<common::Informer>(client_.get(), kNodes, no);
    common::ResourceEventHandler nh;
    nh.on_add = [this](const common::ObjectPtr& obj) { OnNode(*obj); };
    nh.on_update = [this](const common::ObjectPtr&, const common::ObjectPtr& obj) { OnNode(*obj); };
    node_->AddEventHandler(nh);
    node_->Start();
  }

  common::InformerOptions io;
  // One node: the server filters. Many fake nodes: every bound pod, filtered here.
  io.field_selector = agent_->node_names().size() == 1 ? "spec.nodeName=" + agent_->node_name()
                                                       : "spec.nodeName!=";
  // The cache keeps pods packed (≈ 1.3 KB each instead of a 6.5-8 KB tree)
  // and the workers keep no copy of their own: with 50,000 fake pods the
  // trees were most of nodeagent's memory.
  io.encoding = common::StoreEncoding::kCompact;
  pods_ = std::make_unique<common::Informer>(client_.get(), kPods, io);
  agent_->SetApiPodLookup([this](const std::string& ns, const std::string& name) {
    return pods_->store().Get(ns, name);
  });
  common::ResourceEventHandler h;
  h.on_add = [this](const common::ObjectPtr& obj) { agent_->UpsertPod("api", obj); };
  h.on_update = [this](const common::ObjectPtr& old, const common::ObjectPtr& obj) {
    agent_->UpsertPod("api", obj, old);
  };
  h.on_delete = [this](const common::ObjectPtr& obj, bool) {
    agent_->DeletePod("api", common::GetString(common::Get(*obj, "metadata"), "uid"));
  };
  pods_->AddEventHandler(h);
  pods_->Start();
  std::thread([this] {
    // Orphan cleanup waits for the first complete list.
    if (pods_->WaitForSync(std::chrono::hours(24))) agent_->MarkSourceSeen("api");
  }).detach();
  LOG_INFO("connected to the API server", {"server", client_->server()},
           {"nodes", static_cast<int64_t>(agent_->node_names().size())});
  return common::Status::Ok();
}

void NodeApi::Stop() {
  if (pods_) pods_->Stop();
  // Workers fall back to what they have; the cache goes with this object.
  agent_->SetApiPodLookup(nullptr);
  if (node_) node_->Stop();
  if (heartbeats_) heartbeats_->Stop();
  if (statuses_) {
    statuses_->Flush(std::chrono::seconds(2));
    statuses_->Stop();
  }
  events_.reset();
}

NodeReport NodeApi::Report(const std::string& node) {
  NodeReport r;
  NodeState st = agent_->Node(node);
  r.name = node;
  r.labels = st.labels;
  r.taints = st.taints;
  r.capacity = agent_->capacity();
  r.allocatable = agent_->allocatable();
  r.internal_ip = agent_->node_ip();
  r.port = port_;
  r.machine = agent_->machine();
  if (agent_->options().runtime == "fake") {
    r.runtime_version = "fake://0.1.0";
    return r;
  }
  NodeConditions c = agent_->Conditions();
  r.memory_pressure = c.memory_pressure;
  r.disk_pressure = c.disk_pressure;
  r.pid_pressure = c.pid_pressure;
  if (agent_->process_runtime() && agent_->options().pod_network == "netns")
    r.pod_cidr = agent_->options().pod_cidr;
  if (auto* pr = agent_->process_runtime(); pr && !pr->NetworkReady())
    r.not_ready_message =
        "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
        "message:the node has no pod CIDR yet (spec.podCIDR)";
  {
    std::lock_guard<std::mutex> lock(images_mu_);
    if (std::chrono::steady_clock::now() - images_at_ > std::chrono::minutes(1) || images_.is_null()) {
      images_ = agent_->runtime().Images();
      images_at_ = std::chrono::steady_clock::now();
    }
    r.images = images_;
  }
  return r;
}

void NodeApi::OnNode(const Json& node) {
  auto* pr = agent_->process_runtime();
  if (!pr || agent_->options().pod_network != "netns") return;
  // The Node's range wins over --pod-cidr, as the kubelet takes
  // node.spec.podCIDR; the flag is the range asked for at registration.
  std::string cidr = common::GetString(common::Get(node, "spec"), "podCIDR");
  if (pr->NetworkReady()) {
    std::string have = pr->network()->cidr().String();
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (!cidr.empty() && cidr != have && warned_cidr_ != cidr) {
      warned_cidr_ = cidr;
      LOG_ERROR("the Node's spec.podCIDR differs from the range pods get IPs from; restart nodeagent to use it",
                {"podCIDR", cidr}, {"inUse", have});
    }
    return;
  }
  if (cidr.empty()) return;
  auto st = pr->SetPodCidr(cidr);
  if (!st.ok()) {
    LOG_ERROR("cannot set up the pod network", {"podCIDR", cidr}, {"err", st.message()});
    return;
  }
  // Ready changes now: tell the API without waiting for the update period.
  if (heartbeats_) heartbeats_->PostSoon(common::GetString(common::Get(node, "metadata"), "name"));
}

common::Result<std::optional<Json>> NodeApi::Lookup(const std::string& kind, const std::string& ns,
                                                    const std::string& name) {
  std::string key = kind + "/" + ns + "/" + name;
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && std::chrono::steady_clock::now() - it->second.at < std::chrono::seconds(10))
      return it->second.object;
  }
  std::optional<Json> result;
  if (kind == "ConfigMap" || kind == "Secret") {
    auto got = client_->Get(kind == "ConfigMap" ? kConfigMaps : kSecrets, ns, name);
    if (got.ok()) result = *got;
    else if (!got.status().IsNotFound()) return got.status();
  } else if (kind == "ServiceAccountToken") {
    // TokenRequest: a bound token for the pod's service account.
    Json req = {{"apiVersion", "authentication.k8s.io/v1"},
                {"kind", "TokenRequest"},
                {"spec", {{"expirationSeconds", 3607}}}};
    auto got = client_->Create({"", "v1", "serviceaccounts"}, ns, req, {}, name, "token");
    if (got.ok()) result = Json{{"token", common::GetString(common::Get(*got, "status"), "token")}};
  }
  std::lock_guard<std::mutex> lock(cache_mu_);
  cache_[key] = Cached{std::chrono::steady_clock::now(), result};
  return result;
}

}  // namespace nodeagent
