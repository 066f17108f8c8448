// The built-in resource catalogue, as kube-apiserver v1.32 serves it
// (`kubectl api-resources -o wide`) and stores it (test/integration/etcd/data.go
// lists the etcd paths).
#include "common/api/registry.h"

#include <algorithm>
#include <map>

namespace common::api {
namespace {

const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};

enum Flags : unsigned {
  kNamespaced = 1,
  kCluster = 0,
  kGeneration = 2,  // strategy bumps metadata.generation on spec changes
};

struct Def {
  std::string group, version, resource, singular, kind;
  unsigned flags;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<std::string> subresources;
  std::string storage_segment;  // "" = not stored (bindings, reviews, componentstatuses)
  std::vector<std::string> verbs = kAllVerbs;
  GroupVersion storage_version = {};  // {} = the entry's own
};

ResourceInfo Make(const Def& d) {
  ResourceInfo ri;
  ri.group = d.group;
  ri.version = d.version;
  ri.resource = d.resource;
  ri.singular = d.singular;
  ri.kind = d.kind;
  ri.list_kind = d.kind + "List";
  ri.namespaced = (d.flags & kNamespaced) != 0;
  ri.short_names = d.short_names;
  ri.categories = d.categories;
  ri.verbs = d.verbs;
  ri.subresources = d.subresources;
  std::sort(ri.subresources.begin(), ri.subresources.end());
  ri.storage_segment = d.storage_segment;
  ri.storage_version =
      d.storage_version.version.empty() ? GroupVersion{d.group, d.version} : d.storage_version;
  ri.tracks_generation = (d.flags & kGeneration) != 0;
  ri.has_status_subresource =
      std::find(d.subresources.begin(), d.subresources.end(), "status") != d.subresources.end();
  return ri;
}

const std::vector<std::string> kCreateOnly = {"create"};
const std::vector<std::string> kNoDeleteCollection = {"create", "delete", "get",   "list",
                                                      "patch",  "update", "watch"};

// Upstream's /apis order (aggregator's group priorities), core first.
std::vector<Def> Defs() {
  const unsigned N = kNamespaced, C = kCluster, G = kGeneration;
  const GroupVersion hpa_storage{"autoscaling", "v2"};
  const GroupVersion core_v1{"", "v1"};
  return {
      // core/v1
      {"", "v1", "bindings", "binding", "Binding", N, {}, {}, {}, "", kCreateOnly},
      {"", "v1", "componentstatuses", "componentstatus", "ComponentStatus", C, {"cs"}, {}, {}, "",
       {"get", "list"}},
      {"", "v1", "configmaps", "configmap", "ConfigMap", N, {"cm"}, {}, {}, "configmaps"},
      {"", "v1", "endpoints", "endpoints", "Endpoints", N, {"ep"}, {}, {}, "services/endpoints"},
      {"", "v1", "events", "event", "Event", N, {"ev"}, {}, {}, "events"},
      {"", "v1", "limitranges", "limitrange", "LimitRange", N, {"limits"}, {}, {}, "limitranges"},
      {"", "v1", "namespaces", "namespace", "Namespace", C, {"ns"}, {}, {"finalize", "status"},
       "namespaces", kNoDeleteCollection},
      {"", "v1", "nodes", "node", "Node", C, {"no"}, {}, {"proxy", "status"}, "minions"},
      {"", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", N,
       {"pvc"}, {}, {"status"}, "persistentvolumeclaims"},
      {"", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", C, {"pv"}, {},
       {"status"}, "persistentvolumes"},
      {"", "v1", "pods", "pod", "Pod", N, {"po"}, {"all"},
       {"attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward",
        "proxy", "status"},
       "pods"},
      {"", "v1", "podtemplates", "podtemplate", "PodTemplate", N | G, {}, {}, {}, "podtemplates"},
      {"", "v1", "replicationcontrollers", "replicationcontroller", "ReplicationController", N | G,
       {"rc"}, {"all"}, {"scale", "status"}, "controllers"},
      {"", "v1", "resourcequotas", "resourcequota", "ResourceQuota", N, {"quota"}, {}, {"status"},
       "resourcequotas"},
      {"", "v1", "secrets", "secret", "Secret", N, {}, {}, {}, "secrets"},
      {"", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", N, {"sa"}, {}, {"token"},
       "serviceaccounts"},
      {"", "v1", "services", "service", "Service", N, {"svc"}, {"all"}, {"proxy", "status"},
       "services/specs"},
      // apps/v1
      {"apps", "v1", "controllerrevisions", "controllerrevision", "ControllerRevision", N, {}, {},
       {}, "controllerrevisions"},
      {"apps", "v1", "daemonsets", "daemonset", "DaemonSet", N | G, {"ds"}, {"all"}, {"status"},
       "daemonsets"},
      {"apps", "v1", "deployments", "deployment", "Deployment", N | G, {"deploy"}, {"all"},
       {"scale", "status"}, "deployments"},
      {"apps", "v1", "replicasets", "replicaset", "ReplicaSet", N | G, {"rs"}, {"all"},
       {"scale", "status"}, "replicasets"},
      {"apps", "v1", "statefulsets", "statefulset", "StatefulSet", N | G, {"sts"}, {"all"},
       {"scale", "status"}, "statefulsets"},
      // events.k8s.io/v1: the same objects as core events, stored as core/v1.
      {"events.k8s.io", "v1", "events", "event", "Event", N, {"ev"}, {}, {}, "events", kAllVerbs,
       core_v1},
      // authentication.k8s.io/v1 and authorization.k8s.io/v1: create-only reviews.
      {"authentication.k8s.io", "v1", "selfsubjectreviews", "selfsubjectreview",
       "SelfSubjectReview", C, {}, {}, {}, "", kCreateOnly},
      {"authentication.k8s.io", "v1", "tokenreviews", "tokenreview", "TokenReview", C, {}, {}, {},
       "", kCreateOnly},
      {"authorization.k8s.io", "v1", "localsubjectaccessreviews", "localsubjectaccessreview",
       "LocalSubjectAccessReview", N, {}, {}, {}, "", kCreateOnly},
      {"authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview",
       "SelfSubjectAccessReview", C, {}, {}, {}, "", kCreateOnly},
      {"authorization.k8s.io", "v1", "selfsubjectrulesreviews", "selfsubjectrulesreview",
       "SelfSubjectRulesReview", C, {}, {}, {}, "", kCreateOnly},
      {"authorization.k8s.io", "v1", "subjectaccessreviews", "subjectaccessreview",
       "SubjectAccessReview", C, {}, {}, {}, "", kCreateOnly},
      // autoscaling: v2 preferred; both stored as v2.
      {"autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler",
       "HorizontalPodAutoscaler", N | G, {"hpa"}, {"all"}, {"status"}, "horizontalpodautoscalers",
       kAllVerbs, hpa_storage},
      {"autoscaling", "v1", "horizontalpodautoscalers", "horizontalpodautoscaler",
       "HorizontalPodAutoscaler", N | G, {"hpa"}, {"all"}, {"status"}, "horizontalpodautoscalers",
       kAllVerbs, hpa_storage},
      // batch/v1
      {"batch", "v1", "cronjobs", "cronjob", "CronJob", N | G, {"cj"}, {"all"}, {"status"},
       "cronjobs"},
      {"batch", "v1", "jobs", "job", "Job", N | G, {}, {"all"}, {"status"}, "jobs"},
      // networking.k8s.io/v1
      {"networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass", C | G, {}, {},
       {}, "ingressclasses"},
      {"networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", N | G, {"ing"}, {},
       {"status"}, "ingress"},
      {"networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", N | G,
       {"netpol"}, {}, {}, "networkpolicies"},
      // policy/v1
      {"policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", N | G,
       {"pdb"}, {}, {"status"}, "poddisruptionbudgets"},
      // rbac.authorization.k8s.io/v1
      {"rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding",
       "ClusterRoleBinding", C, {}, {}, {}, "clusterrolebindings"},
      {"rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", C, {}, {},
       {}, "clusterroles"},
      {"rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", N, {}, {},
       {}, "rolebindings"},
      {"rbac.authorization.k8s.io", "v1", "roles", "role", "Role", N, {}, {}, {}, "roles"},
      // storage.k8s.io/v1
      {"storage.k8s.io", "v1", "storageclasses", "storageclass", "StorageClass", C, {"sc"}, {}, {},
       "storageclasses"},
      // apiextensions.k8s.io/v1
      {"apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
       "CustomResourceDefinition", C | G, {"crd", "crds"}, {"api-extensions"}, {"status"},
       "apiextensions.k8s.io/customresourcedefinitions"},
      // scheduling.k8s.io/v1
      {"scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", C, {"pc"},
       {}, {}, "priorityclasses"},
      // coordination.k8s.io/v1
      {"coordination.k8s.io", "v1", "leases", "lease", "Lease", N, {}, {}, {}, "leases"},
      // discovery.k8s.io/v1
      {"discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", N | G, {}, {},
       {}, "endpointslices"},
      // flowcontrol.apiserver.k8s.io/v1
      {"flowcontrol.apiserver.k8s.io", "v1", "flowschemas", "flowschema", "FlowSchema", C | G, {},
       {}, {"status"}, "flowschemas"},
      {"flowcontrol.apiserver.k8s.io", "v1", "prioritylevelconfigurations",
       "prioritylevelconfiguration", "PriorityLevelConfiguration", C | G, {}, {}, {"status"},
       "prioritylevelconfigurations"},
  };
}

std::vector<ResourceInfo> BuildResources() {
  std::vector<ResourceInfo> out;
  for (const Def& d : Defs()) out.push_back(Make(d));
  return out;
}

std::vector<GroupVersion> BuildGroupVersions() {
  std::vector<GroupVersion> out;
  for (const ResourceInfo& ri : BuiltinResources()) {
    GroupVersion gv = ri.gv();
    if (std::find(out.begin(), out.end(), gv) == out.end()) out.push_back(gv);
  }
  return out;
}

}  // namespace

