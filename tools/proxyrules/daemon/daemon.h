// proxyrules run: kube-proxy's iptables proxier as a daemon. Informers on
// Services, EndpointSlices and this node's Node feed the Model; a
// bounded-frequency runner syncs (partially, full on start, after a failure,
// when the node's labels change, when the canary chains vanish, and hourly);
// /healthz, /livez, /readyz and /metrics are served.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "../backend/backend.h"
#include "../model/model.h"
#include "../sync/proxier.h"
#include "common/http_server.h"
#include "common/informer.h"
#include "common/rest_client.h"
#include "common/status.h"
#include "runner.h"

namespace proxyrules {

struct DaemonConfig {
  std::string node_name;
  IPFamily family = IPFamily::kIPv4;
  ProxierOptions proxier;             // render config, sync and full-sync periods
  std::chrono::milliseconds min_sync_period{1000};
  bool node_ip_from_node = false;     // no --node-ip: take the Node's InternalIP
  std::vector<std::string> listen;    // healthz and metrics addresses
  common::InformerOptions informer;   // backoff etc. (tests shorten them)
};

// Thread-safe. Start once, Stop once.
class Daemon {
 public:
  // `client` and `backend` must outlive the daemon.
  Daemon(DaemonConfig config, common::RestClient* client, Backend* backend);
  ~Daemon();  // Stop()

  // Starts the HTTP server, the informers and (once Services and
  // EndpointSlices are listed) the sync loop. Fails if a listen address
  // cannot be bound.
  common::Status Start();
  // Waits for the first successful sync (or `timeout`); true if it happened.
  bool WaitForFirstSync(std::chrono::milliseconds timeout);
  // Stops syncing, watching and serving. Installed rules stay, as
  // kube-proxy leaves them for its successor.
  void Stop();

  std::vector<std::string> BoundAddresses() const;
  // Healthy: a sync succeeded within two sync periods.
  bool Healthy() const;

 private:
  void OnService(const common::ObjectPtr& obj, bool deleted);
  void OnSlice(const common::ObjectPtr& obj, bool deleted);
  void OnNode(const common::ObjectPtr& obj);
  void Queued();
  void SyncOnce();
  void WaitThenStartRunner();
  common::HttpResponse Health(bool ready_check) const;

  DaemonConfig config_;
  common::RestClient* client_;
  Backend* backend_;

  std::mutex model_mu_;  // guards model_, triggers_, pending_render_
  Model model_;
  // endpoints.kubernetes.io/last-change-trigger-time of changes not yet synced.
  std::map<NamespacedName, std::vector<std::chrono::system_clock::time_point>> triggers_;
  std::optional<RenderConfig> pending_render_;
  std::string node_zone_;

  std::unique_ptr<Proxier> proxier_;  // used on the runner thread only
  std::unique_ptr<BoundedFrequencyRunner> runner_;
  std::unique_ptr<common::SharedInformerFactory> informers_;
  std::unique_ptr<common::HttpServer> http_;
  std::thread starter_;

  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> last_success_ns_{0};  // steady clock, 0 = never
  std::atomic<int64_t> last_success_wall_ns_{0};
  std::chrono::steady_clock::time_point last_canary_check_{};
  std::mutex first_mu_;
  std::condition_variable first_cv_;
};

}  // namespace proxyrules
