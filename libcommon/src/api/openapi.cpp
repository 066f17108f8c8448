// The OpenAPI documents: /openapi/v2 for everything, the /openapi/v3 index,
// and one /openapi/v3 document per group version, each holding the paths of
// that group version and the definitions they reach (as kube-apiserver's
// per-group-version documents do). Generated documents are memoized: the
// built-in part never changes and kubectl fetches them on every run.
#include "common/api/openapi.h"

#include <openssl/evp.h>

#include <list>
#include <mutex>

#include "crd_internal.h"
#include "openapi_internal.h"

namespace common::api {
namespace {

using openapi::Flavor;

constexpr const char* kApiResourceListDef = "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList";

Json Info() { return Json{{"title", "Kubernetes"}, {"version", "v1.32.0"}}; }

Json BearerToken() {
  return Json{{"type", "apiKey"},
              {"description", "Bearer Token authentication"},
              {"name", "authorization"},
              {"in", "header"}};
}

std::string GvPath(const std::string& group, const std::string& version) {
  return group.empty() ? "api/" + version : "apis/" + group + "/" + version;
}

// What goes into a document: the paths, and the definitions they reach.
struct Parts {
  Json paths = Json::object();
  std::set<std::string> table_defs;  // schema-table definitions (closure taken later)
  Json custom_defs = Json::object();  // CRD definitions, already rendered
};

void AddBuiltin(const ResourceInfo& ri, Flavor f, Parts& parts) {
  const schema::TypeDef* t = schema::ForResource(ri);
  if (!t) return;
  openapi::PathTarget target{&ri, t->name, t->name + "List"};
  std::set<std::string> refs;
  openapi::AddResourcePaths(target, f, parts.paths, refs);
  parts.table_defs.insert(t->name);
  for (const std::string& r : refs) {
    if (r == target.list_def) {
      parts.custom_defs[r] = openapi::ListDefinition(t->name, ri.kind, ri.group, ri.version, f);
      parts.table_defs.insert("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta");
    } else {
      parts.table_defs.insert(r);
    }
  }
}

void AddCustom(const Json& crd, const std::string& version_filter_group,
               const std::string& version_filter, Flavor f, Parts& parts) {
  for (const crd::Version& v : crd::ServedVersions(crd)) {
    if (!version_filter.empty() &&
        (v.info.group != version_filter_group || v.info.version != version_filter))
      continue;
    std::string pkg = crd::DefinitionPackage(v.info.group, v.info.version);
    openapi::PathTarget target{&v.info, pkg + "." + v.info.kind, pkg + "." + v.info.list_kind};
    std::set<std::string> refs;
    openapi::AddResourcePaths(target, f, parts.paths, refs);
    parts.custom_defs[target.item_def] = crd::OpenApiDefinition(crd, *v.version, f == Flavor::kV3);
    parts.table_defs.insert("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    for (const std::string& r : refs) {
      if (r == target.list_def) {
        Json list = openapi::ListDefinition(target.item_def, v.info.kind, v.info.group,
                                            v.info.version, f);
        // The list kind is the CRD's own listKind, not always <Kind>List.
        list["x-kubernetes-group-version-kind"][0]["kind"] = v.info.list_kind;
        parts.custom_defs[r] = std::move(list);
        parts.table_defs.insert("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta");
      } else {
        parts.table_defs.insert(r);
      }
    }
  }
}

Json Definitions(const Parts& parts, Flavor f) {
  std::set<std::string> all;
  for (const std::string& name : parts.table_defs) openapi::AddReachable(name, all);
  Json defs = Json::object();
  // Sorted by name, custom definitions among them, as upstream lists them.
  std::map<std::string, const Json*> custom;
  for (auto it = parts.custom_defs.begin(); it != parts.custom_defs.end(); ++it)
    custom[it.key()] = &it.value();
  std::set<std::string> names = all;
  for (const auto& [name, _] : custom) names.insert(name);
  for (const std::string& name : names) {
    auto c = custom.find(name);
    if (c != custom.end()) {
      defs[name] = *c->second;
    } else if (const schema::TypeDef* t = schema::Find(name)) {
      defs[name] = openapi::Definition(*t, f);
    }
  }
  return defs;
}

Json BuildV2(const std::vector<ResourceInfo>& resources, const std::vector<Json>& crds) {
  Parts parts;
  for (const ResourceInfo& ri : resources) AddBuiltin(ri, Flavor::kV2, parts);
  for (const Json& crd : crds) AddCustom(crd, "", "", Flavor::kV2, parts);
  Json doc = Json::object();
  doc["swagger"] = "2.0";
  doc["info"] = Info();
  doc["paths"] = std::move(parts.paths);
  doc["definitions"] = Definitions(parts, Flavor::kV2);
  doc["securityDefinitions"] = {{"BearerToken", BearerToken()}};
  doc["security"] = Json::array({Json{{"BearerToken", Json::array()}}});
  return doc;
}

std::string BuildV3(const std::string& path, const std::vector<ResourceInfo>& resources,
                    const std::vector<Json>& crds) {
  GroupVersion gv;
  if (path.rfind("api/", 0) == 0 && path.find('/', 4) == std::string::npos) {
    gv = {"", path.substr(4)};
  } else if (path.rfind("apis/", 0) == 0) {
    gv = GroupVersion::Parse(path.substr(5));
    if (gv.group.empty() || gv.version.empty() || gv.version.find('/') != std::string::npos)
      return "";
  } else {
    return "";
  }
  Parts parts;
  bool found = false;
  for (const ResourceInfo& ri : resources) {
    if (ri.group != gv.group || ri.version != gv.version) continue;
    found = true;
    AddBuiltin(ri, Flavor::kV3, parts);
  }
  for (const Json& crd : crds) {
    size_t before = parts.custom_defs.size();
    AddCustom(crd, gv.group, gv.version, Flavor::kV3, parts);
    if (parts.custom_defs.size() != before) found = true;
  }
  if (!found) return "";
  // The group version's discovery document comes first, as upstream's.
  Json paths = Json::object();
  std::string root = "/" + path + "/";
  std::string og = openapi::OperationGroup(gv.group, gv.version);
  Json ok_content = Json::object();
  for (const char* m : {"application/json", "application/yaml"})
    ok_content[m] = {{"schema", Json{{"$ref", openapi::Ref(Flavor::kV3, kApiResourceListDef)}}}};
  paths[root] = {{"get",
                  {{"tags", Json::array({openapi::Tag(gv.group, gv.version)})},
                   {"description", "get available resources"},
                   {"operationId", "get" + og + "APIResources"},
                   {"responses",
                    {{"200", {{"description", "OK"}, {"content", ok_content}}},
                     {"401", {{"description", "Unauthorized"}}}}}}}};
  parts.table_defs.insert(kApiResourceListDef);
  for (auto it = parts.paths.begin(); it != parts.paths.end(); ++it) paths[it.key()] = it.value();
  Json doc = Json::object();
  doc["openapi"] = "3.0.0";
  doc["info"] = Info();
  doc["paths"] = std::move(paths);
  doc["components"] = {{"schemas", Definitions(parts, Flavor::kV3)},
                       {"securitySchemes", {{"BearerToken", BearerToken()}}}};
  doc["security"] = Json::array({Json{{"BearerToken", Json::array()}}});
  return DumpJson(doc);
}

// A small memo of generated documents keyed by everything they depend on.
// The key holds the CRDs' JSON, so a changed CRD never hits a stale entry.
class Memo {
 public:
  template <typename Build>
  std::string Get(const std::string& key, Build build) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = entries_.begin(); it != entries_.end(); ++it)
        if (it->first == key) {
          entries_.splice(entries_.begin(), entries_, it);
          return it->second;
        }
    }
    std::string doc = build();
    std::lock_guard<std::mutex> lock(mu_);
    entries_.emplace_front(key, doc);
    if (entries_.size() > kMaxEntries) entries_.pop_back();
    return doc;
  }

 private:
  static constexpr size_t kMaxEntries = 96;
  std::mutex mu_;
  std::list<std::pair<std::string, std::string>> entries_;
};