GroupVersion GroupVersion::Parse(std::string_view api_version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return {"", std::string(api_version)};
  return {std::string(api_version.substr(0, slash)), std::string(api_version.substr(slash + 1))};
}

const std::vector<ResourceInfo>& BuiltinResources() {
  static const std::vector<ResourceInfo> resources = BuildResources();
  return resources;
}

const std::vector<GroupVersion>& BuiltinGroupVersions() {
  static const std::vector<GroupVersion> gvs = BuildGroupVersions();
  return gvs;
}

const ResourceInfo* FindResource(std::string_view group, std::string_view version,
                                 std::string_view resource) {
  for (const ResourceInfo& ri : BuiltinResources())
    if (ri.group == group && ri.version == version && ri.resource == resource) return &ri;
  return nullptr;
}

const ResourceInfo* FindKind(std::string_view api_version, std::string_view kind) {
  GroupVersion gv = GroupVersion::Parse(api_version);
  for (const ResourceInfo& ri : BuiltinResources())
    if (ri.group == gv.group && ri.version == gv.version && ri.kind == kind) return &ri;
  return nullptr;
}

std::optional<SubresourceInfo> FindSubresource(const ResourceInfo& ri, std::string_view name) {
  if (std::find(ri.subresources.begin(), ri.subresources.end(), name) == ri.subresources.end())
    return std::nullopt;
  const std::vector<std::string> kGetPatchUpdate = {"get", "patch", "update"};
  const std::vector<std::string> kProxy = {"create", "delete", "get", "patch", "update"};
  SubresourceInfo s;
  s.name = std::string(name);
  s.kind = ri.kind;
  if (name == "status") {
    s.verbs = kGetPatchUpdate;
  } else if (name == "scale") {
    s.group = "autoscaling";
    s.version = "v1";
    s.kind = "Scale";
    s.verbs = kGetPatchUpdate;
  } else if (name == "binding") {
    s.kind = "Binding";
    s.verbs = {"create"};
  } else if (name == "eviction") {
    s.group = "policy";
    s.version = "v1";
    s.kind = "Eviction";
    s.verbs = {"create"};
  } else if (name == "log") {
    s.verbs = {"get"};
  } else if (name == "exec") {
    s.kind = "PodExecOptions";
    s.verbs = {"create", "get"};
  } else if (name == "attach") {
    s.kind = "PodAttachOptions";
    s.verbs = {"create", "get"};
  } else if (name == "portforward") {
    s.kind = "PodPortForwardOptions";
    s.verbs = {"create", "get"};
  } else if (name == "proxy") {
    s.kind = ri.kind + "ProxyOptions";
    s.verbs = kProxy;
  } else if (name == "ephemeralcontainers") {
    s.verbs = kGetPatchUpdate;
  } else if (name == "finalize") {
    s.verbs = {"update"};
  } else if (name == "token") {
    s.group = "authentication.k8s.io";
    s.version = "v1";
    s.kind = "TokenRequest";
    s.verbs = {"create"};
  } else {
    s.verbs = kGetPatchUpdate;
  }
  return s;
}

std::string PreferredVersion(std::string_view group) {
  for (const GroupVersion& gv : BuiltinGroupVersions())
    if (gv.group == group) return gv.version;
  return "";
}

std::vector<const ResourceInfo*> FindResourceVersions(std::string_view group,
                                                      std::string_view resource) {
  std::vector<const ResourceInfo*> out;
  for (const ResourceInfo& ri : BuiltinResources())
    if (ri.group == group && ri.resource == resource) out.push_back(&ri);
  return out;
}

}  // namespace common::api
