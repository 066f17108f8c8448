// OpenAPI v2/v3 documents.
#include "common/api/openapi.h"

namespace common::api {

std::string OpenApiV2(const std::vector<ResourceInfo>& resources, const std::vector<Json>& crds) {
  (void)resources;
  (void)crds;
  return DumpJson(Json{{"swagger", "2.0"},
                       {"info", {{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
                       {"paths", Json::object()},
                       {"definitions", Json::object()}});
}

Json OpenApiV3Index(const std::vector<GroupVersion>& gvs, const std::vector<Json>& crds) {
  (void)crds;
  Json paths = Json::object();
  for (const GroupVersion& gv : gvs) {
    std::string p = gv.group.empty() ? "api/" + gv.version : "apis/" + gv.String();
    paths[p] = {{"serverRelativeURL", "/openapi/v3/" + p}};
  }
  return Json{{"paths", paths}};
}

std::string OpenApiV3(const std::string& path, const std::vector<ResourceInfo>& resources,
                      const std::vector<Json>& crds) {
  (void)path;
  (void)resources;
  (void)crds;
  return "";
}

}  // namespace common::api
