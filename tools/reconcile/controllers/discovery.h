// API discovery for the controllers that handle every resource type (the
// namespace controller and the garbage collector): the preferred version of
// each group, subresources left out.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "../kube.h"
#include "common/rest_client.h"

namespace reconcile {

struct ApiResource {
  GroupVersionResource gvr;
  std::string kind;
  bool namespaced = false;
  std::vector<std::string> verbs;
  bool Has(std::string_view verb) const;
};

// Reads /api, /api/v1, /apis and /apis/<group>/<preferred version>. A group
// version that fails to answer is skipped (and reported in *partial, when
// given) rather than failing the whole discovery, as upstream's
// ServerPreferredResources does.
common::Result<std::vector<ApiResource>> DiscoverResources(common::RestClient& client,
                                                           std::string* partial = nullptr);

// Finds the resource of `api_version` + `kind` among `resources` (any
// version of the group when the exact one is not served); null if unknown.
const ApiResource* FindByKind(const std::vector<ApiResource>& resources,
                              std::string_view api_version, std::string_view kind);

}  // namespace reconcile
