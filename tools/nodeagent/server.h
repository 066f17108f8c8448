// The node's HTTP(S) server on --port: the kubelet's paths that apiserve
// and clients call (/healthz, /metrics, /pods, /runningpods/,
// /containerLogs/<ns>/<pod>/<container>, /spec/).
#pragma once

#include <memory>

#include "agent.h"
#include "common/http_server.h"
#include "exec_server.h"
#include "log_follower.h"

namespace nodeagent {

class NodeServer {
 public:
  explicit NodeServer(Agent* agent);
  ~NodeServer();

  // Binds --address:--port (TLS when a certificate is configured).
  common::Status Start();
  // "host:port" actually bound.
  std::string Address() const;
  void Shutdown();

  // Extra routes (the API side adds /exec); call before Start.
  common::Router& router() { return router_; }

 private:
  void ContainerLogs(common::HttpRequest& req, common::Responder resp);
  Agent* agent_;
  common::Router router_;
  LogFollower follower_;
  ExecServer exec_;
  std::unique_ptr<common::HttpServer> server_;
};

// Parses the /containerLogs query into options; BadRequest on bad values.
common::Result<LogOptions> ParseLogOptions(const common::HttpRequest& req);

}  // namespace nodeagent