Memo& DocMemo() {
  static Memo* memo = new Memo();
  return *memo;
}

std::string Key(const std::string& what, const std::vector<ResourceInfo>& resources,
                const std::vector<Json>& crds) {
  std::string key = what;
  key += '\n';
  for (const ResourceInfo& ri : resources) {
    key += ri.group + "/" + ri.version + "/" + ri.resource + (ri.namespaced ? "+" : "-");
    for (const std::string& v : ri.verbs) key += v + ",";
    for (const std::string& s : ri.subresources) key += s + ",";
    key += ';';
  }
  key += '\n';
  for (const Json& crd : crds) key += DumpJson(Get(crd, "spec"));
  return key;
}

// The CRDs of a group version (documents for other group versions do not
// depend on them, so they are left out of the memo key).
std::vector<Json> CrdsOf(const std::string& path, const std::vector<Json>& crds) {
  std::vector<Json> out;
  for (const Json& crd : crds) {
    std::string group = GetString(Get(crd, "spec"), "group");
    for (const Json& v : Get(Get(crd, "spec"), "versions"))
      if (path == GvPath(group, GetString(v, "name"))) {
        out.push_back(crd);
        break;
      }
  }
  return out;
}

}  // namespace

std::string OpenApiHash(std::string_view document) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(document.data(), document.size(), digest, &len, EVP_sha512(), nullptr);
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

std::string OpenApiV2(const std::vector<ResourceInfo>& resources, const std::vector<Json>& crds) {
  return DocMemo().Get(Key("v2", resources, crds),
                       [&] { return DumpJson(BuildV2(resources, crds)); });
}

std::string OpenApiV2Protobuf(const std::vector<ResourceInfo>& resources,
                              const std::vector<Json>& crds) {
  return DocMemo().Get(Key("v2 protobuf", resources, crds),
                       [&] { return openapi::SwaggerToProtobuf(BuildV2(resources, crds)); });
}

std::string OpenApiV3(const std::string& path, const std::vector<ResourceInfo>& resources,
                      const std::vector<Json>& crds) {
  std::vector<Json> mine = CrdsOf(path, crds);
  std::vector<ResourceInfo> same_gv;
  for (const ResourceInfo& ri : resources)
    if (GvPath(ri.group, ri.version) == path) same_gv.push_back(ri);
  if (same_gv.empty() && mine.empty()) return "";
  return DocMemo().Get(Key("v3 " + path, same_gv, mine),
                       [&] { return BuildV3(path, same_gv, mine); });
}

Json OpenApiV3Index(const std::vector<GroupVersion>& gvs, const std::vector<Json>& crds) {
  Json paths = Json::object();
  auto add = [&](const std::string& group, const std::string& version) {
    std::string p = GvPath(group, version);
    if (paths.contains(p)) return;
    std::string doc = OpenApiV3(p, BuiltinResources(), crds);
    if (doc.empty()) return;
    paths[p] = {{"serverRelativeURL", "/openapi/v3/" + p + "?hash=" + OpenApiHash(doc)}};
  };
  for (const GroupVersion& gv : gvs) add(gv.group, gv.version);
  for (const Json& crd : crds)
    for (const crd::Version& v : crd::ServedVersions(crd)) add(v.info.group, v.info.version);
  return Json{{"paths", paths}};
}

}  // namespace common::api
