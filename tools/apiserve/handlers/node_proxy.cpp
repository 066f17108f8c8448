// pods/log and pods/exec, proxied to the pod's node agent.
#include "handlers/node_proxy.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <thread>

#include "common/http_client.h"
#include "common/log.h"
#include "common/strings.h"
#include "rest.h"

namespace apiserve::handlers {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using common::Json;
using tcp = asio::ip::tcp;

namespace {

// Bytes queued towards a client beyond which the proxy stops reading from the
// node until the client catches up (a slow kubectl must not make apiserve
// buffer a whole log).
constexpr size_t kMaxPending = 1 << 20;

// Where a request goes: the node's address and port, and the container.
struct Target {
  std::string ns, pod, container;
  std::string host;
  int port = 0;
};

// Sends `e` with the request's Audit-Id (usable after the Request is gone).
void SendError(const common::Responder& responder, const std::string& audit_id, const ApiError& e) {
  common::HttpResponse resp = e.ToResponse();
  if (!audit_id.empty()) resp.SetHeader("Audit-Id", audit_id);
  responder.Send(std::move(resp));
}

std::vector<std::string> ContainerNames(const Json& spec, const char* field) {
  std::vector<std::string> names;
  const Json& list = common::Get(spec, field);
  if (list.is_array())
    for (const auto& c : list) names.push_back(common::GetString(c, "name"));
  return names;
}

// The pod, its node's address and the container `r` is about, or the error
// kube-apiserver gives (pkg/registry/core/pod/strategy.go: LogLocation,
// ExecLocation).
std::optional<ApiError> Resolve(ApiServer& s, Request& r, Target* t) {
  t->ns = r.info.namespace_;
  t->pod = r.info.name;
  rest::Stored pod;
  if (auto e = rest::Get(s, *r.res, t->ns, t->pod, &pod)) return e;
  const Json& obj = pod.Obj();
  const Json& spec = common::Get(obj, "spec");
  auto containers = ContainerNames(spec, "containers");
  auto init = ContainerNames(spec, "initContainers");
  auto ephemeral = ContainerNames(spec, "ephemeralContainers");
  t->container = r.http.Query("container").value_or("");
  if (t->container.empty()) {
    if (containers.size() != 1) {
      std::string msg = "a container name must be specified for pod " + t->pod +
                        ", choose one of: [" + common::Join(containers, " ") + "]";
      if (!init.empty()) msg += " or one of the init containers: [" + common::Join(init, " ") + "]";
      return ApiError::BadRequest(msg);
    }
    t->container = containers[0];
  } else {
    auto has = [&](const std::vector<std::string>& v) {
      return std::find(v.begin(), v.end(), t->container) != v.end();
    };
    if (!has(containers) && !has(init) && !has(ephemeral))
      return ApiError::BadRequest("container " + t->container + " is not valid for pod " + t->pod);
  }
  if (r.info.subresource != "log") {
    std::string phase = common::GetString(common::Get(obj, "status"), "phase");
    if (phase == "Succeeded" || phase == "Failed")
      return ApiError::BadRequest("cannot exec into a container in a completed pod; current phase is " + phase);
  }
  std::string node_name = common::GetString(spec, "nodeName");
  if (node_name.empty()) return ApiError::BadRequest("pod " + t->pod + " does not have a host assigned");

  auto nodes = s.resources().Find("", "v1", "nodes");
  if (!nodes) return ApiError::Internal("the nodes resource is not served");
  rest::Stored node;
  if (auto e = rest::Get(s, *nodes, "", node_name, &node)) return e;
  const Json& status = common::Get(node.Obj(), "status");
  t->port = static_cast<int>(
      common::GetInt(common::GetPath(status, {"daemonEndpoints", "kubeletEndpoint"}), "Port"));
  const Json& addrs = common::Get(status, "addresses");
  for (const char* type : {"InternalIP", "ExternalIP", "Hostname"}) {
    if (!t->host.empty() || !addrs.is_array()) break;
    for (const auto& a : addrs) {
      if (common::GetString(a, "type") == type) {
        t->host = common::GetString(a, "address");
        break;
      }
    }
  }
  if (t->host.empty() || t->port <= 0)
    return ApiError::ServiceUnavailable("node " + node_name + " has no address or kubelet port");
  return std::nullopt;
}

// A node's plain-text error answer as the Status kube-apiserver makes of it.
ApiError NodeError(int code, std::string body) {
  while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.pop_back();
  const char* reason = "InternalError";
  switch (code) {
    case 400: reason = "BadRequest"; break;
    case 401: reason = "Unauthorized"; break;
    case 403: reason = "Forbidden"; break;
    case 404: reason = "NotFound"; break;
    case 409: reason = "Conflict"; break;
    case 429: reason = "TooManyRequests"; break;
    case 503: reason = "ServiceUnavailable"; break;
    case 504: reason = "Timeout"; break;
    default: break;
  }
  return ApiError{code, reason, body, nullptr, 0};
}

std::string HostPort(const Target& t) {
  bool v6 = t.host.find(':') != std::string::npos;
  return (v6 ? "[" + t.host + "]" : t.host) + ":" + std::to_string(t.port);
}

// The node's path for `r` with the client's query passed through.
std::string NodePath(const Request& r, const Target& t, const char* prefix) {
  std::string path = std::string(prefix) + t.ns + "/" + t.pod + "/" + t.container;
  if (!r.http.query.empty()) path += "?" + r.http.query;
  return path;
}

// ---------------------------------------------------------------------------
// pods/log: an HTTP stream, copied through on a thread of its own (a follow
// lasts as long as the client wants it).

void ProxyLog(Request& r, const Target& t) {
  common::HttpClientOptions o;
  o.server = "http://" + HostPort(t);
  o.max_retries = 0;
  o.user_agent = "apiserve";
  auto client = std::make_shared<common::HttpClient>(o);
  std::string path = NodePath(r, t, "/containerLogs/");
  std::thread([client, path, responder = r.responder, audit = r.audit_id, server = o.server] {
    std::shared_ptr<common::HttpStream> out;
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    auto on_data = [&](std::string_view chunk) {
      if (!out) {
        out = responder.Stream(200, {{"Content-Type", "text/plain"}, {"Audit-Id", audit}});
        out->OnClose([cancel] { *cancel = true; });
      }
      while (out->Pending() > kMaxPending && !out->closed())
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return out->Write(std::string(chunk));
    };
    auto res = client->Stream("GET", path, {}, {}, on_data, cancel.get());
    if (out) {
      out->Close();
      return;
    }
    if (!res.ok()) {
      // As kube-apiserver reports a kubelet it cannot reach.
      SendError(responder, audit,
                ApiError::Internal("Get \"" + server + path + "\": " + res.status().message()));
      return;
    }
    std::string ct(res->Header("Content-Type"));
    if (res->status >= 300 && ct.find("json") == std::string::npos) {
      // A kubelet answers errors in plain text; kube-apiserver turns them
      // into a Status carrying that text (NewGenericServerResponse).
      return SendError(responder, audit, NodeError(res->status, res->body));
    }
    common::HttpResponse resp;
    resp.status = res->status;
    resp.body = std::move(res->body);
    resp.SetHeader("Content-Type", ct.empty() ? "text/plain" : ct);
    resp.SetHeader("Audit-Id", audit);
    responder.Send(std::move(resp));
  }).detach();
}

// ---------------------------------------------------------------------------
// pods/exec: two WebSockets, the client's (the HTTP server's) and one to the
// node (Beast, on an io_context and thread of the relay's own), with every
// message copied across.

class Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay() : ws_(ioc_), timer_(ioc_) {}

