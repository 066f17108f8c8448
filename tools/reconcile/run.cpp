#include "run.h"

#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "common/cli.h"
#include "common/http_server.h"
#include "common/informer.h"
#include "common/kubeconfig.h"
#include "common/leader_election.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/signals.h"
#include "controller.h"
#include "kube.h"
#include "registry.h"

namespace reconcile {
namespace {

// Waits until the API server answers /healthz (any HTTP answer counts: it
// is up), so a daemon started alongside it does not fail at once.
common::Status WaitForServer(common::RestClient& client, std::chrono::seconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  common::Status last;
  for (;;) {
    auto r = client.http().Do("GET", "/healthz");
    if (r.ok()) return common::Status::Ok();
    last = r.status();
    if (std::chrono::steady_clock::now() >= until) return last;
    if (common::WaitForShutdownSignal(std::chrono::milliseconds(500)) != 0)
      return common::Status::Unavailable("interrupted");
  }
}

std::unique_ptr<common::HttpServer> StartHealthServer(const Options& o,
                                                      std::atomic<bool>* healthy) {
  if (o.secure_port == 0) return nullptr;
  common::HttpServerOptions so;
  std::string host = o.bind_address.find(':') != std::string::npos ? "[" + o.bind_address + "]"
                                                                    : o.bind_address;
  so.listen = {host + ":" + std::to_string(o.secure_port)};
  so.tls_cert_file = o.tls_cert_file;
  so.tls_key_file = o.tls_private_key_file;
  common::Router router;
  auto ok = [healthy](common::HttpRequest&, common::Responder r) {
    if (healthy->load()) r.Send(common::HttpResponse::Text(200, "ok"));
    else r.Send(common::HttpResponse::Text(500, "[-]controllers failed: not running\nhealthz check failed\n"));
  };
  router.Handle("GET", "/healthz", ok);
  router.Handle("GET", "/livez", ok);
  router.Handle("GET", "/readyz", ok);
  router.Handle("GET", "/metrics", [](common::HttpRequest&, common::Responder r) {
    common::HttpResponse resp =
        common::HttpResponse::Text(200, common::metrics::Registry::Default().Expose());
    resp.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.Send(std::move(resp));
  });
  auto server = std::make_unique<common::HttpServer>(so, router);
  if (auto st = server->Start(); !st.ok()) {
    common::cli::Fail(st);
    return nullptr;
  }
  return server;
}

}  // namespace

int Run(const Options& o) {
  // Two malloc arenas instead of glibc's 8 per core. Every controller worker
  // decodes objects out of the compact caches; with an arena per thread the
  // freed copies stay spread over arenas the other threads never reuse (RSS
  // after three 1,000-pod rollouts: 72 MB with the default, 52 MB with two;
  // no slower). MALLOC_ARENA_MAX in the environment still wins.
  if (!std::getenv("MALLOC_ARENA_MAX")) mallopt(M_ARENA_MAX, 2);
  if (!o.log_file.empty()) {
    int fd = open(o.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return common::cli::Fail(common::Status::FromErrno(errno, "open", o.log_file));
    common::log::SetOutputFd(fd);
  }
  common::KubeconfigOptions ko;
  ko.kubeconfig = o.kubeconfig;
  ko.server = o.master;
  auto cfg = common::LoadClientConfig(ko);
  if (!cfg.ok()) return common::cli::Fail(cfg.status());

  common::HttpClientOptions base = cfg->http;
  base.qps = o.kube_api_qps;
  base.burst = o.kube_api_burst;
  auto make_client = [base](const std::string& component) {
    common::HttpClientOptions h = base;
    h.user_agent = common::DefaultUserAgent("reconcile") + "/" + component;
    return std::make_unique<common::RestClient>(h);
  };

  auto probe = make_client("startup");
  if (auto st = WaitForServer(*probe, std::chrono::seconds(60)); !st.ok())
    return common::cli::Fail(common::Status::Unreachable("cannot reach the API server at " +
                                                         base.server + ": " + st.message()));

  // Informers share one client (upstream's "shared-informers"): watches and
  // relists do not eat into any controller's write budget.
  auto informer_client = make_client("shared-informers");
  common::InformerOptions defaults;
  common::SharedInformerFactory factory(informer_client.get(), defaults);
  // The caches that dominate memory, trimmed to what controllers read and
  // kept compact, created before any controller asks for them.
  for (const auto* gvr : {&kPods, &kNodes, &kReplicaSets, &kDeployments, &kEndpoints, &kEndpointSlices})
    factory.ForResource(*gvr, CacheOptions(*gvr, defaults));

  auto names = ResolveControllers(o.controllers);
  if (!names.ok()) return common::cli::Fail(names.status());
  ControllerContext ctx(&o, &factory, make_client, &common::metrics::Registry::Default());
  std::vector<std::pair<std::string, std::unique_ptr<Controller>>> controllers;
  for (const auto& info : AllControllers()) {
    if (std::find(names->begin(), names->end(), info.name) == names->end()) continue;
    auto c = info.make(o);
    if (auto st = c->Init(ctx); !st.ok())
      return common::cli::Fail(common::Status(st.code(), std::string(info.name) + ": " + st.message()));
    controllers.emplace_back(std::string(info.name), std::move(c));
  }

  std::atomic<bool> healthy{true};
  auto health_server = StartHealthServer(o, &healthy);
  if (o.secure_port != 0 && !health_server) return common::cli::kExitFailed;

  auto& leader_gauge = common::metrics::Registry::Default()
                           .AddGauge("leader_election_master_status",
                                     "Gauge of if the reporting system is master of the relevant "
                                     "lease, 0 indicates backup, 1 indicates master. 'name' is the "
                                     "string used to identify the lease.",
                                     {"name"})
                           .With({o.leader_elect_resource_name});

  // Runs the controllers until `stop` is set.
  auto run_controllers = [&](const std::atomic<bool>& stop) {
    factory.Start();
    while (!stop.load() && !factory.WaitForCacheSync(std::chrono::milliseconds(200))) {
    }
    if (stop.load()) return;
    LOG_INFO("caches synced, starting controllers", {"controllers", (int64_t)controllers.size()});
    for (auto& [name, c] : controllers) {
      VLOG(1, "starting controller", {"controller", name});
      c->Start();
    }
    while (!stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (auto& [name, c] : controllers) c->Stop();
  };

  std::atomic<bool> stop{false};
  std::atomic<int> exit_code{common::cli::kExitOk};
  std::thread runner;
  auto le_client = make_client("leader-election");
  if (o.leader_elect) {
    common::LeaderElectionConfig lc;
    lc.lease_namespace = o.leader_elect_resource_namespace;
    lc.lease_name = o.leader_elect_resource_name;
    lc.lease_duration = o.lease_duration;
    lc.renew_deadline = o.renew_deadline;
    lc.retry_period = o.retry_period;
    lc.release_on_cancel = true;
    lc.on_started_leading = [&](const std::atomic<bool>& lost) {
      leader_gauge.Set(1);
      run_controllers(lost);
    };
    lc.on_stopped_leading = [&] {
      leader_gauge.Set(0);
      if (!stop.load()) {
        // kube-controller-manager exits when it loses the lease: another
        // replica is (or will be) running the controllers.
        LOG_ERROR("leaderelection lost");
        healthy = false;
        exit_code = common::cli::kExitFailed;
        ::kill(::getpid(), SIGTERM);
      }
    };
    lc.on_new_leader = [&](const std::string& id) { LOG_INFO("new leader elected", {"identity", id}); };
    runner = std::thread([&, lc] {
      common::LeaderElector elector(le_client.get(), lc);
      elector.Run(stop);
    });
  } else {
    runner = std::thread([&] { run_controllers(stop); });
  }

  common::NotifyReady();
  int sig = common::WaitForShutdownSignal();
  LOG_INFO("shutting down", {"signal", sig});
  common::NotifyStopping();
  stop = true;
  runner.join();
  factory.Shutdown();
  if (health_server) health_server->Shutdown(std::chrono::milliseconds(1000));
  return exit_code.load();
}

}  // namespace reconcile
