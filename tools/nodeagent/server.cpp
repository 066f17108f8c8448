#include "server.h"

#include "common/json.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/strings.h"
#include "common/url.h"

namespace nodeagent {

using common::HttpRequest;
using common::HttpResponse;
using common::Json;
using common::Responder;

namespace {

HttpResponse Text(int status, std::string body) { return HttpResponse::Text(status, std::move(body)); }

bool Truthy(const std::optional<std::string>& v) {
  return v && (*v == "true" || *v == "1" || v->empty());
}

}  // namespace

common::Result<LogOptions> ParseLogOptions(const HttpRequest& req) {
  LogOptions o;
  o.follow = Truthy(req.Query("follow"));
  o.previous = Truthy(req.Query("previous"));
  o.timestamps = Truthy(req.Query("timestamps"));
  if (auto t = req.Query("tailLines")) {
    auto n = common::ParseInt64(*t);
    if (!n) return common::Status::BadRequest("invalid tailLines: " + *t);
    if (*n >= 0) o.tail_lines = *n;
  }
  if (auto l = req.Query("limitBytes")) {
    auto n = common::ParseInt64(*l);
    if (!n || *n <= 0) return common::Status::BadRequest("invalid limitBytes: " + *l);
    o.limit_bytes = *n;
  }
  if (auto s = req.Query("sinceSeconds")) {
    auto n = common::ParseInt64(*s);
    if (!n || *n <= 0) return common::Status::BadRequest("invalid sinceSeconds: " + *s);
    o.since = common::Clock::now() - std::chrono::seconds(*n);
  }
  if (auto s = req.Query("sinceTime")) {
    auto t = common::ParseRFC3339(*s);
    if (!t.ok()) return common::Status::BadRequest("invalid sinceTime: " + *s);
    o.since = *t;
  }
  if (auto s = req.Query("stream")) {
    if (*s != "All" && *s != "Stdout" && *s != "Stderr")
      return common::Status::BadRequest("invalid stream: " + *s);
    o.stream = *s;
  }
  return o;
}

NodeServer::NodeServer(Agent* agent) : agent_(agent), exec_(agent) {
  auto ok = [](HttpRequest&, Responder r) { r.Send(Text(200, "ok")); };
  for (const char* p : {"/healthz", "/healthz/ping", "/healthz/log", "/livez", "/readyz"})
    router_.Handle("GET", p, ok);
  router_.Handle("GET", "/healthz/syncloop", [this](HttpRequest&, Responder r) {
    auto age = std::chrono::steady_clock::now() - agent_->last_loop();
    if (age > std::chrono::seconds(30))
      r.Send(Text(500, "syncloop did not run for " +
                           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(age).count()) + "s"));
    else
      r.Send(Text(200, "ok"));
  });
  router_.Handle("GET", "/metrics", [](HttpRequest&, Responder r) {
    HttpResponse resp = Text(200, common::metrics::Registry::Default().Expose());
    resp.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    r.Send(std::move(resp));
  });
  auto pods = [this](HttpRequest&, Responder r) {
    Json items = Json::array();
    for (const auto& w : agent_->Pods()) items.push_back(agent_->PodObject(*w));
    r.Send(HttpResponse::Json(200, common::DumpJson(Json{{"kind", "PodList"}, {"apiVersion", "v1"},
                                                         {"metadata", Json::object()}, {"items", items}})));
  };
  router_.Handle("GET", "/pods", pods);
  router_.Handle("GET", "/pods/", pods);
  auto running = [this](HttpRequest&, Responder r) {
    Json items = Json::array();
    for (const auto& w : agent_->Pods()) {
      auto rc = w->RunningContainers();
      if (rc.empty()) continue;
      PodSpec spec = w->Spec();
      Json containers = Json::array();
      for (const auto& c : rc) {
        const ContainerSpec* cs = spec.FindContainer(c.name);
        containers.push_back({{"name", c.name}, {"image", cs ? cs->image : ""}, {"resources", Json::object()}});
      }
      items.push_back({{"metadata", {{"name", spec.name}, {"namespace", spec.ns}, {"uid", spec.uid},
                                     {"creationTimestamp", nullptr}}},
                       {"spec", {{"containers", containers}}},
                       {"status", Json::object()}});
    }
    r.Send(HttpResponse::Json(200, common::DumpJson(Json{{"kind", "PodList"}, {"apiVersion", "v1"},
                                                         {"metadata", Json::object()}, {"items", items}})));
  };
  router_.Handle("GET", "/runningpods", running);
  router_.Handle("GET", "/runningpods/", running);
  router_.Handle("GET", "/spec/", [this](HttpRequest&, Responder r) {
    const MachineInfo& m = agent_->machine();
    Json j = {{"num_cores", m.cpu_milli / 1000},
              {"memory_capacity", m.memory_bytes},
              {"machine_id", m.machine_id},
              {"boot_id", m.boot_id},
              {"kernel_version", m.kernel_version},
              {"os_image", m.os_image}};
    r.Send(HttpResponse::Json(200, common::DumpJson(j)));
  });
  // kubectl exec: GET with a WebSocket upgrade (POST is SPDY's, answered with a 400).
  for (const char* m : {"GET", "POST"})
    router_.HandlePrefix(m, "/exec/", [this](HttpRequest& req, Responder r) { exec_.Handle(req, std::move(r)); });
  router_.HandlePrefix("GET", "/containerLogs/",
                       [this](HttpRequest& req, Responder r) { ContainerLogs(req, std::move(r)); });
}