  // Connects to the node and runs the handshake for `target`, offering
  // `protocols` (the client's Sec-WebSocket-Protocol). On an HTTP answer other
  // than 101, fills *refusal with it and returns false; on a transport error,
  // fills *error.
  bool Dial(const Target& t, const std::string& target, const std::string& protocols,
            common::HttpResponse* refusal, std::string* error) {
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(t.host, std::to_string(t.port), ec);
    auto& sock = beast::get_lowest_layer(ws_);
    sock.expires_after(std::chrono::seconds(10));
    if (!ec) sock.connect(results, ec);
    if (ec) {
      *error = "dial tcp " + HostPort(t) + ": " + ec.message();
      return false;
    }
    ws_.set_option(websocket::stream_base::decorator([protocols](websocket::request_type& req) {
      if (!protocols.empty()) req.set(http::field::sec_websocket_protocol, protocols);
      req.set(http::field::user_agent, "apiserve");
    }));
    websocket::response_type res;
    ws_.handshake(res, HostPort(t), target, ec);
    sock.expires_never();
    if (ec == websocket::error::upgrade_declined || (!ec && res.result_int() != 101)) {
      refusal->status = res.result_int();
      refusal->body = res.body();
      std::string ct(res[http::field::content_type]);
      refusal->SetHeader("Content-Type", ct.empty() ? "text/plain" : ct);
      return false;
    }
    if (ec) {
      *error = "upgrade to the node's WebSocket: " + ec.message();
      return false;
    }
    protocol_ = std::string(res[http::field::sec_websocket_protocol]);
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    return true;
  }
  const std::string& protocol() const { return protocol_; }

  // Relays until either side ends; `client` is the accepted client socket.
  void Start(std::shared_ptr<common::WebSocket> client) {
    client_ = std::move(client);
    Read();
    std::thread([self = shared_from_this()] { self->ioc_.run(); }).detach();
  }

