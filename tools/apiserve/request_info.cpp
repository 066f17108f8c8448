#include "request_info.h"

#include <array>

#include "common/strings.h"

namespace apiserve {

namespace {
bool IsTrue(const std::optional<std::string>& v) {
  return v && (*v == "true" || *v == "1");
}
}  // namespace

RequestInfo ParseRequestInfo(const common::HttpRequest& req) {
  RequestInfo info;
  info.verb = common::ToLower(req.method);

  // The non-empty path segments as views into req.path; only the first
  // kKept are needed (prefix, group, version, namespaces, ns, resource, name,
  // subresource), the rest are only counted.
  constexpr size_t kKept = 9;
  std::array<std::string_view, kKept> segs;
  size_t n = 0;
  {
    std::string_view p = req.path;
    size_t at = 0;
    while (at < p.size()) {
      size_t slash = p.find('/', at);
      if (slash == std::string_view::npos) slash = p.size();
      if (slash > at) {
        if (n < kKept) segs[n] = p.substr(at, slash - at);
        ++n;
      }
      at = slash + 1;
    }
  }
  if (n == 0 || (segs[0] != "api" && segs[0] != "apis")) return info;
  info.api_prefix = segs[0];
  size_t i = 1;
  if (info.api_prefix == "apis") {
    if (n >= 2) info.api_group = segs[1];
    if (n < 3) return info;  // /apis, /apis/<group>: discovery
    info.api_version = segs[2];
    i = 3;
  } else {
    if (n < 2) return info;  // /api
    info.api_version = segs[1];
    i = 2;
  }
  if (i >= n) return info;  // /api/v1, /apis/g/v: discovery
  info.is_resource_request = true;
  // parts = segs[i, n): the segments after the version.
  auto part = [&](size_t k) -> std::string_view { return i + k < kKept ? segs[i + k] : ""; };
  size_t count = n - i;

  // The deprecated /watch/ path prefix.
  bool watch_prefix = false;
  if (count > 0 && part(0) == "watch") {
    watch_prefix = true;
    ++i;
    --count;
  }
  const std::string& m = req.method;
  if (m == "POST") info.verb = "create";
  else if (m == "GET" || m == "HEAD") info.verb = "get";
  else if (m == "PUT") info.verb = "update";
  else if (m == "PATCH") info.verb = "patch";
  else if (m == "DELETE") info.verb = "delete";
  else info.verb = "";

  // namespaces/<ns>/<resource>/... except namespaces/<ns> and its own subresources.
  if (count >= 1 && part(0) == "namespaces") {
    if (count > 1) {
      info.namespace_ = part(1);
      if (count > 2 && part(2) != "status" && part(2) != "finalize") {
        i += 2;
        count -= 2;
      }
    }
  }
  info.part_count = count;
  if (count >= 3) info.subresource = part(2);
  if (count >= 2) info.name = part(1);
  if (count >= 1) info.resource = part(0);
  // namespaces/<ns>: the namespace object itself.
  if (info.resource == "namespaces" && count >= 2) info.namespace_ = "";
  if (info.resource == "namespaces" && !info.name.empty()) info.namespace_ = info.name;

  if (watch_prefix && info.verb == "get") info.verb = "watch";
  // Only a query can ask for a watch: skip parsing an empty one.
  bool watch_query = !req.query.empty() && IsTrue(req.Query("watch"));
  if (info.verb == "get" && info.name.empty()) {
    info.verb = watch_query ? "watch" : "list";
  } else if (info.verb == "get" && watch_query) {
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
