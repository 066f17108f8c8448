// The custom resource strategy (apiextensions-apiserver
// pkg/registry/customresource/strategy.go and status_strategy.go).
#include "common/api/custom.h"

namespace common::api {
namespace {

// The object without metadata (and without status when `skip_status`).
Json Content(const Json& obj, bool skip_status) {
  Json out = Json::object();
  if (!obj.is_object()) return out;
  for (auto it = obj.begin(); it != obj.end(); ++it)
    if (it.key() != "metadata" && !(skip_status && it.key() == "status")) out[it.key()] = it.value();
  return out;
}

}  // namespace

void PrepareCustomForCreate(const ResourceInfo& ri, Json& obj) {
  if (!obj.is_object()) return;
  if (ri.has_status_subresource) obj.erase("status");
  if (!obj.contains("metadata") || !obj["metadata"].is_object()) obj["metadata"] = Json::object();
  obj["metadata"]["generation"] = 1;
}

bool PrepareCustomForUpdate(const ResourceInfo& ri, Json& obj, const Json& old) {
  if (!obj.is_object()) return false;
  if (ri.has_status_subresource) {
    if (old.is_object() && old.contains("status")) obj["status"] = old["status"];
    else obj.erase("status");
  }
  return Content(obj, ri.has_status_subresource) != Content(old, ri.has_status_subresource);
}

void PrepareCustomForStatusUpdate(const ResourceInfo& ri, Json& obj, const Json& old) {
  (void)ri;
  if (!obj.is_object()) return;
  bool has_status = obj.contains("status");
  Json status = has_status ? obj["status"] : Json();
  Json managed = GetPath(obj, {"metadata", "managedFields"});
  Json out = old;
  if (has_status) out["status"] = std::move(status);
  else out.erase("status");
  if (out.contains("metadata") && out["metadata"].is_object()) {
    if (managed.is_null()) out["metadata"].erase("managedFields");
    else out["metadata"]["managedFields"] = std::move(managed);
  }
  obj = std::move(out);
}

}  // namespace common::api
