// The CRD finalizer of apiextensions-apiserver (pkg/controller/finalizer):
// a deleted CRD keeps customresourcecleanup.apiextensions.k8s.io until every
// custom resource of it is gone. Each one is deleted through the normal
// delete path, so one with finalizers of its own only gets a
// deletionTimestamp and holds the CRD until a client removes them.
#include "api_server.h"
#include "common/log.h"
#include "rest.h"
#include "storage/keys.h"

namespace apiserve {

using common::Json;

namespace {

// The served entry of `crd` (any version: all share one storage segment),
// null when none of its versions is served.
ResourcePtr ServedEntry(const ResourceTable& table, const Json& crd) {
  std::string group = common::GetPath(crd, {"spec", "group"}).is_string()
                          ? common::GetPath(crd, {"spec", "group"}).get<std::string>()
                          : "";
  const Json& plural = common::GetPath(crd, {"spec", "names", "plural"});
  for (const auto& r : table.All())
    if (r->custom && r->info.group == group && plural == r->info.resource) return r;
  return nullptr;
}

bool HasFinalizer(const Json& obj, const char* f) {
  for (const Json& x : common::GetPath(obj, {"metadata", "finalizers"}))
    if (x == f) return true;
  return false;
}

}  // namespace

void ApiServer::FinalizeCrds() {
  auto crd_res = resources_.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions");
  if (!crd_res) return;
  std::string crd_prefix = Prefix(*crd_res, "");
  auto crds = store_.List(crd_prefix, common::kv::PrefixEnd(crd_prefix), 0, 0);
  if (!crds.ok()) return;
  for (const auto& item : crds->items) {
    auto crd = common::ParseJson(item.value);
    if (!crd.ok() || !rest::CrdTerminating(*crd) || !HasFinalizer(*crd, rest::kCrdCleanupFinalizer))
      continue;
    const std::string name = item.key.substr(crd_prefix.size());
    auto set_condition = [&](const std::string& reason, const std::string& message,
                             bool drop_finalizer, rest::Stored* out) {
      return rest::Mutate(*this, *crd_res, "", name,
                          [&](Json& obj) -> rest::Outcome {
                            rest::SetCrdTerminating(obj, reason, message);
                            if (!drop_finalizer) return std::nullopt;
                            Json keep = Json::array();
                            for (const Json& f : common::GetPath(obj, {"metadata", "finalizers"}))
                              if (f != rest::kCrdCleanupFinalizer) keep.push_back(f);
                            obj["metadata"]["finalizers"] = keep;
                            return std::nullopt;
                          },
                          false, out);
    };
    std::string reason;
    for (const Json& c : common::GetPath(*crd, {"status", "conditions"}))
      if (common::GetString(c, "type") == "Terminating") reason = common::GetString(c, "reason");
    if (reason == "InstanceDeletionPending" || reason.empty()) {
      rest::Stored out;
      if (set_condition("InstanceDeletionInProgress", "CustomResource deletion is in progress", false,
                        &out))
        continue;
    }

    const std::string group = common::GetString(common::Get(*crd, "spec"), "group");
    const Json& plural = common::GetPath(*crd, {"spec", "names", "plural"});
    if (!plural.is_string()) continue;
    const bool namespaced =
        common::GetString(common::Get(*crd, "spec"), "scope", "Namespaced") == "Namespaced";
    std::string prefix = storage::ListPrefix(opts_.etcd_prefix, group + "/" + plural.get<std::string>(), "");
    auto list = store_.List(prefix, common::kv::PrefixEnd(prefix), 0, 0);
    if (!list.ok()) continue;
    ResourcePtr served = ServedEntry(resources_, *crd);
    size_t remaining = 0;
    for (const auto& cr : list->items) {
      ++remaining;
      auto obj = common::ParseJson(cr.value);
      if (obj.ok() && rest::CrdTerminating(*obj)) continue;  // waits for its own finalizers
      if (!served) continue;
      std::string rest_of_key = cr.key.substr(prefix.size());
      std::string ns, obj_name = rest_of_key;
      if (namespaced) {
        size_t slash = rest_of_key.find('/');
        if (slash == std::string::npos) continue;
        ns = rest_of_key.substr(0, slash);
        obj_name = rest_of_key.substr(slash + 1);
      }
      rest::DeleteOptions opts;
      opts.propagation_policy = "Background";
      rest::Stored out;
      auto e = rest::Delete(*this, *served, ns, obj_name, opts, &out);
      if (!e && !out.exists) --remaining;
      if (e && e->code == 404) --remaining;
      if (e && e->code != 404)
        VLOG(2, "crd finalizer: delete failed", {"crd", name}, {"key", cr.key}, {"err", e->message});
    }
    // No served version: nothing can reach the objects, so they go at once.
    if (!served && remaining > 0) {
      if (!rest::PurgeCustomResources(*this, *crd).ok()) continue;
      remaining = 0;
    }
    if (remaining > 0) continue;  // some wait for their finalizers: try again next round

    rest::Stored out;
    if (set_condition("InstanceDeletionCompleted", "removed all instances", true, &out)) continue;
    // With no finalizers left, the CRD goes.
    if (common::GetPath(out.Obj(), {"metadata", "finalizers"}).empty()) {
      auto rev = store_.Delete(Key(*crd_res, "", name), out.rv);
      if (!rev.ok() && !rev.status().IsConflict())
        LOG_WARNING("crd finalizer: cannot delete the CRD", {"crd", name},
                    {"err", rev.status().ToString()});
    }
    ReloadCrds();
  }
}

}  // namespace apiserve
