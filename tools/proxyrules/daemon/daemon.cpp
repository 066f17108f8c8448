#include "daemon.h"

#include "../inputs.h"
#include "../sync/jumps.h"
#include "../sync/metrics.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/timeutil.h"

namespace proxyrules {

using common::Json;
using common::ObjectPtr;
using common::Status;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const common::GroupVersionResource kServices{"", "v1", "services"};
const common::GroupVersionResource kSlices{"discovery.k8s.io", "v1", "endpointslices"};
const common::GroupVersionResource kNodes{"", "v1", "nodes"};

// kube-proxy's informers skip objects another proxy handles and headless
// services.
constexpr const char* kProxiedSelector =
    "!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless";

int64_t NowNs(Clock::time_point t = Clock::now()) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

double WallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

Daemon::Daemon(DaemonConfig config, common::RestClient* client, Backend* backend)
    : config_(std::move(config)), client_(client), backend_(backend), model_(config_.node_name) {
  proxier_ = std::make_unique<Proxier>(&model_, backend_, config_.proxier);
  runner_ = std::make_unique<BoundedFrequencyRunner>(
      [this] { SyncOnce(); }, config_.min_sync_period, config_.proxier.sync_period,
      /*burst=*/2);
  metrics::RegisterAll();
}

Daemon::~Daemon() { Stop(); }

Status Daemon::Start() {
  common::Router router;
  router.Handle("GET", "/healthz", [this](common::HttpRequest&, common::Responder r) {
    r.Send(Health(false));
  });
  router.Handle("GET", "/livez", [this](common::HttpRequest&, common::Responder r) {
    r.Send(Health(false));
  });
  router.Handle("GET", "/readyz", [this](common::HttpRequest&, common::Responder r) {
    r.Send(Health(true));
  });
  router.Handle("GET", "/metrics", [](common::HttpRequest&, common::Responder r) {
    auto resp = common::HttpResponse::Text(200, common::metrics::Registry::Default().Expose());
    resp.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.Send(std::move(resp));
  });
  common::HttpServerOptions hopts;
  hopts.listen = config_.listen;
  hopts.io_threads = 1;
  http_ = std::make_unique<common::HttpServer>(hopts, router);
  RETURN_IF_ERROR(http_->Start());

  informers_ = std::make_unique<common::SharedInformerFactory>(client_, config_.informer);
  common::InformerOptions proxied = config_.informer;
  proxied.label_selector = kProxiedSelector;
  common::InformerOptions node = config_.informer;
  node.field_selector = "metadata.name=" + config_.node_name;
  informers_->ForResource(kServices, proxied)
      .AddEventHandler({[this](const ObjectPtr& o) { OnService(o, false); },
                        [this](const ObjectPtr&, const ObjectPtr& o) { OnService(o, false); },
                        [this](const ObjectPtr& o, bool) { OnService(o, true); }});
  informers_->ForResource(kSlices, proxied)
      .AddEventHandler({[this](const ObjectPtr& o) { OnSlice(o, false); },
                        [this](const ObjectPtr&, const ObjectPtr& o) { OnSlice(o, false); },
                        [this](const ObjectPtr& o, bool) { OnSlice(o, true); }});
  informers_->ForResource(kNodes, node)
      .AddEventHandler({[this](const ObjectPtr& o) { OnNode(o); },
                        [this](const ObjectPtr&, const ObjectPtr& o) { OnNode(o); }, {}});
  informers_->Start();
  metrics::SyncProxyRulesLastQueuedTimestamp().Set(WallNow());
  // As kube-proxy: no sync before Services and EndpointSlices are both
  // listed, or the first sync would delete the rules of services not yet seen.
  starter_ = std::thread([this] { WaitThenStartRunner(); });
  return Status::Ok();
}

void Daemon::WaitThenStartRunner() {
  std::vector<common::Informer*> needed = {&informers_->ForResource(kServices),
                                           &informers_->ForResource(kSlices)};
  while (!stopping_.load()) {
    if (common::WaitForCacheSync(needed, 500ms)) {
      LOG_INFO("Services and EndpointSlices synced; starting the sync loop",
               {"node", config_.node_name});
      runner_->Start();
      runner_->Run();
      return;
    }
  }
}

void Daemon::Stop() {
  if (stopping_.exchange(true)) return;
  if (starter_.joinable()) starter_.join();
  runner_->Stop();
  if (informers_) informers_->Shutdown();
  if (http_) http_->Shutdown(2s);
  first_cv_.notify_all();
}

std::vector<std::string> Daemon::BoundAddresses() const {
  return http_ ? http_->BoundAddresses() : std::vector<std::string>{};
}

void Daemon::Queued() {
  metrics::SyncProxyRulesLastQueuedTimestamp().Set(WallNow());
  runner_->Run();
}

void Daemon::OnService(const ObjectPtr& obj, bool deleted) {
  bool changed;
  {
    std::lock_guard<std::mutex> lock(model_mu_);
    LoadStats stats;
    if (deleted)
      DeleteObject(*obj, &model_);
    else
      ApplyObject(*obj, config_.family, &model_, &stats);
    changed = model_.HasChanges();
  }
  if (changed) {
    metrics::ServiceChanges().Inc();
    Queued();
  }
}

void Daemon::OnSlice(const ObjectPtr& obj, bool deleted) {
  bool changed;
  {
    std::lock_guard<std::mutex> lock(model_mu_);
    LoadStats stats;
    if (deleted)
      DeleteObject(*obj, &model_);
    else
      ApplyObject(*obj, config_.family, &model_, &stats);
    changed = model_.HasChanges();
    // The EndpointSlice controller stamps when the pod change behind this
    // slice happened; kube-proxy measures network programming from there.
    std::string trigger = common::GetString(
        common::GetPath(*obj, {"metadata", "annotations"}), "endpoints.kubernetes.io/last-change-trigger-time");
    std::string svc = common::GetString(common::GetPath(*obj, {"metadata", "labels"}),
                                        "kubernetes.io/service-name");
    if (changed && !trigger.empty() && !svc.empty()) {
      auto t = common::ParseRFC3339(trigger);
      if (t.ok())
        triggers_[{common::GetString(common::GetPath(*obj, {"metadata"}), "namespace"), svc}]
            .push_back(*t);
    }
  }
  if (changed) {
    metrics::EndpointChanges().Inc();
    Queued();
  }
}

void Daemon::OnNode(const ObjectPtr& obj) {
  std::string zone = common::GetString(common::GetPath(*obj, {"metadata", "labels"}),
                                       "topology.kubernetes.io/zone");
  std::optional<IP> node_ip;
  for (const auto& a : common::GetPath(*obj, {"status", "addresses"})) {
    if (common::GetString(a, "type") != "InternalIP") continue;
    auto ip = ParseIP(common::GetString(a, "address"));
    if (ip && ip->family == config_.family) {
      node_ip = ip;
      break;
    }
  }
  bool changed = false;
  {
    std::lock_guard<std::mutex> lock(model_mu_);
    RenderConfig cfg = pending_render_ ? *pending_render_ : proxier_->options().render;
    if (cfg.zone != zone) {
      cfg.zone = zone;
      changed = true;
    }
    if (config_.node_ip_from_node && node_ip && cfg.node_ip != node_ip) {
      cfg.node_ip = node_ip;
      changed = true;
    }
    // Topology decides which endpoints are used: every service may change.
    if (changed) pending_render_ = cfg;
  }
  if (changed) {
    LOG_INFO("Node changed; next sync is a full one", {"node", config_.node_name}, {"zone", zone});
    Queued();
  }
}

void Daemon::SyncOnce() {
  {
    std::lock_guard<std::mutex> lock(model_mu_);
    if (pending_render_) {
      proxier_->SetRenderConfig(std::move(*pending_render_));
      pending_render_.reset();
    }
  }
  // kube-proxy's iptables.Monitor: if something flushed our tables, the
  // canary chains are gone and only a full sync restores everything.
  auto now = Clock::now();
  if (last_success_ns_.load() != 0 && now - last_canary_check_ >= config_.proxier.sync_period) {
    last_canary_check_ = now;
    if (!CanariesPresent(*backend_)) {
      LOG_WARNING("kube-proxy canary chain vanished; the tables were flushed: full sync");
      proxier_->RequestFullSync();
    }
  }
  SyncOutcome out = proxier_->Sync(false, &model_mu_);
  if (!out.status.ok()) {
    LOG_ERROR("Sync failed; retrying", {"backend", std::string(backend_->name())},
              {"full", out.full}, {"err", out.status.message()},
              {"retryIn", std::to_string(config_.proxier.sync_period.count()) + "ms"});
    runner_->RetryAfter(config_.proxier.sync_period);
    return;
  }
  last_success_ns_ = NowNs();
  last_success_wall_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  {
    std::lock_guard<std::mutex> lock(model_mu_);
    auto wall = std::chrono::system_clock::now();
    for (const auto& svc : out.changed) {
      auto it = triggers_.find(svc);
      if (it == triggers_.end()) continue;
      for (const auto& t : it->second)
        metrics::NetworkProgrammingLatency().Observe(std::chrono::duration<double>(wall - t).count());
      triggers_.erase(it);
    }
  }
  VLOG(1, "Synced", {"full", out.full}, {"services", out.changed.size()},
       {"seconds", out.seconds}, {"restoreSeconds", out.restore_seconds},
       {"conntrackDeletions", out.conntrack_deletions});
  first_cv_.notify_all();
}

bool Daemon::WaitForFirstSync(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(first_mu_);
  return first_cv_.wait_for(lock, timeout,
                            [&] { return last_success_ns_.load() != 0 || stopping_.load(); }) &&
         last_success_ns_.load() != 0;
}

bool Daemon::Healthy() const {
  int64_t last = last_success_ns_.load();
  if (last == 0) return false;
  return NowNs() - last <= 2 * std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   config_.proxier.sync_period)
                                   .count();
}

common::HttpResponse Daemon::Health(bool ready_check) const {
  (void)ready_check;  // ready and healthy are the same test: a recent sync
  bool ok = Healthy();
  Json body = Json::object();
  int64_t wall = last_success_wall_ns_.load();
  body["lastUpdated"] =
      wall ? common::FormatRFC3339Micro(common::TimePoint(std::chrono::duration_cast<common::Clock::duration>(
                 std::chrono::nanoseconds(wall))))
           : "";
  body["currentTime"] = common::FormatRFC3339Micro(common::Clock::now());
  body["nodeEligible"] = true;
  return common::HttpResponse::Json(ok ? 200 : 503, common::DumpJson(body));
}

}  // namespace proxyrules
