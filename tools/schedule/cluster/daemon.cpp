#include "cluster/daemon.h"

#include "cluster/api_client.h"
#include "common/log.h"
#include "common/objects.h"
#include "model/parse.h"

namespace schedule {

using common::Json;
using common::ObjectPtr;
using CStatus = common::Status;
using namespace std::chrono_literals;

namespace {

const common::GroupVersionResource kPodsGvr{"", "v1", "pods"};
const common::GroupVersionResource kNodesGvr{"", "v1", "nodes"};

// The resources whose objects go to the ObjectStore, and the cluster event
// each change is (PV, PVC and StorageClass changes can make pods fit).
struct Watched {
  common::GroupVersionResource gvr;
  std::optional<EventResource> event;
};
const std::vector<Watched>& WatchedObjects() {
  static const std::vector<Watched> kList = {
      {{"", "v1", "persistentvolumes"}, EventResource::kPersistentVolume},
      {{"", "v1", "persistentvolumeclaims"}, EventResource::kPersistentVolumeClaim},
      {{"storage.k8s.io", "v1", "storageclasses"}, EventResource::kStorageClass},
      {{"scheduling.k8s.io", "v1", "priorityclasses"}, std::nullopt},
      {{"policy", "v1", "poddisruptionbudgets"}, std::nullopt},
      {{"", "v1", "namespaces"}, std::nullopt},
      {{"", "v1", "services"}, std::nullopt},
      {{"apps", "v1", "replicasets"}, std::nullopt},
      {{"apps", "v1", "statefulsets"}, std::nullopt},
      {{"", "v1", "replicationcontrollers"}, std::nullopt},
  };
  return kList;
}

// The daemon whose queue scheduler_pending_pods reports. The registry's
// collectors live as long as the process; a daemon does not.
std::mutex g_current_mu;
Daemon* g_current = nullptr;

std::string ObjectKey(const Json& obj) {
  const Json& meta = common::Get(obj, "metadata");
  std::string ns = common::GetString(meta, "namespace");
  std::string name = common::GetString(meta, "name");
  return ns.empty() ? name : ns + "/" + name;
}

}  // namespace

Daemon::Daemon(DaemonOptions options, common::RestClient* client) : opts_(std::move(options)), client_(client) {}

Daemon::~Daemon() {
  Stop();
  std::lock_guard<std::mutex> lock(g_current_mu);
  if (g_current == this) g_current = nullptr;
}

CStatus Daemon::Start() {
  auto& reg = common::metrics::Registry::Default();
  common::EventRecorderOptions eo;
  // Upstream's events name the profile's scheduler as the reporting
  // controller; one recorder serves every profile here.
  eo.component = opts_.config.profiles.empty() ? "default-scheduler" : opts_.config.profiles[0].scheduler_name;
  events_ = std::make_unique<common::EventRecorder>(client_, eo);
  api_ = std::make_unique<ApiClient>(
      client_, events_.get(), [this](const Pod& pod) { return CurrentPendingPod(pod); }, eo.component);

  SchedulerOptions so;
  so.config = opts_.config;
  so.clock = &clock_;
  so.objects = &store_;
  so.client = api_.get();
  so.metrics = &reg;
  so.bind_threads = opts_.bind_threads;
  so.seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  auto s = Scheduler::Create(so);
  if (!s.ok()) return s.status();
  scheduler_ = std::move(*s);

  pending_ = &reg.AddGauge("scheduler_pending_pods",
                           "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; "
                           "'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in "
                           "unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the "
                           "number of unschedulable pods that the scheduler never attempted to schedule because "
                           "they are gated.",
                           {"queue"});
  leader_ = &reg.AddGauge("leader_election_master_status",
                          "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 "
                          "indicates master. 'name' is the string used to identify the lease.",
                          {"name"});
  {
    static std::once_flag once;
    std::call_once(once, [&reg] {
      reg.AddCollector([] {
        std::lock_guard<std::mutex> lock(g_current_mu);
        if (g_current) g_current->UpdatePendingGauge();
      });
    });
    std::lock_guard<std::mutex> lock(g_current_mu);
    g_current = this;
  }

  common::Router router;
  auto health = [this](common::HttpRequest&, common::Responder r) { r.Send(Health()); };
  router.Handle("GET", "/healthz", health);
  router.Handle("GET", "/livez", health);
  router.Handle("GET", "/readyz", [this](common::HttpRequest&, common::Responder r) {
    bool synced = informers_ && [&] {
      for (auto* inf : informers_->Informers())
        if (!inf->HasSynced()) return false;
      return true;
    }();
    r.Send(synced ? common::HttpResponse::Text(200, "ok")
                  : common::HttpResponse::Text(503, "[-]informer-sync failed: caches not synced\nreadyz check failed\n"));
  });
  router.Handle("GET", "/metrics", [](common::HttpRequest&, common::Responder r) {
    auto resp = common::HttpResponse::Text(200, common::metrics::Registry::Default().Expose());
    resp.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.Send(std::move(resp));
  });
  if (!opts_.listen.empty()) {
    common::HttpServerOptions hopts;
    hopts.listen = opts_.listen;
    hopts.io_threads = 1;
    hopts.tls_cert_file = opts_.tls_cert_file;
    hopts.tls_key_file = opts_.tls_key_file;
    http_ = std::make_unique<common::HttpServer>(hopts, router);
    RETURN_IF_ERROR(http_->Start());
  }

  informers_ = std::make_unique<common::SharedInformerFactory>(client_, opts_.informer);
  informers_->ForResource(kNodesGvr).AddEventHandler(
      {[this](const ObjectPtr& o) { OnNode(o, false); },
       [this](const ObjectPtr& old, const ObjectPtr& o) {
         if (old != o) OnNode(o, false);
       },
       [this](const ObjectPtr& o, bool) { OnNode(o, true); }});
  for (const auto& w : WatchedObjects())
    informers_->ForResource(w.gvr).AddEventHandler(
        {[this](const ObjectPtr& o) { OnObject(o, false); },
         [this](const ObjectPtr& old, const ObjectPtr& o) {
           if (old != o) OnObject(o, false);
         },
         [this](const ObjectPtr& o, bool) { OnObject(o, true); }});
  // Pods last: their priorities and volumes refer to the objects above.
  informers_->ForResource(kPodsGvr).AddEventHandler(
      {[this](const ObjectPtr& o) { OnPod(nullptr, o, false); },
       [this](const ObjectPtr& old, const ObjectPtr& o) {
         if (old != o) OnPod(old, o, false);
       },
       [this](const ObjectPtr& o, bool) { OnPod(nullptr, o, true); }});
  informers_->Start();
  scheduler_->queue().Run();

  if (!opts_.leader_elect) {
    main_thread_ = std::thread([this] { ScheduleLoop(stopping_); });
    return CStatus::Ok();
  }
  common::LeaderElectionConfig le;
  const auto& lc = opts_.config.leader_election;
  le.lease_namespace = lc.resource_namespace;
  le.lease_name = lc.resource_name;
  le.identity = opts_.identity.empty() ? common::DefaultLeaderIdentity() : opts_.identity;
  le.lease_duration = lc.lease_duration;
  le.renew_deadline = lc.renew_deadline;
  le.retry_period = lc.retry_period;
  le.release_on_cancel = true;
  leader_->With({lc.resource_name}).Set(0);
  le.on_started_leading = [this, name = lc.resource_name](const std::atomic<bool>& lost) {
    leader_->With({name}).Set(1);
    ScheduleLoop(lost);
  };
  le.on_stopped_leading = [this, name = lc.resource_name] {
    leader_->With({name}).Set(0);
    if (!stopping_.load()) {
      LOG_ERROR("leaderelection lost");
      lost_leadership_ = true;
    }
  };
  le.on_new_leader = [id = le.identity](const std::string& leader) {
    if (leader != id) LOG_INFO("New leader elected", {"identity", leader});
  };
  elector_ = std::make_unique<common::LeaderElector>(client_, le);
  main_thread_ = std::thread([this] { elector_->Run(stopping_); });
  return CStatus::Ok();
}

void Daemon::ScheduleLoop(const std::atomic<bool>& stop) {
  // Upstream waits for every informer before the first cycle: a pod
  // scheduled against half a cache lands on the wrong node.
  while (!stop.load() && !stopping_.load()) {
    if (informers_->WaitForCacheSync(500ms)) break;
  }
  if (stop.load() || stopping_.load()) return;
  LOG_INFO("Caches synced; scheduling", {"profiles", opts_.config.profiles.size()});
  scheduling_ = true;
  // Pop blocks; a watcher closes the queue when leadership ends.
  std::thread watcher([this, &stop] {
    while (!stop.load() && !stopping_.load()) std::this_thread::sleep_for(100ms);
    scheduler_->queue().Close();
  });
  scheduler_->Run();
  scheduling_ = false;
  watcher.join();
  scheduler_->WaitForBindings(10s);
}

void Daemon::Stop() {
  if (stopping_.exchange(true)) return;
  if (scheduler_) scheduler_->queue().Close();
  if (main_thread_.joinable()) main_thread_.join();
  if (scheduler_) scheduler_->WaitForBindings(10s);
  if (informers_) informers_->Shutdown();
  if (events_) events_->Flush(2s);
  if (http_) http_->Shutdown(2s);
}

std::vector<std::string> Daemon::BoundAddresses() const {
  return http_ ? http_->BoundAddresses() : std::vector<std::string>{};
}

common::HttpResponse Daemon::Health() const {
  // kube-scheduler's healthz: ping, plus the leader-election watchdog,
  // which fails once a leader stopped renewing.
  if (lost_leadership_.load())
    return common::HttpResponse::Text(500, "[-]leaderElection failed: leadership lost\nhealthz check failed\n");
  return common::HttpResponse::Text(200, "ok");
}

void Daemon::UpdatePendingGauge() {
  if (!scheduler_ || !pending_) return;
  auto c = scheduler_->queue().PendingCounts();
  pending_->With({"active"}).Set(static_cast<double>(c.active));
  pending_->With({"backoff"}).Set(static_cast<double>(c.backoff));
  pending_->With({"unschedulable"}).Set(static_cast<double>(c.unschedulable));
  pending_->With({"gated"}).Set(static_cast<double>(c.gated));
}

PodPtr Daemon::DecodePod(const ObjectPtr& obj) {
  auto p = ParsePod(*obj);
  if (!p.ok()) {
    // The daemon goes on; the pod's owner learns why through an event when
    // the pod is one of ours and still pending.
    LOG_WARNING("ignoring a pod the scheduler cannot use", {"pod", ObjectKey(*obj)}, {"err", p.status().message()});
    std::string sched = common::GetString(common::Get(*obj, "spec"), "schedulerName");
    if (sched.empty()) sched = "default-scheduler";
    if (common::GetString(common::Get(*obj, "spec"), "nodeName").empty() && scheduler_->FrameworkFor(sched))
      events_->Event(*obj, common::kEventTypeWarning, "FailedScheduling", TruncateEventNote(p.status().message()));
    return nullptr;
  }
  Pod pod = std::move(*p);
  store_.NoteNamespace(pod.ns);
  if (!PodHasSpecPriority(*obj)) {
    bool never = pod.preempt_never;
    auto prio = store_.ResolvePriority(pod, &never);
    if (prio.ok()) {
      pod.priority = *prio;
      if (common::GetPath(*obj, {"spec", "preemptionPolicy"}).is_null()) pod.preempt_never = never;
    }
  }
  pod.raw = obj;
  return std::make_shared<const Pod>(std::move(pod));
}

void Daemon::OnPod(const ObjectPtr& old_obj, const ObjectPtr& obj, bool deleted) {
  (void)old_obj;
  std::string key = ObjectKey(*obj);
  PodPtr old;
  {
    std::lock_guard<std::mutex> lock(objects_mu_);
    if (auto it = pods_.find(key); it != pods_.end()) old = it->second;
  }
  if (deleted) {
    if (!old) return;
    {
      std::lock_guard<std::mutex> lock(objects_mu_);
      pods_.erase(key);
    }
    scheduler_->OnPodDelete(old);
    return;
  }
  PodPtr pod = DecodePod(obj);
  if (!pod) return;  // keep what we had: better than forgetting a running pod
  if (old && old->uid != pod->uid) {
    // Deleted and recreated between two events we saw.
    scheduler_->OnPodDelete(old);
    old.reset();
  }
  {
    std::lock_guard<std::mutex> lock(objects_mu_);
    pods_[key] = pod;
  }
  if (old)
    scheduler_->OnPodUpdate(old, pod);
  else
    scheduler_->OnPodAdd(pod);
}

std::optional<PodPtr> Daemon::CurrentPendingPod(const Pod& pod) {
  std::lock_guard<std::mutex> lock(objects_mu_);
  auto it = pods_.find(pod.key);
  if (it == pods_.end() || it->second->uid != pod.uid || !it->second->node_name.empty() ||
      it->second->IsTerminal() || it->second->terminating)
    return PodPtr();
  return it->second;
}

void Daemon::OnNode(const ObjectPtr& obj, bool deleted) {
  std::string name = ObjectKey(*obj);
  NodePtr old;
  {
    std::lock_guard<std::mutex> lock(objects_mu_);
    if (auto it = nodes_.find(name); it != nodes_.end()) old = it->second;
    if (deleted) nodes_.erase(name);
  }
  if (deleted) {
    if (old) scheduler_->OnNodeDelete(*old);
    return;
  }
  auto n = ParseNode(*obj);
  if (!n.ok()) {
    LOG_WARNING("ignoring a node the scheduler cannot use", {"node", name}, {"err", n.status().message()});
    return;
  }
  n->raw = obj;
  auto node = std::make_shared<const Node>(std::move(*n));
  {
    std::lock_guard<std::mutex> lock(objects_mu_);
    nodes_[name] = node;
  }
  if (old)
    scheduler_->OnNodeUpdate(*old, node);
  else
    scheduler_->OnNodeAdd(node);
}

void Daemon::OnObject(const ObjectPtr& obj, bool deleted) {
  std::string kind = common::GetString(*obj, "kind");
  if (deleted) {
    store_.Remove(*obj);
  } else {
    auto r = store_.Upsert(*obj);
    if (!r.ok()) {
      LOG_WARNING("ignoring an object the scheduler cannot use", {"kind", kind}, {"object", ObjectKey(*obj)},
                  {"err", r.status().message()});
      return;
    }
  }
  uint32_t action = deleted ? kDelete : kAdd | kUpdate;
  if (kind == "PersistentVolume") scheduler_->OnStorageEvent(EventResource::kPersistentVolume, action);
  else if (kind == "PersistentVolumeClaim") scheduler_->OnStorageEvent(EventResource::kPersistentVolumeClaim, action);
  else if (kind == "StorageClass") scheduler_->OnStorageEvent(EventResource::kStorageClass, action);
}

}  // namespace schedule
