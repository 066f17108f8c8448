// Paths outside /api and /apis resources: health checks, /version,
// /metrics, OpenAPI and discovery documents.
#include "api_server.h"
#include "common/metrics.h"
#include "common/strings.h"

namespace apiserve {

namespace {

// kube-apiserver's health checks as ?verbose lists them.
common::HttpResponse Health(const std::string& path, bool ok_storage, bool ready, bool shutting,
                            bool verbose, const std::string& check_name) {
  struct Check {
    std::string name;
    bool ok;
  };
  std::vector<Check> checks = {{"ping", true}, {"log", true}, {"etcd", ok_storage},
                               {"poststarthook/start-apiextensions-controllers", ready},
                               {"poststarthook/bootstrap-controller", ready}};
  bool readyz = path.starts_with("/readyz");
  if (readyz) {
    checks.push_back({"informer-sync", ready});
    checks.push_back({"shutdown", !shutting});
  }
  std::string kind = readyz ? "readyz" : path.starts_with("/livez") ? "livez" : "healthz";
  if (!check_name.empty()) {
    for (const auto& c : checks)
      if (c.name == check_name)
        return common::HttpResponse::Text(c.ok ? 200 : 500,
                                          c.ok ? "ok" : "internal server error: " + c.name + " failed\n");
    return common::HttpResponse::Text(404, "404 page not found\n");
  }
  bool all = true;
  std::string body;
  for (const auto& c : checks) {
    all = all && c.ok;
    body += c.ok ? "[+]" + c.name + " ok\n" : "[-]" + c.name + " failed: reason withheld\n";
  }
  if (all) {
    if (!verbose) return common::HttpResponse::Text(200, "ok");
    return common::HttpResponse::Text(200, body + kind + " check passed\n");
  }
  return common::HttpResponse::Text(500, body + kind + " check failed\n");
}

}  // namespace

void ApiServer::ServeNonResource(common::HttpRequest& req, common::Responder& responder,
                                 const RequestInfo& info) {
  const std::string& p = req.path;
  if (p == "/healthz" || p == "/livez" || p == "/readyz" || p.starts_with("/healthz/") ||
      p.starts_with("/livez/") || p.starts_with("/readyz/")) {
    std::string name;
    if (auto slash = p.find('/', 1); slash != std::string::npos) name = p.substr(slash + 1);
    bool storage_ok = store_.CurrentRevision().ok();
    bool verbose = req.Query("verbose").has_value();
    return Reply(req, responder, Health(p, storage_ok, ready(), shutting_down(), verbose, name));
  }
  if (p == "/version" || p == "/version/") {
    common::Json v = {{"major", "1"},
                      {"minor", "32"},
                      {"gitVersion", "v1.32.4+kubix"},
                      {"gitCommit", "0000000000000000000000000000000000000000"},
                      {"gitTreeState", "clean"},
                      {"buildDate", __DATE__ " " __TIME__},
                      {"goVersion", ""},
                      {"compiler", "gcc"},
                      {"platform", "linux/amd64"}};
    return Reply(req, responder, common::HttpResponse::Json(200, common::DumpJsonPretty(v, 2)));
  }
  if (p == "/metrics") {
    auto r = common::HttpResponse::Text(200, metrics_->Expose());
    r.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return Reply(req, responder, std::move(r));
  }
  if (p == "/openapi/v2" || p.starts_with("/openapi/v3") || p == "/swagger.json")
    return handlers::OpenApi(*this, req, responder);
  if (p == "/api" || p == "/api/" || p == "/apis" || p == "/apis/" ||
      (!info.api_prefix.empty() && !info.is_resource_request))
    return handlers::Discovery(*this, req, responder, info);
  Reply(req, responder, ApiError::ResourceNotFound().ToResponse());
}

}  // namespace apiserve
