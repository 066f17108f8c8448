// Discovery: the legacy documents (/api, /apis, /apis/<g>, /api/v1,
// /apis/<g>/<v>) with exactly "Content-Type: application/json" (kubectl 1.27.0
// and .1 compare it verbatim), and aggregated discovery (apidiscovery.k8s.io
// v2 and v2beta1) when the Accept header asks for it, with an ETag.
#include <functional>

#include "api_server.h"
#include "common/strings.h"

namespace apiserve::handlers {

using common::Json;

namespace {

struct SubInfo {
  std::string name, group, version, kind;
  std::vector<std::string> verbs;
};

std::vector<SubInfo> Subresources(const ServedResource& r) {
  std::vector<SubInfo> out;
  for (const auto& name : r.info.subresources) {
    SubInfo s;
    s.name = name;
    s.kind = r.info.kind;
    if (r.custom) {
      if (name == "status") s.verbs = {"get", "patch", "update"};
      if (name == "scale") {
        s.group = "autoscaling";
        s.version = "v1";
        s.kind = "Scale";
        s.verbs = {"get", "patch", "update"};
      }
    } else if (auto si = common::api::FindSubresource(r.info, name)) {
      s.group = si->group;
      s.version = si->version;
      s.kind = si->kind;
      s.verbs = si->verbs;
    }
    if (s.verbs.empty()) continue;
    out.push_back(std::move(s));
  }
  return out;
}

// A hash of the served resources for storageVersionHash-like ETags.
std::string Etag(const std::string& body) {
  return "\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
}

Json ResourceList(ApiServer& s, const std::string& group, const std::string& version) {
  Json resources = Json::array();
  for (const auto& r : s.resources().All()) {
    if (r->info.group != group || r->info.version != version) continue;
    Json e = Json::object();
    e["name"] = r->info.resource;
    e["singularName"] = r->info.singular;
    e["namespaced"] = r->info.namespaced;
    e["kind"] = r->info.kind;
    e["verbs"] = r->info.verbs;
    if (!r->info.short_names.empty()) e["shortNames"] = r->info.short_names;
    if (!r->info.categories.empty()) e["categories"] = r->info.categories;
    resources.push_back(std::move(e));
    for (const auto& sub : Subresources(*r)) {
      Json se = Json::object();
      se["name"] = r->info.resource + "/" + sub.name;
      se["singularName"] = "";
      se["namespaced"] = r->info.namespaced;
      if (!sub.group.empty() || !sub.version.empty()) {
        se["group"] = sub.group;
        se["version"] = sub.version.empty() ? version : sub.version;
      }
      se["kind"] = sub.kind;
      se["verbs"] = sub.verbs;
      resources.push_back(std::move(se));
    }
  }
  return resources;
}

Json GroupDoc(ApiServer& s, const std::string& group) {
  Json versions = Json::array();
  for (const auto& gv : s.resources().GroupVersions())
    if (gv.group == group)
      versions.push_back({{"groupVersion", gv.String()}, {"version", gv.version}});
  std::string pref = s.resources().PreferredVersion(group);
  return {{"name", group},
          {"versions", versions},
          {"preferredVersion", {{"groupVersion", group + "/" + pref}, {"version", pref}}}};
}

Json AggregatedGroup(ApiServer& s, const std::string& group) {
  Json versions = Json::array();
  for (const auto& gv : s.resources().GroupVersions()) {
    if (gv.group != group) continue;
    Json res = Json::array();
    for (const auto& r : s.resources().All()) {
      if (r->info.group != group || r->info.version != gv.version) continue;
      Json e = Json::object();
      e["resource"] = r->info.resource;
      e["responseKind"] = {{"group", group}, {"version", gv.version}, {"kind", r->info.kind}};
      e["scope"] = r->info.namespaced ? "Namespaced" : "Cluster";
      e["singularResource"] = r->info.singular;
      e["verbs"] = r->info.verbs;
      if (!r->info.short_names.empty()) e["shortNames"] = r->info.short_names;
      if (!r->info.categories.empty()) e["categories"] = r->info.categories;
      Json subs = Json::array();
      for (const auto& sub : Subresources(*r)) {
        subs.push_back({{"subresource", sub.name},
                        {"responseKind",
                         {{"group", sub.group.empty() && sub.version.empty() ? group : sub.group},
                          {"version", sub.version.empty() ? gv.version : sub.version},
                          {"kind", sub.kind}}},
                        {"verbs", sub.verbs}});
      }
      if (!subs.empty()) e["subresources"] = std::move(subs);
      res.push_back(std::move(e));
    }
    versions.push_back({{"version", gv.version}, {"resources", res}, {"freshness", "Current"}});
  }
  Json md = Json::object();
  md["creationTimestamp"] = nullptr;
  if (!group.empty()) md["name"] = group;
  return {{"metadata", md}, {"versions", versions}};
}

// The aggregated version the client asks for first ("v2", "v2beta1"), or "".
std::string WantsAggregated(std::string_view accept) {
  for (const auto& part : common::Split(accept, ',')) {
    auto fields = common::Split(part, ';');
    if (common::TrimSpace(fields[0]) != "application/json") continue;
    std::string g, v, as;
    for (size_t i = 1; i < fields.size(); ++i) {
      auto f = common::TrimSpace(fields[i]);
      auto eq = f.find('=');
      if (eq == std::string::npos) continue;
      auto k = f.substr(0, eq), val = f.substr(eq + 1);
      if (k == "g") g = val;
      if (k == "v") v = val;
      if (k == "as") as = val;
    }
    if (as.empty()) return "";  // plain JSON preferred before any aggregated type
    if (g == "apidiscovery.k8s.io" && as == "APIGroupDiscoveryList" && (v == "v2" || v == "v2beta1"))
      return v;
  }
  return "";
}

void SendDoc(common::HttpRequest& req, common::Responder& responder, const std::string& body,
             const std::string& content_type, bool etag) {
  common::HttpResponse r;
  r.status = 200;
  r.headers.push_back({"Content-Type", content_type});
  if (etag) {
    std::string tag = Etag(body);
    r.headers.push_back({"Etag", tag});
    r.headers.push_back({"Vary", "Accept"});
    if (req.Header("If-None-Match") == tag) {
      r.status = 304;
      return Reply(req, responder, std::move(r));
    }
  }
  r.body = body;
  Reply(req, responder, std::move(r));
}

}  // namespace

void Discovery(ApiServer& s, common::HttpRequest& req, common::Responder& responder,
               const RequestInfo& info) {
  std::string path = req.path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  std::string agg = WantsAggregated(req.Header("Accept"));
  if (path == "/api" || path == "/apis") {
    if (!agg.empty()) {
      Json items = Json::array();
      if (path == "/api") {
        items.push_back(AggregatedGroup(s, ""));
      } else {
        std::vector<std::string> seen;
        for (const auto& gv : s.resources().GroupVersions()) {
          if (gv.group.empty() ||
              std::find(seen.begin(), seen.end(), gv.group) != seen.end())
            continue;
          seen.push_back(gv.group);
          items.push_back(AggregatedGroup(s, gv.group));
        }
      }
      Json doc = {{"kind", "APIGroupDiscoveryList"},
                  {"apiVersion", "apidiscovery.k8s.io/" + agg},
                  {"metadata", Json::object()},
                  {"items", items}};
      return SendDoc(req, responder, common::DumpJson(doc),
                     "application/json;g=apidiscovery.k8s.io;v=" + agg + ";as=APIGroupDiscoveryList",
                     true);
    }
    if (path == "/api") {
      std::string host(req.Header("Host"));
      if (host.empty()) host = "127.0.0.1:" + std::to_string(s.options().secure_port);
      Json doc = {{"kind", "APIVersions"},
                  {"versions", Json::array({"v1"})},
                  {"serverAddressByClientCIDRs",
                   Json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", host}}})}};
      return SendDoc(req, responder, common::DumpJson(doc), "application/json", false);
    }
    Json groups = Json::array();
    std::vector<std::string> seen;
    for (const auto& gv : s.resources().GroupVersions()) {
      if (gv.group.empty() || std::find(seen.begin(), seen.end(), gv.group) != seen.end()) continue;
      seen.push_back(gv.group);
      groups.push_back(GroupDoc(s, gv.group));
    }
    Json doc = {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
    return SendDoc(req, responder, common::DumpJson(doc), "application/json", false);
  }
  bool served = false;
  for (const auto& gv : s.resources().GroupVersions())
    if (gv.group == info.api_group && (info.api_version.empty() || gv.version == info.api_version))
      served = true;
  if (!served || (info.api_prefix == "api" && info.api_version.empty()))
    return Reply(req, responder, ApiError::ResourceNotFound().ToResponse());
  if (info.api_prefix == "apis" && info.api_version.empty()) {
    Json doc = GroupDoc(s, info.api_group);
    doc = {{"kind", "APIGroup"}, {"apiVersion", "v1"}, {"name", doc["name"]},
           {"versions", doc["versions"]}, {"preferredVersion", doc["preferredVersion"]}};
    return SendDoc(req, responder, common::DumpJson(doc), "application/json", false);
  }
  std::string gv = info.api_group.empty() ? info.api_version : info.api_group + "/" + info.api_version;
  Json doc = {{"kind", "APIResourceList"},
              {"apiVersion", "v1"},
              {"groupVersion", gv},
              {"resources", ResourceList(s, info.api_group, info.api_version)}};
  SendDoc(req, responder, common::DumpJson(doc), "application/json", false);
}

}  // namespace apiserve::handlers
