#include "discovery.h"

#include <algorithm>

namespace reconcile {
namespace {

void AddList(const Json& list, const std::string& group, const std::string& version,
             std::vector<ApiResource>* out) {
  const Json& resources = common::Get(list, "resources");
  if (!resources.is_array()) return;
  for (const auto& r : resources) {
    std::string name = common::GetString(r, "name");
    if (name.empty() || name.find('/') != std::string::npos) continue;  // subresource
    ApiResource a;
    a.gvr = {group, version, name};
    a.kind = common::GetString(r, "kind");
    a.namespaced = common::GetBool(r, "namespaced");
    const Json& verbs = common::Get(r, "verbs");
    if (verbs.is_array())
      for (const auto& v : verbs)
        if (v.is_string()) a.verbs.push_back(v.get<std::string>());
    out->push_back(std::move(a));
  }
}

}  // namespace

bool ApiResource::Has(std::string_view verb) const {
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

common::Result<std::vector<ApiResource>> DiscoverResources(common::RestClient& client,
                                                           std::string* partial) {
  std::vector<ApiResource> out;
  ASSIGN_OR_RETURN(Json core, client.Raw("GET", "/api/v1"));
  AddList(core, "", "v1", &out);
  ASSIGN_OR_RETURN(Json groups, client.Raw("GET", "/apis"));
  const Json& list = common::Get(groups, "groups");
  if (!list.is_array()) return out;
  for (const auto& g : list) {
    std::string name = common::GetString(g, "name");
    std::string version = common::GetString(common::Get(g, "preferredVersion"), "version");
    if (name.empty() || version.empty()) continue;
    auto rl = client.Raw("GET", "/apis/" + name + "/" + version);
    if (!rl.ok()) {
      if (partial) *partial += (partial->empty() ? "" : ", ") + name + "/" + version;
      continue;
    }
    AddList(*rl, name, version, &out);
  }
  return out;
}

const ApiResource* FindByKind(const std::vector<ApiResource>& resources,
                              std::string_view api_version, std::string_view kind) {
  size_t slash = api_version.find('/');
  std::string_view group = slash == std::string_view::npos ? "" : api_version.substr(0, slash);
  std::string_view version =
      slash == std::string_view::npos ? api_version : api_version.substr(slash + 1);
  const ApiResource* any = nullptr;
  for (const auto& r : resources) {
    if (r.kind != kind || r.gvr.group != group) continue;
    if (r.gvr.version == version) return &r;
    if (!any) any = &r;
  }
  return any;
}

}  // namespace reconcile
