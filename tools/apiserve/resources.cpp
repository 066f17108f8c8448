#include "resources.h"

#include <algorithm>
#include <map>

#include "common/strings.h"

namespace apiserve {

using common::Json;

bool ServedResource::HasSubresource(std::string_view name) const {
  return std::find(info.subresources.begin(), info.subresources.end(), name) !=
         info.subresources.end();
}

ResourceTable::ResourceTable() {
  for (const auto& ri : common::api::BuiltinResources()) {
    auto r = std::make_shared<ServedResource>();
    r->info = ri;
    builtin_.push_back(std::move(r));
  }
  SetCrds({});
}

std::shared_ptr<const ResourceTable::Snapshot> ResourceTable::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return snap_;
}

ResourcePtr ResourceTable::Find(std::string_view group, std::string_view version,
                                std::string_view resource) const {
  auto s = Get();
  for (const auto& r : s->all)
    if (r->info.resource == resource && r->info.version == version && r->info.group == group)
      return r;
  return nullptr;
}

ResourcePtr ResourceTable::FindKind(std::string_view api_version, std::string_view kind) const {
  auto gv = common::api::GroupVersion::Parse(api_version);
  auto s = Get();
  for (const auto& r : s->all)
    if (r->info.kind == kind && r->info.version == gv.version && r->info.group == gv.group)
      return r;
  return nullptr;
}

std::vector<ResourcePtr> ResourceTable::All() const { return Get()->all; }

std::vector<common::api::GroupVersion> ResourceTable::GroupVersions() const {
  return Get()->gvs;
}

std::string ResourceTable::PreferredVersion(std::string_view group) const {
  for (const auto& gv : Get()->gvs)
    if (gv.group == group) return gv.version;
  return "";
}

std::vector<Json> ResourceTable::Crds() const { return Get()->crds; }

namespace {

// "v1" < "v2" and GA > beta > alpha: Kubernetes' version priority
// (apimachinery version.CompareKubeAwareVersionStrings), highest first.
int VersionRank(const std::string& v, int* major, int* minor) {
  *major = 0;
  *minor = 0;
  if (v.size() < 2 || v[0] != 'v' || !isdigit(static_cast<unsigned char>(v[1]))) return -1;
  size_t i = 1;
  while (i < v.size() && isdigit(static_cast<unsigned char>(v[i]))) *major = *major * 10 + (v[i++] - '0');
  if (i == v.size()) return 3;
  int kind = -1;
  if (v.compare(i, 5, "alpha") == 0) {
    kind = 1;
    i += 5;
  } else if (v.compare(i, 4, "beta") == 0) {
    kind = 2;
    i += 4;
  } else {
    return -1;
  }
  if (i == v.size()) return -1;
  while (i < v.size() && isdigit(static_cast<unsigned char>(v[i]))) *minor = *minor * 10 + (v[i++] - '0');
  return i == v.size() ? kind : -1;
}

bool KubeVersionLess(const std::string& a, const std::string& b) {
  int am, an, bm, bn;
  int ar = VersionRank(a, &am, &an), br = VersionRank(b, &bm, &bn);
  if (ar != br) return ar > br;
  if (ar < 0) return a < b;
  if (ar == 3) return am > bm;
  if (am != bm) return am > bm;
  return an > bn;
}

}  // namespace

std::vector<ServedResource> ResourceTable::FromCrd(const Json& crd) {
  std::vector<ServedResource> out;
  const Json& spec = common::Get(crd, "spec");
  const Json& names = common::Get(spec, "names");
  std::string group = common::GetString(spec, "group");
  std::string plural = common::GetString(names, "plural");
  std::string kind = common::GetString(names, "kind");
  if (group.empty() || plural.empty() || kind.empty()) return out;
  for (const Json& v : common::Get(spec, "versions")) {
    if (!common::GetBool(v, "served", true)) continue;
    ServedResource r;
    r.custom = true;
    r.crd = crd;
    r.crd_version = v;
    auto& ri = r.info;
    ri.group = group;
    ri.version = common::GetString(v, "name");
    ri.resource = plural;
    ri.singular = common::GetString(names, "singular", common::ToLower(kind));
    ri.kind = kind;
    ri.list_kind = common::GetString(names, "listKind", kind + "List");
    ri.namespaced = common::GetString(spec, "scope", "Namespaced") == "Namespaced";
    for (const Json& s : common::Get(names, "shortNames"))
      if (s.is_string()) ri.short_names.push_back(s.get<std::string>());
    for (const Json& s : common::Get(names, "categories"))
      if (s.is_string()) ri.categories.push_back(s.get<std::string>());
    ri.verbs = {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
    const Json& sub = common::Get(v, "subresources");
    if (common::Get(sub, "status").is_object()) ri.subresources.push_back("status");
    if (common::Get(sub, "scale").is_object()) {
      ri.subresources.push_back("scale");
      const Json& sc = common::Get(sub, "scale");
      r.spec_replicas_path = common::GetString(sc, "specReplicasPath");
      r.status_replicas_path = common::GetString(sc, "statusReplicasPath");
      r.label_selector_path = common::GetString(sc, "labelSelectorPath");
    }
    ri.storage_segment = group + "/" + plural;
    // The storage version is the one marked storage=true.
    ri.storage_version = {group, ri.version};
    for (const Json& sv : common::Get(spec, "versions"))
      if (common::GetBool(sv, "storage")) ri.storage_version = {group, common::GetString(sv, "name")};
    ri.tracks_generation = true;
    ri.has_status_subresource = common::Get(sub, "status").is_object();
    out.push_back(std::move(r));
  }
  return out;
}

void ResourceTable::SetCrds(const std::vector<Json>& crds) {
  auto snap = std::make_shared<Snapshot>();
  snap->all = builtin_;
  snap->gvs = common::api::BuiltinGroupVersions();
  // Custom group versions come after the built-ins, groups in name order,
  // versions by Kubernetes version priority.
  std::map<std::string, std::vector<std::string>> custom_gvs;
  for (const Json& crd : crds) {
    auto entries = FromCrd(crd);
    if (entries.empty()) continue;
    snap->crds.push_back(crd);
    for (auto& e : entries) {
      // A CRD may not shadow a built-in resource.
      bool clash = false;
      for (const auto& b : builtin_)
        if (b->info.group == e.info.group && b->info.resource == e.info.resource) clash = true;
      if (clash) continue;
      auto& vs = custom_gvs[e.info.group];
      if (std::find(vs.begin(), vs.end(), e.info.version) == vs.end()) vs.push_back(e.info.version);
      snap->all.push_back(std::make_shared<ServedResource>(std::move(e)));
    }
  }
  for (auto& [group, versions] : custom_gvs) {
    bool builtin_group = false;
    for (const auto& gv : snap->gvs)
      if (gv.group == group) builtin_group = true;
    if (builtin_group) continue;
    std::sort(versions.begin(), versions.end(), KubeVersionLess);
    for (const auto& v : versions) snap->gvs.push_back({group, v});
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    snap_ = std::move(snap);
  }
  generation_.fetch_add(1);
}

}  // namespace apiserve
