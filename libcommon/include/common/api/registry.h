// The catalogue of built-in Kubernetes resources kubix serves: group, version,
// plural, kind, scope, short names, verbs, subresources and storage layout.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace common::api {

struct GroupVersion {
  std::string group;    // "" for the core group
  std::string version;  // "v1"
  // "v1" for core, "apps/v1" otherwise (an object's apiVersion).
  std::string String() const { return group.empty() ? version : group + "/" + version; }
  // Parses an apiVersion string ("v1", "apps/v1").
  static GroupVersion Parse(std::string_view api_version);
  bool operator==(const GroupVersion&) const = default;
};

struct ResourceInfo {
  std::string group;
  std::string version;   // the version this entry serves
  std::string resource;  // plural: "pods"
  std::string singular;  // "pod"
  std::string kind;      // "Pod"
  std::string list_kind; // "PodList"
  bool namespaced = true;
  std::vector<std::string> short_names;   // {"po"}
  std::vector<std::string> categories;    // {"all"}
  // Sorted as upstream's discovery lists them:
  // {"create","delete","deletecollection","get","list","patch","update","watch"}.
  std::vector<std::string> verbs;
  // Subresources served: "status", "scale", "binding", "eviction", "log", "exec",
  // "attach", "portforward", "proxy", "ephemeralcontainers", "resize", "approval", "token".
  std::vector<std::string> subresources;
  // The storage key segment under /registry: usually `resource`, but upstream's
  // historical ones: services -> "services/specs", endpoints -> "services/endpoints",
  // nodes -> "minions", and group-qualified ones where upstream uses them
  // (e.g. "apiextensions.k8s.io/customresourcedefinitions").
  std::string storage_segment;
  // The group/version objects are stored in (HPA: autoscaling/v2 for both v1 and v2).
  GroupVersion storage_version;
  // Spec changes bump metadata.generation (false for kinds without spec semantics).
  bool tracks_generation = false;
  // The main resource ignores status changes, the status subresource ignores the rest.
  bool has_status_subresource = false;

  GroupVersion gv() const { return {group, version}; }
};

// Every built-in resource in every version it is served in (HPA appears for
// autoscaling/v1 and autoscaling/v2). Stable order: groups in upstream's
// discovery order, resources alphabetically within a version.
const std::vector<ResourceInfo>& BuiltinResources();

// The served group versions in upstream's discovery order, preferred version
// of each group first.
const std::vector<GroupVersion>& BuiltinGroupVersions();

// Looks a built-in resource up by group, version and plural name.
const ResourceInfo* FindResource(std::string_view group, std::string_view version,
                                 std::string_view resource);
// Looks a built-in resource up by apiVersion and kind.
const ResourceInfo* FindKind(std::string_view api_version, std::string_view kind);

// What discovery says about one subresource (pods/eviction is policy/v1
// Eviction with verb create; deployments/scale is autoscaling/v1 Scale with
// get, patch, update). group/version are empty when they are the parent's.
struct SubresourceInfo {
  std::string name;      // "status"
  std::string group;     // "" = the parent's group (except core "policy" etc.)
  std::string version;   // "" = the parent's version
  std::string kind;      // "Pod", "Scale", "Eviction"
  std::vector<std::string> verbs;
};

// The subresource `name` of ri, or nullopt when ri does not serve it.
std::optional<SubresourceInfo> FindSubresource(const ResourceInfo& ri, std::string_view name);

// The preferred (first-listed) version of `group`; "" for an unknown group.
std::string PreferredVersion(std::string_view group);

// Every served version of the resource `group`/`resource`, preferred first
// (HPA: autoscaling/v2, autoscaling/v1).
std::vector<const ResourceInfo*> FindResourceVersions(std::string_view group,
                                                      std::string_view resource);

}  // namespace common::api
