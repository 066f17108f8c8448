// Empties terminating namespaces and then removes their "kubernetes"
// finalizer: the namespace controller's job in kube-controller-manager, done
// in-process (--namespace-finalizer) so `kubectl delete namespace` completes
// on a cluster that runs only apiserve.
#include "api_server.h"
#include "common/log.h"
#include "rest.h"

namespace apiserve {

using common::Json;

void ApiServer::FinalizeNamespaces() {
  auto ns_res = resources_.Find("", "v1", "namespaces");
  if (!ns_res) return;
  auto st = StorageFor(*ns_res);
  if (!st.ok()) return;
  storage::Filter all;
  all.key_prefix = (*st)->prefix;
  for (const auto& o : (*st)->cache->List(all, nullptr)) {
    auto ns = common::ParseJson(o->bytes);
    if (!ns.ok()) continue;
    if (common::GetPath(*ns, {"metadata", "deletionTimestamp"}).is_null()) continue;
    const Json& fins = common::GetPath(*ns, {"spec", "finalizers"});
    bool has = false;
    for (const auto& f : fins)
      if (f == "kubernetes") has = true;
    if (!has) continue;
    const std::string name = o->name;
    // Delete everything in it; done when every resource is empty.
    bool empty = true;
    std::vector<std::string> seen;
    for (const auto& r : resources_.All()) {
      if (!r->info.namespaced || r->info.storage_segment.empty()) continue;
      if (std::find(seen.begin(), seen.end(), r->info.storage_segment) != seen.end()) continue;
      seen.push_back(r->info.storage_segment);
      std::string prefix = Prefix(*r, name);
      auto list = store_.List(prefix, common::kv::PrefixEnd(prefix), 0, 0);
      if (!list.ok()) {
        empty = false;
        continue;
      }
      for (const auto& item : list->items) {
        empty = false;
        std::string obj_name = item.key.substr(prefix.size());
        rest::DeleteOptions opts;
        opts.propagation_policy = "Background";
        rest::Stored out;
        auto e = rest::Delete(*this, *r, name, obj_name, opts, &out);
        if (e && e->code != 404)
          VLOG(2, "namespace finalizer: delete failed", {"namespace", name}, {"key", item.key},
               {"err", e->message});
      }
    }
    if (!empty) continue;
    rest::Stored out;
    auto e = rest::Mutate(*this, *ns_res, "", name,
                          [](Json& obj) -> rest::Outcome {
                            Json keep = Json::array();
                            for (const auto& f : common::GetPath(obj, {"spec", "finalizers"}))
                              if (f != "kubernetes") keep.push_back(f);
                            obj["spec"]["finalizers"] = keep;
                            return std::nullopt;
                          },
                          false, &out);
    if (e) continue;
    // With no finalizers left, the namespace goes.
    if (common::GetPath(out.Obj(), {"spec", "finalizers"}).empty() &&
        common::GetPath(out.Obj(), {"metadata", "finalizers"}).empty()) {
      auto rev = store_.Delete(Key(*ns_res, "", name), out.rv);
      if (!rev.ok() && !rev.status().IsConflict())
        LOG_WARNING("namespace finalizer: cannot delete namespace", {"namespace", name},
                    {"err", rev.status().ToString()});
    }
  }
}

std::vector<std::pair<std::string, size_t>> ApiServer::WatcherCounts() {
  std::vector<std::pair<std::string, size_t>> out;
  std::lock_guard<std::mutex> lock(storage_mu_);
  for (const auto& r : resources_.All()) {
    auto it = storages_.find(r->info.storage_segment);
    if (it == storages_.end()) continue;
    if (r->info.version != resources_.PreferredVersion(r->info.group)) continue;
    out.emplace_back(r->info.group + "|" + r->info.kind + "|" + r->info.version,
                     it->second->cache->WatcherCount());
  }
  return out;
}

}  // namespace apiserve
