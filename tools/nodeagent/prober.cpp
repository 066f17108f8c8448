#include "prober.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "common/http_client.h"

namespace nodeagent {

namespace {

HandlerOutcome TcpProbe(const std::string& host, int port, std::chrono::milliseconds timeout) {
  HandlerOutcome o;
  struct addrinfo hints = {}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || !res) {
    o.result = ProbeResult::kFailure;
    o.output = "dial tcp " + host + ":" + std::to_string(port) + ": lookup failed";
    return o;
  }
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int rc = fd < 0 ? -1 : connect(fd, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  int err = 0;
  if (rc != 0 && errno == EINPROGRESS) {
    struct pollfd p = {fd, POLLOUT, 0};
    int n = poll(&p, 1, static_cast<int>(timeout.count()));
    socklen_t len = sizeof err;
    if (n <= 0) err = ETIMEDOUT;
    else getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  } else if (rc != 0) {
    err = errno;
  }
  if (fd >= 0) close(fd);
  std::string target = host + ":" + std::to_string(port);
  if (err == 0) {
    o.result = ProbeResult::kSuccess;
  } else {
    o.result = ProbeResult::kFailure;
    o.output = "dial tcp " + target + ": " +
               (err == ETIMEDOUT ? std::string("i/o timeout") : std::string("connect: ") + strerror(err));
  }
  return o;
}

HandlerOutcome HttpProbe(const Handler& h, const std::string& host, int port,
                         std::chrono::milliseconds timeout) {
  HandlerOutcome o;
  common::HttpClientOptions opts;
  std::string scheme = h.scheme == "HTTPS" ? "https" : "http";
  bool v6 = host.find(':') != std::string::npos;
  opts.server = scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  opts.insecure_skip_verify = true;
  opts.timeout = timeout;
  opts.connect_timeout = timeout;
  opts.max_retries = 0;
  opts.user_agent = "kube-probe/1.32";
  common::HttpClient client(opts);
  std::vector<common::HttpHeader> headers;
  for (const auto& [k, v] : h.headers) headers.push_back({k, v});
  auto r = client.Do("GET", h.path, "", headers);
  if (!r.ok()) {
    o.result = ProbeResult::kFailure;
    o.output = "Get \"" + opts.server + h.path + "\": " + r.status().message();
    return o;
  }
  if (r->status >= 200 && r->status < 400) {
    o.result = ProbeResult::kSuccess;
  } else {
    o.result = ProbeResult::kFailure;
    o.output = "HTTP probe failed with statuscode: " + std::to_string(r->status);
  }
  return o;
}

}  // namespace

int ResolvePort(const ContainerSpec& c, const PortRef& port) {
  if (port.number > 0) return port.number;
  for (const auto& p : c.ports)
    if (p.name == port.name) return p.container_port;
  return 0;
}

HandlerOutcome RunHandler(Runtime& runtime, const PodSpec& pod, const ContainerSpec& c,
                          const ContainerStatus& cs, const Handler& h, const std::string& pod_ip,
                          std::chrono::milliseconds timeout) {
  HandlerOutcome o;
  switch (h.kind) {
    case Handler::Kind::kExec: {
      auto r = runtime.ExecSync(pod.uid, cs, c, h.command, timeout, 10240);
      if (!r.ok()) {
        o.result = ProbeResult::kFailure;
        o.output = r.status().message();
      } else if (r->timed_out) {
        o.result = ProbeResult::kFailure;
        o.output = "command timed out after " + std::to_string(timeout.count() / 1000) + "s";
      } else {
        o.result = r->exit_code == 0 ? ProbeResult::kSuccess : ProbeResult::kFailure;
        o.output = r->output;
      }
      return o;
    }
    case Handler::Kind::kHttpGet:
    case Handler::Kind::kTcpSocket: {
      int port = ResolvePort(c, h.port);
      if (port <= 0) {
        o.result = ProbeResult::kFailure;
        o.output = "couldn't find port: " + h.port.name;
        return o;
      }
      std::string host = h.host.empty() ? pod_ip : h.host;
      if (host.empty()) host = "127.0.0.1";
      return h.kind == Handler::Kind::kHttpGet ? HttpProbe(h, host, port, timeout)
                                               : TcpProbe(host, port, timeout);
    }
    case Handler::Kind::kSleep:
      std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
          std::chrono::seconds(h.sleep_seconds), timeout));
      o.result = ProbeResult::kSuccess;
      return o;
    case Handler::Kind::kGrpc:
      o.result = ProbeResult::kUnknown;
      o.output = "grpc probes are not supported by nodeagent";
      return o;
    case Handler::Kind::kNone:
      break;
  }
  o.result = ProbeResult::kUnknown;
  o.output = "no handler";
  return o;
}

}  // namespace nodeagent
