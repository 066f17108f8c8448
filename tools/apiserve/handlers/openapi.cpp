// /openapi/v2 and /openapi/v3 from the schemas apitypes validates with,
// rebuilt when the set of served resources (CRDs) changes.
#include <functional>
#include <mutex>

#include "api_server.h"
#include "common/api/openapi.h"
#include "common/strings.h"

namespace apiserve::handlers {

using common::Json;

namespace {

struct Docs {
  uint64_t generation = 0;
  std::string v2;
  std::string v3_index;
  std::map<std::string, std::string> v3;  // "api/v1" -> document
};

std::mutex g_mu;
Docs g_docs;

std::string Hash(const std::string& s) {
  char buf[32];
  snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(std::hash<std::string>{}(s)));
  return buf;
}

std::vector<common::api::ResourceInfo> Builtins(ApiServer& s) {
  std::vector<common::api::ResourceInfo> out;
  for (const auto& r : s.resources().All())
    if (!r->custom) out.push_back(r->info);
  return out;
}

}  // namespace

void OpenApi(ApiServer& s, common::HttpRequest& req, common::Responder& responder) {
  std::string path = req.path;
  uint64_t gen = s.resources().generation();
  std::unique_lock<std::mutex> lock(g_mu);
  if (g_docs.generation != gen) {
    g_docs = Docs();
    g_docs.generation = gen;
  }
  auto crds = s.resources().Crds();
  if (path == "/openapi/v2" || path == "/swagger.json") {
    std::string accept(req.Header("Accept"));
    bool json_ok = accept.empty() || accept.find("json") != std::string::npos ||
                   accept.find("*/*") != std::string::npos;
    if (!json_ok)
      return Reply(req, responder, ApiError::NotAcceptable(
                                "only the following media types are accepted: application/json")
                                .ToResponse());
    if (g_docs.v2.empty()) g_docs.v2 = common::api::OpenApiV2(Builtins(s), crds);
    auto r = common::HttpResponse::Json(200, g_docs.v2);
    r.SetHeader("Etag", "\"" + Hash(g_docs.v2) + "\"");
    if (req.Header("If-None-Match") == "\"" + Hash(g_docs.v2) + "\"") {
      r.status = 304;
      r.body.clear();
    }
    return Reply(req, responder, std::move(r));
  }
  // /openapi/v3 and /openapi/v3/<api|apis/...>
  std::string rel = path.size() > std::string("/openapi/v3").size()
                        ? path.substr(std::string("/openapi/v3/").size())
                        : "";
  while (!rel.empty() && rel.back() == '/') rel.pop_back();
  if (rel.empty()) {
    if (g_docs.v3_index.empty()) {
      // The index names each document by the hash of its content, so a client
      // can cache documents for good.
      Json index = {{"paths", Json::object()}};
      for (const auto& gv : s.resources().GroupVersions()) {
        std::string p = gv.group.empty() ? "api/" + gv.version : "apis/" + gv.group + "/" + gv.version;
        auto& doc = g_docs.v3[p];
        if (doc.empty()) doc = common::api::OpenApiV3(p, Builtins(s), crds);
        if (doc.empty()) continue;
        index["paths"][p] = {{"serverRelativeURL", "/openapi/v3/" + p + "?hash=" + Hash(doc)}};
      }
      g_docs.v3_index = common::DumpJson(index);
    }
    return Reply(req, responder, common::HttpResponse::Json(200, g_docs.v3_index));
  }
  auto& doc = g_docs.v3[rel];
  if (doc.empty()) doc = common::api::OpenApiV3(rel, Builtins(s), crds);
  if (doc.empty()) return Reply(req, responder, ApiError::ResourceNotFound().ToResponse());
  auto r = common::HttpResponse::Json(200, doc);
  std::string tag = Hash(doc);
  r.SetHeader("Etag", "\"" + tag + "\"");
  if (req.Query("hash") == tag) r.SetHeader("Cache-Control", "public, immutable");
  else r.SetHeader("Cache-Control", "no-cache, private");
  Reply(req, responder, std::move(r));
}

}  // namespace apiserve::handlers
