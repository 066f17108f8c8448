// `schedule run`: the scheduler daemon against an API server (kube-scheduler).
#include <csignal>

#include "cluster/daemon.h"
#include "common/cli.h"
#include "common/kubeconfig.h"
#include "common/log.h"
#include "common/signals.h"
#include "verbs/verbs.h"

namespace schedule {

namespace {

struct RunFlags {
  std::string config;
  std::string kubeconfig;
  std::string master;
  std::optional<bool> leader_elect;
  std::string lease_duration, renew_deadline, retry_period;
  std::string lease_name, lease_namespace;
  std::string bind_address = "0.0.0.0";
  int secure_port = 10259;
  std::string tls_cert_file, tls_key_file;
  std::optional<double> qps;
  std::optional<int> burst;
  int parallelism = 0;
};

int RunRun(const RunFlags& f) {
  Configuration cfg = DefaultConfiguration();
  if (!f.config.empty()) {
    auto c = LoadConfiguration(f.config);
    if (!c.ok()) {
      common::cli::PrintError(c.status().message());
      return common::cli::kExitUsage;
    }
    cfg = std::move(*c);
  }
  // Flags override the file, as kube-scheduler's deprecated flags do.
  auto& le = cfg.leader_election;
  if (f.leader_elect) le.leader_elect = *f.leader_elect;
  for (auto [flag, text, out] : {std::tuple{"--leader-elect-lease-duration", &f.lease_duration, &le.lease_duration},
                                 std::tuple{"--leader-elect-renew-deadline", &f.renew_deadline, &le.renew_deadline},
                                 std::tuple{"--leader-elect-retry-period", &f.retry_period, &le.retry_period}}) {
    if (text->empty()) continue;
    auto d = ParseGoDuration(*text);
    if (!d || d->count() <= 0) {
      common::cli::PrintError(std::string(flag) + ": invalid duration \"" + *text + "\"");
      return common::cli::kExitUsage;
    }
    *out = *d;
  }
  if (!f.lease_name.empty()) le.resource_name = f.lease_name;
  if (!f.lease_namespace.empty()) le.resource_namespace = f.lease_namespace;
  if (le.leader_elect && !(le.lease_duration > le.renew_deadline && le.renew_deadline > le.retry_period)) {
    common::cli::PrintError("leaderElection: leaseDuration must be greater than renewDeadline, which must be greater than retryPeriod");
    return common::cli::kExitUsage;
  }
  if (f.qps) cfg.client_connection.qps = *f.qps;
  if (f.burst) cfg.client_connection.burst = *f.burst;
  if (f.parallelism > 0) cfg.parallelism = f.parallelism;

  common::KubeconfigOptions ko;
  ko.kubeconfig = !f.kubeconfig.empty() ? f.kubeconfig : cfg.client_connection.kubeconfig;
  ko.server = f.master;
  auto cc = common::LoadClientConfig(ko);
  if (!cc.ok()) return common::cli::Fail(cc.status());
  cc->http.user_agent = common::DefaultUserAgent("schedule");
  cc->http.qps = cfg.client_connection.qps;
  cc->http.burst = cfg.client_connection.burst;
  common::RestClient client(cc->http);

  DaemonOptions o;
  o.config = cfg;
  o.leader_elect = le.leader_elect;
  if (f.secure_port > 0) {
    std::string host = f.bind_address.find(':') != std::string::npos ? "[" + f.bind_address + "]" : f.bind_address;
    o.listen.push_back(host + ":" + std::to_string(f.secure_port));
  }
  o.tls_cert_file = f.tls_cert_file;
  o.tls_key_file = f.tls_key_file;
  Daemon daemon(std::move(o), &client);
  if (auto st = daemon.Start(); !st.ok()) {
    // A plugin or its args the engine rejects is a configuration error.
    if (st.code() == common::Code::kInvalid) {
      common::cli::PrintError((f.config.empty() ? "" : f.config + ": ") + st.message());
      return common::cli::kExitUsage;
    }
    return common::cli::Fail(st);
  }
  LOG_INFO("schedule running", {"server", client.server()}, {"leaderElect", le.leader_elect},
           {"profiles", cfg.profiles.size()});
  common::NotifyReady();
  int sig = 0;
  while (sig == 0 && !daemon.LostLeadership()) sig = common::WaitForShutdownSignal(std::chrono::milliseconds(200));
  common::NotifyStopping();
  daemon.Stop();
  if (sig == 0) return common::cli::kExitFailed;  // leaderelection lost
  LOG_INFO("Shutting down", {"signal", sig});
  return common::cli::kExitOk;
}

}  // namespace

std::function<int()> SetupRun(CLI::App* app) {
  auto f = std::make_shared<RunFlags>();
  app->add_option("--config", f->config, "A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) file")
      ->type_name("FILE");
  app->add_option("--kubeconfig", f->kubeconfig, "kubeconfig file with the API server and credentials")
      ->type_name("FILE");
  app->add_option("--master", f->master, "the API server's address, overriding the kubeconfig's")->type_name("URL");
  app->add_flag("--leader-elect", f->leader_elect,
                "campaign for a Lease and schedule only while holding it; --leader-elect=false: schedule at once "
                "(default: the configuration's, true)");
  app->add_option("--leader-elect-lease-duration", f->lease_duration,
                  "how long a candidate waits after the last renewal before taking over (default 15s)")
      ->type_name("DURATION");
  app->add_option("--leader-elect-renew-deadline", f->renew_deadline,
                  "how long the leader keeps trying to renew before giving up (default 10s)")
      ->type_name("DURATION");
  app->add_option("--leader-elect-retry-period", f->retry_period, "pause between election attempts (default 2s)")
      ->type_name("DURATION");
  app->add_option("--leader-elect-resource-name", f->lease_name, "the Lease's name (default kube-scheduler)")
      ->type_name("NAME");
  app->add_option("--leader-elect-resource-namespace", f->lease_namespace,
                  "the Lease's namespace (default kube-system)")
      ->type_name("NAMESPACE");
  app->add_option("--bind-address", f->bind_address, "address /healthz, /readyz and /metrics are served on (default 0.0.0.0)")
      ->type_name("IP");
  app->add_option("--secure-port", f->secure_port, "port /healthz, /readyz and /metrics are served on; 0 turns serving off (default 10259)")
      ->type_name("PORT")
      ->check(CLI::Range(0, 65535));
  app->add_option("--tls-cert-file", f->tls_cert_file, "serve HTTPS with this certificate (default: plain HTTP)")
      ->type_name("FILE");
  app->add_option("--tls-private-key-file", f->tls_key_file, "the key of --tls-cert-file")->type_name("FILE");
  app->add_option("--kube-api-qps", f->qps, "requests per second to the API server (default: the configuration's, 50)")
      ->type_name("QPS");
  app->add_option("--kube-api-burst", f->burst, "burst of requests to the API server (default: the configuration's, 100)")
      ->type_name("N");
  app->add_option("--parallelism", f->parallelism,
                  "threads for filtering and scoring (overrides the configuration's parallelism, default 16)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  return [f] { return RunRun(*f); };
}

}  // namespace schedule
