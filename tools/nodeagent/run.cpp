#include "run.h"

#include "agent.h"
#include "common/cli.h"
#include "common/log.h"
#include "common/signals.h"
#include "duration.h"
#include "node_api.h"
#include "server.h"
#include "static_pods.h"

namespace nodeagent {

int Run(const Options& options) {
  Agent agent(options);
  if (auto st = agent.Start(); !st.ok()) return common::cli::Fail(st);
  NodeServer server(&agent);
  if (auto st = server.Start(); !st.ok()) {
    agent.Stop();
    return common::cli::Fail(st);
  }
  std::unique_ptr<NodeApi> api;
  if (!options.kubeconfig.empty()) {
    std::string addr = server.Address();
    int port = std::atoi(addr.substr(addr.rfind(':') + 1).c_str());
    api = std::make_unique<NodeApi>(&agent, port);
    if (auto st = api->Start(); !st.ok()) {
      server.Shutdown();
      agent.Stop();
      return common::cli::Fail(st);
    }
  }
  std::unique_ptr<StaticPodSource> files;
  if (!options.pod_manifest_path.empty()) {
    auto freq = std::chrono::duration_cast<std::chrono::milliseconds>(
        *ParseDuration(options.file_check_frequency));
    files = std::make_unique<StaticPodSource>(
        options.pod_manifest_path, agent.node_name(), freq,
        [&agent](std::vector<common::Json> pods) { agent.SetPods("file", std::move(pods)); });
    files->Start();
  }
  LOG_INFO("serving", {"address", server.Address()},
           {"tls", !options.tls_cert_file.empty()});
  common::NotifyReady();
  int sig = common::WaitForShutdownSignal();
  LOG_INFO("shutting down; pods keep running", {"signal", sig});
  common::NotifyStopping();
  files.reset();
  server.Shutdown();
  if (api) api->Stop();
  agent.Stop();
  return common::cli::kExitOk;
}

}  // namespace nodeagent
