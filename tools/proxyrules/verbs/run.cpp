// proxyrules run: the daemon, kube-proxy's iptables mode.
#include <algorithm>

#include "../backend/backend.h"
#include "../daemon/daemon.h"
#include "common/cli.h"
#include "common/kubeconfig.h"
#include "common/log.h"
#include "common/signals.h"
#include "verbs.h"

namespace proxyrules {

void AddRunFlags(CLI::App* app, Options* o) {
  app->add_option("--kubeconfig", o->kubeconfig, "kubeconfig file with the API server and credentials")
      ->type_name("FILE");
  app->add_option("--master", o->master, "the API server's address, overriding the kubeconfig's")
      ->type_name("URL");
  AddProxierFlags(app, o);
  AddBackendFlag(app, o);
  app->add_option("--iptables-sync-period,--sync-period", o->sync_period,
                  "sync at least this often; also the canary check and stale-chain cleanup "
                  "period (default 30s)")
      ->type_name("DURATION");
  app->add_option("--iptables-min-sync-period,--min-sync-period", o->min_sync_period,
                  "sync no more often than this, after a burst of two (default 1s)")
      ->type_name("DURATION");
  app->add_option("--healthz-bind-address", o->healthz_bind_address,
                  "where /healthz, /livez and /readyz are served (default 0.0.0.0:10256)")
      ->type_name("HOST:PORT");
  app->add_option("--metrics-bind-address", o->metrics_bind_address,
                  "where /metrics is served (default 127.0.0.1:10249)")
      ->type_name("HOST:PORT");
}

int RunRun(Options& o) {
  if (o.Family() != IPFamily::kIPv4) {
    common::cli::PrintError("run: only IPv4 (iptables) is supported");
    return common::cli::kExitUsage;
  }
  common::KubeconfigOptions ko;
  ko.kubeconfig = o.kubeconfig;
  ko.server = o.master;
  auto cc = common::LoadClientConfig(ko);
  if (!cc.ok()) return common::cli::Fail(cc.status());
  cc->http.user_agent = common::DefaultUserAgent("proxyrules");
  common::RestClient client(cc->http);

  auto backend = MakeBackend(o.backend);
  if (!backend.ok()) return common::cli::Fail(backend.status());
  auto render = BuildRenderConfig(o, /*probe_system=*/true);
  if (!render.ok()) return common::cli::Fail(render.status());

  DaemonConfig dc;
  dc.node_name = o.NodeName();
  dc.family = o.Family();
  dc.proxier.render = std::move(*render);
  dc.proxier.sync_period = *ParseDuration(o.sync_period);
  dc.min_sync_period = *ParseDuration(o.min_sync_period);
  dc.node_ip_from_node = o.node_ip.empty();
  for (const auto& a : {o.healthz_bind_address, o.metrics_bind_address})
    if (!a.empty() && std::find(dc.listen.begin(), dc.listen.end(), a) == dc.listen.end())
      dc.listen.push_back(a);

  Daemon daemon(std::move(dc), &client, backend->get());
  if (auto st = daemon.Start(); !st.ok()) return common::cli::Fail(st);
  LOG_INFO("proxyrules running", {"node", o.NodeName()}, {"server", client.server()},
           {"backend", std::string((*backend)->name())}, {"mode", std::string((*backend)->mode())},
           {"syncPeriod", o.sync_period}, {"minSyncPeriod", o.min_sync_period});
  common::NotifyReady();
  int sig = common::WaitForShutdownSignal();
  LOG_INFO("Shutting down; installed rules stay", {"signal", sig});
  common::NotifyStopping();
  daemon.Stop();
  return common::cli::kExitOk;
}

}  // namespace proxyrules
