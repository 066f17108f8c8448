// kubectl exec, the kubelet's side: GET /exec/{ns}/{pod}[/{uid}]/{container}
// ?command=..&stdin=1&stdout=1&stderr=1&tty=1 upgraded to a WebSocket
// speaking the channel protocol kubectl 1.30+ uses (v5.channel.k8s.io, and
// v4 without stream close): every binary message starts with its stream
// (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize; 255 closes a stream in
// v5). The command runs inside the container (nodeagent __enter) on pipes,
// or on a pseudo-terminal with tty=1; its exit status goes out on stream 3
// as a v1.Status, NonZeroExitCode with the code for a failure.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "agent.h"
#include "common/http_server.h"

namespace nodeagent {

class ExecServer {
 public:
  explicit ExecServer(Agent* agent) : agent_(agent) {}
  // The handler for /exec/ (register with Router::HandlePrefix).
  void Handle(common::HttpRequest& req, common::Responder resp);
  // Sessions running now.
  int sessions() const { return sessions_.load(); }

  // The v1.Status kubectl reads from stream 3 for `exit_code`.
  static common::Json ExitStatus(int exit_code);

 private:
  Agent* agent_;
  std::atomic<int> sessions_{0};
};

}  // namespace nodeagent
