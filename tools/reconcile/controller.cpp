#include "controller.h"

#include <map>

#include "common/log.h"
#include "common/store.h"

namespace reconcile {

ControllerContext::ControllerContext(
    const Options* options, common::SharedInformerFactory* informers,
    std::function<std::unique_ptr<common::RestClient>(const std::string&)> make_client,
    common::metrics::Registry* metrics)
    : options_(options), informers_(informers), make_client_(std::move(make_client)),
      metrics_(metrics) {}

ControllerContext::~ControllerContext() {
  // Recorders flush through their clients: destroy them first.
  recorders_.clear();
  clients_.clear();
}

common::RestClient& ControllerContext::Client(const std::string& component) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = clients_[component];
  if (!slot) slot = make_client_(component);
  return *slot;
}

common::EventRecorder& ControllerContext::Recorder(const std::string& component) {
  common::RestClient& client = Client(component);
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = recorders_[component];
  if (!slot) {
    common::EventRecorderOptions o;
    o.component = component;
    slot = std::make_unique<common::EventRecorder>(&client, o);
  }
  return *slot;
}

void ControllerContext::EnsureIndex(common::Informer& informer, std::string_view name,
                                    common::IndexFunc fn) {
  if (informer.store().HasIndex(name)) return;
  // A concurrent add of the same name is harmless: AlreadyExists.
  (void)informer.AddIndexers({{std::string(name), std::move(fn)}});
}

std::string UpstreamQueueName(const std::string& component) {
  // The names kube-controller-manager gives its queues, so dashboards built
  // on workqueue_* metrics work unchanged (pkg/controller/*: "deployment",
  // strings.ToLower(kind) for the ReplicaSet controller, "endpoint_slice",
  // the garbage collector's attemptToDelete queue, the primary quota queue).
  // The three without a kube-controller-manager counterpart here keep
  // descriptive names of the same style.
  static const std::map<std::string, std::string> kNames = {
      {"deployment-controller", "deployment"},
      {"replicaset-controller", "replicaset"},
      {"endpoint-controller", "endpoint"},
      {"endpointslice-controller", "endpoint_slice"},
      {"namespace-controller", "namespace"},
      {"garbage-collector-controller", "garbage_collector_attempt_to_delete"},
      {"job-controller", "job"},
      {"cronjob-controller", "cronjob"},
      {"daemonset-controller", "daemonset"},
      {"statefulset-controller", "statefulset"},
      {"serviceaccount-controller", "serviceaccount"},
      {"resourcequota-controller", "resourcequota_primary"},
      {"node-controller", "node_lifecycle_controller"},
      {"node-ipam-controller", "node_ipam"},
      {"service-lb-controller", "service_lb"},
  };
  auto it = kNames.find(component);
  return it == kNames.end() ? component : it->second;
}

QueueController::QueueController(std::string name, int workers, int max_retries)
    : name_(std::move(name)), workers_(workers), max_retries_(max_retries),
      queue_(common::WorkQueueOptions{.name = UpstreamQueueName(name_)}) {}

QueueController::~QueueController() { Stop(); }

void QueueController::Start() {
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { Worker(); });
  StartPeriodic();
}

void QueueController::Stop() {
  if (stopping_.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(sleep_mu_);
    sleep_cv_.notify_all();
  }
  queue_.ShutDown();
  for (auto& t : threads_) t.join();
  for (auto& t : periodic_) t.join();
  threads_.clear();
  periodic_.clear();
}

bool QueueController::SleepFor(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(sleep_mu_);
  return !sleep_cv_.wait_for(lock, d, [&] { return stopping_.load(); });
}

void QueueController::Enqueue(const common::Json& object) {
  queue_.Add(common::MetaNamespaceKey(object));
}

void QueueController::Worker() {
  while (auto key = queue_.Get()) {
    if (stopping_.load()) {
      queue_.Done(*key);
      continue;
    }
    common::Status st = Sync(*key);
    if (st.ok()) {
      queue_.Forget(*key);
    } else if (max_retries_ > 0 && queue_.NumRequeues(*key) >= max_retries_) {
      LOG_WARNING("dropping key out of the queue", {"controller", name_}, {"key", *key},
                  {"err", st.ToString()});
      queue_.Forget(*key);
    } else {
      VLOG(2, "sync failed, retrying", {"controller", name_}, {"key", *key},
           {"err", st.ToString()});
      queue_.AddRateLimited(*key);
    }
    queue_.Done(*key);
  }
}

}  // namespace reconcile
