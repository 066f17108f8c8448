// /openapi/v2 and /openapi/v3 from the schemas apitypes validates with,
// rebuilt when the set of served resources (CRDs) changes.
#include <map>
#include <mutex>

#include "api_server.h"
#include "common/api/openapi.h"
#include "common/strings.h"

namespace apiserve::handlers {

using common::Json;

namespace {

// A document with its ETag (upstream's hash of the bytes served).
struct Doc {
  std::string body;
  std::string etag;  // quoted
  bool empty() const { return body.empty(); }
};

Doc MakeDoc(std::string body) {
  Doc d;
  if (body.empty()) return d;
  d.etag = "\"" + common::api::OpenApiHash(body) + "\"";
  d.body = std::move(body);
  return d;
}

struct Docs {
  uint64_t generation = 0;
  Doc v2_json;
  Doc v2_proto;
  std::string v3_index;
  std::map<std::string, Doc> v3;  // "api/v1" -> document
};

std::mutex g_mu;
Docs g_docs;

// kubectl asks with '@' (Go's mime parser rejects it in a response, so
// kube-openapi answers with the '.' form); both are accepted.
constexpr const char* kProtoV2 = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
bool IsProtoV2(std::string_view t) {
  return t == "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" || t == kProtoV2;
}

enum class V2Format { kJson, kProtobuf, kNone };

// The first media range of `accept` that /openapi/v2 can serve (ranges with
// q=0 are refused). No Accept header means JSON.
V2Format NegotiateV2(std::string_view accept) {
  if (common::TrimSpace(accept).empty()) return V2Format::kJson;
  for (auto& part : common::Split(accept, ',')) {
    auto params = common::Split(part, ';');
    std::string type = common::ToLower(common::TrimSpace(params[0]));
    bool refused = false;
    for (size_t i = 1; i < params.size(); ++i) {
      std::string p(common::TrimSpace(params[i]));
      if (p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000") refused = true;
    }
    if (refused) continue;
    if (IsProtoV2(type)) return V2Format::kProtobuf;
    if (type == "application/json" || type == "application/*" || type == "*/*") return V2Format::kJson;
  }
  return V2Format::kNone;
}

void SendDoc(common::HttpRequest& req, common::Responder& responder, const Doc& doc,
             const char* content_type, const char* cache_control) {
  common::HttpResponse r;
  r.status = 200;
  r.SetHeader("Content-Type", content_type);
  r.SetHeader("Etag", doc.etag);
  r.SetHeader("Vary", "Accept");
  r.SetHeader("Cache-Control", cache_control);
  if (req.Header("If-None-Match") == doc.etag) r.status = 304;
  else r.body = doc.body;
  Reply(req, responder, std::move(r));
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
    V2Format f = path == "/swagger.json" ? V2Format::kJson : NegotiateV2(req.Header("Accept"));
    if (f == V2Format::kNone)
      return Reply(req, responder,
                   ApiError::NotAcceptable(
                       "only the following media types are accepted: application/json, "
                       "application/com.github.proto-openapi.spec.v2@v1.0+protobuf, " +
                       std::string(kProtoV2))
                       .ToResponse());
    if (f == V2Format::kProtobuf) {
      if (g_docs.v2_proto.empty())
        g_docs.v2_proto = MakeDoc(common::api::OpenApiV2Protobuf(Builtins(s), crds));
      return SendDoc(req, responder, g_docs.v2_proto, kProtoV2, "no-cache, private");
    }
    if (g_docs.v2_json.empty()) g_docs.v2_json = MakeDoc(common::api::OpenApiV2(Builtins(s), crds));
    return SendDoc(req, responder, g_docs.v2_json, "application/json", "no-cache, private");
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
        if (doc.empty()) doc = MakeDoc(common::api::OpenApiV3(p, Builtins(s), crds));
        if (doc.empty()) continue;
        std::string hash = doc.etag.substr(1, doc.etag.size() - 2);
        index["paths"][p] = {{"serverRelativeURL", "/openapi/v3/" + p + "?hash=" + hash}};
      }
      g_docs.v3_index = common::DumpJson(index);
    }
    return Reply(req, responder, common::HttpResponse::Json(200, g_docs.v3_index));
  }
  auto& doc = g_docs.v3[rel];
  if (doc.empty()) doc = MakeDoc(common::api::OpenApiV3(rel, Builtins(s), crds));
  if (doc.empty()) return Reply(req, responder, ApiError::ResourceNotFound().ToResponse());
  // A ?hash= URL names these exact bytes, so it may be cached for good.
  bool pinned = req.Query("hash") == doc.etag.substr(1, doc.etag.size() - 2);
  SendDoc(req, responder, doc, "application/json",
          pinned ? "public, immutable" : "no-cache, private");
}

}  // namespace apiserve::handlers