  // From the client's handlers (an I/O thread of the HTTP server).
  void FromClient(std::string data, bool text) {
    asio::post(ioc_, [self = shared_from_this(), data = std::move(data), text]() mutable {
      if (self->closing_) return;
      self->outq_.emplace_back(std::move(data), text);
      if (!self->writing_) self->WriteNext();
    });
  }
  void ClientClosed() {
    asio::post(ioc_, [self = shared_from_this()] {
      if (self->closing_) return;
      self->closing_ = true;
      self->outq_.clear();
      if (!self->writing_) self->CloseNode();
    });
  }

 private:
  void CloseNode() {
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
  }
  void WriteNext() {
    if (outq_.empty()) {
      writing_ = false;
      if (closing_) CloseNode();
      return;
    }
    writing_ = true;
    ws_.binary(!outq_.front().second);
    ws_.async_write(asio::buffer(outq_.front().first),
                    [self = shared_from_this()](beast::error_code ec, size_t) {
                      self->outq_.pop_front();
                      if (ec) {
                        self->writing_ = false;
                        self->outq_.clear();
                        return;
                      }
                      self->WriteNext();
                    });
  }
  void Read() {
    ws_.async_read(buf_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        // The node closed (with the exit status already sent) or went away.
        auto reason = self->ws_.reason();
        if (ec == websocket::error::closed)
          self->client_->Close(static_cast<uint16_t>(reason.code), std::string(reason.reason.data(), reason.reason.size()));
        else
          self->client_->Close(1011, "the node's stream broke: " + ec.message());
        self->closing_ = true;
        return;
      }
      self->client_->Send(beast::buffers_to_string(self->buf_.data()), self->ws_.got_text());
      self->buf_.consume(self->buf_.size());
      self->ReadWhenDrained();
    });
  }
  // Reads on once the client has taken most of what was sent to it.
  void ReadWhenDrained() {
    if (client_->Pending() <= kMaxPending || client_->closed()) return Read();
    timer_.expires_after(std::chrono::milliseconds(5));
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->ReadWhenDrained(); });
  }

  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  asio::steady_timer timer_;
  beast::flat_buffer buf_;
  std::string protocol_;
  std::shared_ptr<common::WebSocket> client_;
  // The rest only on ioc_'s thread.
  std::deque<std::pair<std::string, bool>> outq_;
  bool writing_ = false;
  bool closing_ = false;
};

void ProxyExec(Request& r, const Target& t) {
  if (!common::IsWebSocketUpgrade(r.http)) {
    // SPDY/3.1 (kubectl before 1.30, or with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false).
    return r.Fail(ApiError::BadRequest(
        "apiserve streams exec over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io) only; "
        "SPDY upgrades are not supported"));
  }
  std::string offered;
  for (const auto& h : r.http.headers) {
    if (!common::EqualsIgnoreCase(h.name, "Sec-WebSocket-Protocol")) continue;
    if (!offered.empty()) offered += ", ";
    offered += h.value;
  }
  auto relay = std::make_shared<Relay>();
  common::HttpResponse refusal;
  std::string error;
  if (!relay->Dial(t, NodePath(r, t, "/exec/"), offered, &refusal, &error)) {
    if (!error.empty()) return r.Fail(ApiError::Internal(error));
    if (refusal.body.empty() || refusal.body[0] != '{') return r.Fail(NodeError(refusal.status, refusal.body));
    refusal.SetHeader("Audit-Id", r.audit_id);
    return r.responder.Send(std::move(refusal));
  }
  std::vector<std::string> protocols;
  if (!relay->protocol().empty()) protocols.push_back(relay->protocol());
  auto client = r.responder.AcceptWebSocket(
      r.http, protocols,
      {[relay](std::string data, bool text) { relay->FromClient(std::move(data), text); },
       [relay] { relay->ClientClosed(); }});
  if (!client) return;  // answered 400 already; the relay closes the node's socket
  relay->Start(std::move(client));
}

}  // namespace

void NodeProxy(ApiServer& s, Request& r) {
  const std::string& sub = r.info.subresource;
  if (r.res->info.group != "" || r.res->info.resource != "pods")
    return r.Fail(ApiError::ResourceNotFound());
  if (sub == "log" && r.info.verb != "get") return r.Fail(ApiError::MethodNotAllowed());
  Target t;
  if (auto e = Resolve(s, r, &t)) return r.Fail(*e);
  if (sub == "log") return ProxyLog(r, t);
  if (sub == "exec") return ProxyExec(r, t);
  return r.Fail(ApiError::ServiceUnavailable("the " + sub + " subresource is not served yet"));
}

}  // namespace apiserve::handlers
