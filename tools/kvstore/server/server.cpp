#include "server.h"

#include <thread>

#include "common/log.h"
#include "common/strings.h"
#include "server_internal.h"

namespace kvstore {
namespace {

uint64_t Fnv64(std::string_view s, uint64_t h = 14695981039346656037ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void AddCors(std::vector<common::HttpHeader>* h) {
  h->push_back({"Access-Control-Allow-Headers", "accept, content-type, authorization"});
  h->push_back({"Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE"});
  h->push_back({"Access-Control-Allow-Origin", "*"});
}

common::HttpResponse PlainText(int status, std::string body) {
  common::HttpResponse r = common::HttpResponse::Text(status, std::move(body));
  AddCors(&r.headers);
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  return r;
}

// The gateway's method name for a path, for the request counter.
std::string MethodLabel(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::vector<common::HttpHeader> JsonHeaders() {
  std::vector<common::HttpHeader> h;
  h.reserve(5);
  AddCors(&h);
  h.push_back({"Content-Type", "application/json"});
  h.push_back({"Grpc-Metadata-Content-Type", "application/grpc"});
  return h;
}

void SendJson(const common::Responder& r, std::string body) {
  common::HttpResponse res;
  res.status = 200;
  res.headers = JsonHeaders();
  res.body = std::move(body);
  r.Send(std::move(res));
}

void SendError(const common::Responder& r, int grpc_code, std::string_view message) {
  auto e = common::etcd::EncodeError(grpc_code, message);
  common::HttpResponse res;
  res.status = e.http_status;
  AddCors(&res.headers);
  res.headers.push_back({"Content-Type", "application/json"});
  res.body = std::move(e.body);
  r.Send(std::move(res));
}

void SendError(const common::Responder& r, const common::Status& st) {
  SendError(r, common::kv::GrpcCode(st), st.message());
}

void Server::State::TrackStream(const std::shared_ptr<common::HttpStream>& s) {
  std::lock_guard<std::mutex> lock(streams_mu);
  // Drop entries of streams already gone, so the list stays small.
  std::erase_if(streams, [](const auto& w) { return w.expired(); });
  streams.push_back(s);
}

Server::Server(common::mvcc::MvccStore* store, ServerOptions options)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.store = store;
  s.opts = std::move(options);
  // Stable IDs derived from the member's identity, as etcd derives them from
  // its name and URLs; never 0 (0 means "unset" on the wire).
  std::string who = s.opts.name;
  for (const auto& u : s.opts.advertise_client_urls) who += "|" + u;
  s.member_id = Fnv64(who) | 1;
  s.cluster_id = Fnv64("cluster|" + std::to_string(s.member_id)) | 1;
  auto& reg = common::metrics::Registry::Default();
  s.requests = &reg.AddCounter("grpc_server_handled_total",
                               "Requests completed on the server, by method and code.",
                               {"grpc_method", "code"});
  s.watch_streams = &reg.AddGauge("etcd_debugging_mvcc_watch_stream_total",
                                  "Total number of watch streams.")
                         .With({});
  // (etcd_debugging_mvcc_watcher_total is the engine's: it counts watchers.)
}

Server::~Server() { Shutdown(std::chrono::milliseconds(0)); }

common::Status Server::Start() {
  State* s = state_.get();
  s->pool = std::make_unique<common::ThreadPool>(std::max(1, s->opts.worker_threads), "kv-worker");
  common::Router router;
  for (const std::string prefix : {"/v3", "/v3beta"}) {
    AddKvRoutes(router, prefix, s);
    AddWatchRoutes(router, prefix, s);
    AddLeaseRoutes(router, prefix, s);
    AddMaintenanceRoutes(router, prefix, s);
  }
  AddPlainRoutes(router, s);
  // CORS preflight: etcd answers OPTIONS on every path with an empty 200.
  router.SetNotFound([](common::HttpRequest& req, common::Responder r) {
    if (req.method == "OPTIONS") return r.Send(PlainText(200, ""));
    // The gateway answers for everything under /v3/; Go's mux for the rest.
    bool gateway = req.path.starts_with("/v3/") || req.path.starts_with("/v3beta/");
    r.Send(PlainText(404, gateway ? "Not Found\n" : "404 page not found\n"));
  });
  router.SetMethodNotAllowed([](common::HttpRequest& req, common::Responder r) {
    if (req.method == "OPTIONS") return r.Send(PlainText(200, ""));
    auto res = PlainText(405, "Method Not Allowed\n");
    if (!req.path.starts_with("/v3")) res.headers.push_back({"Allow", "GET"});
    r.Send(std::move(res));
  });

  common::HttpServerOptions ho;
  ho.listen = s->opts.listen;
  ho.tls_cert_file = s->opts.cert_file;
  ho.tls_key_file = s->opts.key_file;
  ho.tls_client_ca_file = s->opts.trusted_ca_file;
  ho.io_threads = s->opts.io_threads > 0
                      ? s->opts.io_threads
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Room for a request at the limit in base64 JSON; the exact limit is
  // checked on the decoded request, as etcd checks its protobuf size.
  ho.max_body_bytes = static_cast<size_t>(s->opts.max_request_bytes) * 4 / 3 + 64 * 1024;
  ho.too_large = [](size_t) {
    auto e = common::etcd::EncodeError(3, common::kv::kErrRequestTooLarge);
    auto res = common::HttpResponse::Json(e.http_status, std::move(e.body));
    AddCors(&res.headers);
    return res;
  };
  // The gateway's bidirectional streams read their request body as it comes.
  ho.stream_body = [](const common::HttpRequest& req) {
    std::string_view p = req.path;
    return req.method == "POST" && (p.ends_with("/watch") || p.ends_with("/lease/keepalive"));
  };
  ho.on_complete = [s](const common::HttpRequest& req, int status,
                       std::chrono::steady_clock::duration) {
    s->requests->With({MethodLabel(req.path), std::to_string(status)}).Inc();
  };
  s->http = std::make_unique<common::HttpServer>(ho, std::move(router));
  return s->http->Start();
}

std::vector<std::string> Server::BoundAddresses() const {
  return state_->http ? state_->http->BoundAddresses() : std::vector<std::string>{};
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  State* s = state_.get();
  if (s->stopping.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lock(s->streams_mu);
    for (auto& w : s->streams)
      if (auto st = w.lock()) st->Close();
    s->streams.clear();
  }
  if (s->http) s->http->Shutdown(grace);
  s->pool.reset();  // finishes queued work (watch cleanups) and joins
}

}  // namespace kvstore