NodeServer::~NodeServer() { Shutdown(); }

common::Status NodeServer::Start() {
  common::HttpServerOptions o;
  const Options& opts = agent_->options();
  bool v6 = opts.address.find(':') != std::string::npos;
  o.listen = {(v6 ? "[" + opts.address + "]" : opts.address) + ":" + std::to_string(opts.port)};
  o.tls_cert_file = opts.tls_cert_file;
  o.tls_key_file = opts.tls_private_key_file;
  o.handler_threads = 4;
  server_ = std::make_unique<common::HttpServer>(
      o, [this](HttpRequest& req, Responder r) { router_(req, std::move(r)); });
  return server_->Start();
}

std::string NodeServer::Address() const {
  if (!server_) return "";
  auto a = server_->BoundAddresses();
  return a.empty() ? "" : a[0];
}

void NodeServer::Shutdown() {
  if (server_) server_->Shutdown(std::chrono::milliseconds(2000));
}

void NodeServer::ContainerLogs(HttpRequest& req, Responder resp) {
  // /containerLogs/{namespace}/{pod}/{container}
  auto parts = common::Split(req.path.substr(std::string("/containerLogs/").size()), '/');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
    resp.Send(Text(400, "expected /containerLogs/{namespace}/{pod}/{container}\n"));
    return;
  }
  const std::string &ns = parts[0], &pod_name = parts[1], &container = parts[2];
  auto opts = ParseLogOptions(req);
  if (!opts.ok()) {
    resp.Send(Text(400, opts.status().message() + "\n"));
    return;
  }
  auto w = agent_->FindPod(ns, pod_name);
  if (!w) {
    resp.Send(Text(404, "pod \"" + pod_name + "\" does not exist\n"));
    return;
  }
  PodSpec spec = w->Spec();
  if (!spec.FindContainer(container)) {
    resp.Send(Text(404, "container \"" + container + "\" not found in pod \"" + pod_name + "\"\n"));
    return;
  }
  auto inst = w->Instance(container, opts->previous);
  if (!inst) {
    if (opts->previous) {
      resp.Send(Text(400, "previous terminated container \"" + container + "\" in pod \"" + pod_name +
                              "\" not found\n"));
      return;
    }
    std::string reason = "ContainerCreating";
    for (const char* key : {"containerStatuses", "initContainerStatuses"})
      for (const auto& cs : common::Get(w->Status(), key))
        if (common::GetString(cs, "name") == container)
          reason = common::GetString(common::GetPath(cs, {"state", "waiting"}), "reason", reason);
    resp.Send(Text(400, "container \"" + container + "\" in pod \"" + pod_name +
                            "\" is waiting to start: " + reason + "\n"));
    return;
  }
  std::string path = inst->log_path.empty() ? agent_->runtime().LogPath(spec, container, inst->attempt)
                                            : inst->log_path;
  LogFormatter formatter(*opts);
  uint64_t offset = 0;
  auto body = path.empty() ? common::Result<std::string>(std::string())
                           : ReadCriLog(path, *opts, &formatter, &offset);
  if (!body.ok() && !body.status().IsNotFound()) {
    resp.Send(Text(500, body.status().message() + "\n"));
    return;
  }
  std::string text = body.ok() ? *body : "";
  bool alive = inst->state == ContainerState::kRunning && !opts->previous;
  if (!opts->follow || !alive || formatter.exhausted() || path.empty()) {
    resp.Send(Text(200, std::move(text)));
    return;
  }
  auto stream = resp.Stream(200, {{"Content-Type", "text/plain"}});
  if (!text.empty()) stream->Write(std::move(text));
  std::weak_ptr<PodWorker> weak = w;
  std::string id = inst->id;
  follower_.Add(path, offset, formatter, stream, [weak, container, id] {
    auto w = weak.lock();
    if (!w) return false;
    auto now = w->Instance(container, false);
    return now && now->id == id && now->state == ContainerState::kRunning;
  });
}

}  // namespace nodeagent
