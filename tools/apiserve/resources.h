// The resources apiserve serves: the built-in catalogue (common/api/registry.h)
// plus one entry per version of every established CustomResourceDefinition.
// Lookups read an immutable snapshot, so CRDs appear and vanish without
// locking readers.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/api/registry.h"
#include "common/json.h"

namespace apiserve {

struct ServedResource {
  common::api::ResourceInfo info;
  bool custom = false;
  common::Json crd;          // custom: the CRD object
  common::Json crd_version;  // custom: its spec.versions[] entry for info.version
  // custom /scale: JSON paths from the CRD's subresources.scale.
  std::string spec_replicas_path;
  std::string status_replicas_path;
  std::string label_selector_path;

  bool HasSubresource(std::string_view name) const;
};
using ResourcePtr = std::shared_ptr<const ServedResource>;

// Thread-safe.
class ResourceTable {
 public:
  ResourceTable();

  // By group, version and plural; null when not served.
  ResourcePtr Find(std::string_view group, std::string_view version,
                   std::string_view resource) const;
  // By apiVersion and kind.
  ResourcePtr FindKind(std::string_view api_version, std::string_view kind) const;
  // Every served resource, built-ins first in catalogue order.
  std::vector<ResourcePtr> All() const;
  // Served group versions in discovery order (preferred version of each group first).
  std::vector<common::api::GroupVersion> GroupVersions() const;
  // The preferred version of `group`.
  std::string PreferredVersion(std::string_view group) const;
  // The CRD objects currently served (for OpenAPI).
  std::vector<common::Json> Crds() const;
  // A counter bumped on every change (discovery and OpenAPI ETags).
  uint64_t generation() const { return generation_.load(); }

  // Replaces the custom resources with those of `crds` (CRD objects; only
  // versions with served=true of CRDs whose names are accepted).
  void SetCrds(const std::vector<common::Json>& crds);

  // The entries a CRD object defines (exposed for validation and tests).
  static std::vector<ServedResource> FromCrd(const common::Json& crd);

 private:
  struct Snapshot {
    std::vector<ResourcePtr> all;
    std::vector<common::api::GroupVersion> gvs;
    std::vector<common::Json> crds;
  };
  std::shared_ptr<const Snapshot> Get() const;

  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> snap_;
  std::vector<ResourcePtr> builtin_;
  std::atomic<uint64_t> generation_{1};
};

}  // namespace apiserve
