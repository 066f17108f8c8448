// Parses a request's method, path and query into what it asks for, as
// upstream's RequestInfoFactory does: API prefix, group, version, namespace,
// resource, name, subresource and verb.
#pragma once

#include <string>
#include <vector>

#include "common/http_server.h"

namespace apiserve {

struct RequestInfo {
  bool is_resource_request = false;
  // "get", "list", "watch", "create", "update", "patch", "delete",
  // "deletecollection"; for non-resource requests the lower-case method.
  std::string verb;
  std::string api_prefix;  // "api" or "apis"
  std::string api_group;   // "" for the core group
  std::string api_version;
  std::string namespace_;
  std::string resource;
  std::string subresource;
  std::string name;
  // How many path segments follow the version (after namespaces/<ns> and a
  // /watch/ prefix): 1 for a collection, 2 for an object, 3 for a
  // subresource; more is a path no resource serves.
  size_t part_count = 0;
};

// Never fails: paths that are not resource requests come back with
// is_resource_request=false (discovery documents, /healthz, ...). Runs for
// every request (twice for those ServesInline picks), so it splits the path
// into views and allocates only the fields it fills.
RequestInfo ParseRequestInfo(const common::HttpRequest& req);

// The verb upstream's metrics and logs use: "LIST", "WATCH", "GET", "POST",
// "PUT", "PATCH", "DELETE", "APPLY" (upper-case; watch and list split out).
std::string MetricsVerb(const RequestInfo& info, const common::HttpRequest& req);

}  // namespace apiserve
