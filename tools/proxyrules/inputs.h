// Feeds Kubernetes objects (from files or a watch) into the Model, skipping
// the ones kube-proxy would not proxy and, with a logged reason and a
// metric, the malformed ones.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "model/model.h"

namespace proxyrules {

struct LoadStats {
  size_t services = 0;        // Services added
  size_t endpoint_slices = 0; // EndpointSlices added
  size_t endpoints = 0;       // core/v1 Endpoints added
  size_t ignored = 0;         // not proxied by design, or another kind
  size_t invalid = 0;         // malformed, skipped
};

// Adds (or replaces) one object. A malformed Service or slice is logged,
// counted in proxyrules_invalid_objects_total{kind} and removed from the
// model, so nothing stale survives it. Returns false if it was skipped.
bool ApplyObject(const common::Json& obj, IPFamily family, Model* model, LoadStats* stats);

// Removes the Service, EndpointSlice or Endpoints that `obj` names.
void DeleteObject(const common::Json& obj, Model* model);

// Reads every file (JSON or YAML; "-" is stdin) and applies its objects.
// Fails only when a file cannot be read or parsed at all.
common::Status LoadFiles(const std::vector<std::string>& paths, IPFamily family, Model* model,
                         LoadStats* stats);

}  // namespace proxyrules
