#include "request_info.h"

#include "common/strings.h"

namespace apiserve {

namespace {
bool IsTrue(const std::optional<std::string>& v) {
  return v && (*v == "true" || *v == "1");
}
}  // namespace

RequestInfo ParseRequestInfo(const common::HttpRequest& req) {
  RequestInfo info;
  info.path = req.path;
  info.verb = common::ToLower(req.method);

  std::vector<std::string> segs;
  for (auto& s : common::Split(req.path, '/'))
    if (!s.empty()) segs.push_back(s);
  if (segs.empty() || (segs[0] != "api" && segs[0] != "apis")) return info;
  info.api_prefix = segs[0];
  size_t i = 1;
  if (info.api_prefix == "apis") {
    if (segs.size() >= 2) info.api_group = segs[1];
    if (segs.size() < 3) return info;  // /apis, /apis/<group>: discovery
    info.api_group = segs[1];
    info.api_version = segs[2];
    i = 3;
  } else {
    if (segs.size() < 2) return info;  // /api
    info.api_version = segs[1];
    i = 2;
  }
  if (i >= segs.size()) return info;  // /api/v1, /apis/g/v: discovery
  info.is_resource_request = true;
  std::vector<std::string> parts(segs.begin() + i, segs.end());

  // The deprecated /watch/ path prefix.
  bool watch_prefix = false;
  if (!parts.empty() && parts[0] == "watch") {
    watch_prefix = true;
    parts.erase(parts.begin());
  }
  const std::string& m = req.method;
  if (m == "POST") info.verb = "create";
  else if (m == "GET" || m == "HEAD") info.verb = "get";
  else if (m == "PUT") info.verb = "update";
  else if (m == "PATCH") info.verb = "patch";
  else if (m == "DELETE") info.verb = "delete";
  else info.verb = "";

  // namespaces/<ns>/<resource>/... except namespaces/<ns> and its own subresources.
  if (parts.size() >= 1 && parts[0] == "namespaces") {
    if (parts.size() > 1) {
      info.namespace_ = parts[1];
      if (parts.size() > 2 && parts[2] != "status" && parts[2] != "finalize") {
        parts.erase(parts.begin(), parts.begin() + 2);
      }
    }
  }
  info.parts = parts;
  if (parts.size() >= 3) info.subresource = parts[2];
  if (parts.size() >= 2) info.name = parts[1];
  if (!parts.empty()) info.resource = parts[0];
  // namespaces/<ns>: the namespace object itself.
  if (info.resource == "namespaces" && parts.size() >= 2) info.namespace_ = "";
  if (info.resource == "namespaces" && !info.name.empty()) info.namespace_ = info.name;

  if (watch_prefix && info.verb == "get") info.verb = "watch";
  if (info.verb == "get" && info.name.empty()) {
    info.verb = IsTrue(req.Query("watch")) ? "watch" : "list";
  } else if (info.verb == "get" && IsTrue(req.Query("watch"))) {
    // ?watch on a single object is a watch with a name field selector.
    info.verb = "watch";
  }
  if (info.verb == "delete" && info.name.empty()) info.verb = "deletecollection";
  return info;
}

std::string MetricsVerb(const RequestInfo& info, const common::HttpRequest& req) {
  if (!info.is_resource_request) return req.method;
  if (info.verb == "list") return "LIST";
  if (info.verb == "watch") return "WATCH";
  if (info.verb == "patch" &&
      req.Header("Content-Type").starts_with("application/apply-patch"))
    return "APPLY";
  if (req.method == "HEAD") return "GET";
  return req.method;
}

}  // namespace apiserve
