// The namespace controller (pkg/controller/namespace): a namespace being
// deleted is emptied of every namespaced resource, then its "kubernetes"
// finalizer is removed through /finalize so the API server deletes it.
#include <map>

#include "common/log.h"
#include "controllers.h"
#include "discovery.h"

namespace reconcile {
namespace {

constexpr char kComponent[] = "namespace-controller";
constexpr char kFinalizer[] = "kubernetes";

class NamespaceController : public QueueController {
 public:
  explicit NamespaceController(const Options& o)
      : QueueController(kComponent, o.concurrent_namespace_syncs), resync_(o.namespace_sync) {}
  ~NamespaceController() override { Stop(); }

  common::Status Init(ControllerContext& ctx) override {
    client_ = &ctx.Client(kComponent);
    namespaces_ = &ctx.informers().ForResource(kNamespaces);
    common::ResourceEventHandler h;
    auto maybe = [this](const ObjectPtr& ns) {
      if (IsDeleting(*ns)) Enqueue(*ns);
    };
    h.on_add = maybe;
    h.on_update = [maybe](const ObjectPtr&, const ObjectPtr& ns) { maybe(ns); };
    namespaces_->AddEventHandler(h, resync_);
    return common::Status::Ok();
  }

 protected:
  common::Status Sync(const std::string& key) override;

 private:
  // Discovery is cached briefly: a burst of namespace deletions shares it.
  common::Result<std::vector<ApiResource>> Resources(std::string* partial) {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = std::chrono::steady_clock::now();
    if (now - discovered_at_ > std::chrono::seconds(30) || resources_.empty()) {
      std::string missing;
      auto r = DiscoverResources(*client_, &missing);
      if (!r.ok()) return r.status();
      resources_ = std::move(*r);
      missing_ = missing;
      discovered_at_ = now;
    }
    *partial = missing_;
    return resources_;
  }
  common::Status SetConditions(const Json& ns, std::map<std::string, std::pair<bool, std::string>> c);

  std::chrono::milliseconds resync_;
  common::RestClient* client_ = nullptr;
  common::Informer* namespaces_ = nullptr;
  std::mutex mu_;
  std::vector<ApiResource> resources_;
  std::string missing_;
  std::chrono::steady_clock::time_point discovered_at_;
};

common::Status NamespaceController::SetConditions(
    const Json& ns, std::map<std::string, std::pair<bool, std::string>> conds) {
  // Fresh copy: the namespace object changes under us as content goes.
  auto fresh = client_->Get(kNamespaces, "", Name(ns));
  if (!fresh.ok()) return fresh.status().IsNotFound() ? common::Status::Ok() : fresh.status();
  Json next = *fresh;
  bool changed = false;
  static const std::map<std::string, std::pair<std::string, std::string>> kReasons = {
      // type -> {reason when false, reason when true}
      {"NamespaceDeletionDiscoveryFailure", {"ResourcesDiscovered", "DiscoveryFailed"}},
      {"NamespaceDeletionGroupVersionParsingFailure", {"ParsedGroupVersions", "GroupVersionParsingFailed"}},
      {"NamespaceDeletionContentFailure", {"ContentDeleted", "ContentDeletionFailed"}},
      {"NamespaceContentRemaining", {"ContentRemoved", "SomeResourcesRemain"}},
      {"NamespaceFinalizersRemaining", {"ContentHasNoFinalizers", "SomeFinalizersRemain"}},
  };
  for (const auto& [type, reasons] : kReasons) {
    auto it = conds.find(type);
    bool on = it != conds.end() && it->second.first;
    std::string message = on ? it->second.second
                              : (type == "NamespaceDeletionDiscoveryFailure"
                                     ? "All resources successfully discovered"
                                     : type == "NamespaceDeletionGroupVersionParsingFailure"
                                           ? "All legacy kube types successfully parsed"
                                           : type == "NamespaceDeletionContentFailure"
                                                 ? "All content successfully deleted, may be waiting on finalization"
                                                 : type == "NamespaceContentRemaining"
                                                       ? "All content successfully removed"
                                                       : "All content-preserving finalizers finished");
    changed |= SetCondition(next["status"], Json{{"type", type},
                                                 {"status", on ? "True" : "False"},
                                                 {"lastTransitionTime", NowText()},
                                                 {"reason", on ? reasons.second : reasons.first},
                                                 {"message", message}});
  }
  if (!changed) return common::Status::Ok();
  auto r = client_->UpdateStatus(kNamespaces, "", next);
  if (!r.ok() && !r.status().IsNotFound()) return r.status();
  return common::Status::Ok();
}

common::Status NamespaceController::Sync(const std::string& key) {
  ObjectPtr cached = namespaces_->store().Get(key);
  if (!cached || !IsDeleting(*cached)) return common::Status::Ok();
  const Json& finalizers = common::GetPath(*cached, {"spec", "finalizers"});
  bool ours = false;
  if (finalizers.is_array())
    for (const auto& f : finalizers) ours |= f == kFinalizer;
  if (!ours) return common::Status::Ok();
  const std::string ns = Name(*cached);

  std::string partial;
  auto resources = Resources(&partial);
  if (!resources.ok()) {
    (void)SetConditions(*cached, {{"NamespaceDeletionDiscoveryFailure",
                                   {true, "Discovery failed: " + resources.status().message()}}});
    return resources.status();
  }

  // Delete everything, by collection where the resource allows it.
  std::string failures;
  for (const auto& r : *resources) {
    if (!r.namespaced || !r.Has("delete") || !r.Has("list")) continue;
    if (r.gvr.group == "" && r.gvr.resource == "events") continue;  // last: kept for debugging
    if (r.Has("deletecollection")) {
      auto st = client_->DeleteCollection(r.gvr, ns);
      if (st.ok() || st.status().IsNotFound() || st.status().code() == common::Code::kMethodNotAllowed)
        continue;
      failures += r.gvr.GroupResource() + ": " + st.status().message() + "; ";
      continue;
    }
    auto list = client_->List(r.gvr, ns);
    if (!list.ok()) continue;
    for (const auto& item : (*list)["items"]) {
      auto st = client_->Delete(r.gvr, ns, Name(item));
      if (!st.ok() && !st.status().IsNotFound())
        failures += r.gvr.GroupResource() + "/" + Name(item) + ": " + st.status().message() + "; ";
    }
  }
  // What is left (graceful pod termination, finalizers).
  std::string remaining, with_finalizers;
  for (const auto& r : *resources) {
    if (!r.namespaced || !r.Has("list") || !r.Has("delete")) continue;
    if (r.gvr.group == "" && r.gvr.resource == "events") continue;
    auto list = client_->List(r.gvr, ns);
    if (!list.ok() || !(*list)["items"].is_array() || (*list)["items"].empty()) continue;
    size_t n = (*list)["items"].size();
    remaining += r.gvr.GroupResource() + " has " + std::to_string(n) + " resource instances, ";
    for (const auto& item : (*list)["items"]) {
      const Json& f = common::GetPath(item, {"metadata", "finalizers"});
      if (f.is_array())
        for (const auto& v : f)
          if (v.is_string()) with_finalizers += v.get<std::string>() + " in " + std::to_string(n) + " resource instances, ";
    }
  }
  std::map<std::string, std::pair<bool, std::string>> conds;
  if (!partial.empty())
    conds["NamespaceDeletionDiscoveryFailure"] = {true, "Discovery failed for some groups: " + partial};
  if (!failures.empty()) conds["NamespaceDeletionContentFailure"] = {true, "Failed to delete all resource types: " + failures};
  if (!remaining.empty()) {
    conds["NamespaceContentRemaining"] = {true, "Some resources are remaining: " + remaining.substr(0, remaining.size() - 2)};
    if (!with_finalizers.empty())
      conds["NamespaceFinalizersRemaining"] = {true, "Some content in the namespace has finalizers remaining: " +
                                                         with_finalizers.substr(0, with_finalizers.size() - 2)};
  }
  RETURN_IF_ERROR(SetConditions(*cached, conds));
  if (!remaining.empty() || !failures.empty()) {
    // Pods terminate gracefully and finalizers take their time: look again soon.
    queue().AddAfter(key, std::chrono::seconds(2));
    return common::Status::Ok();
  }
  // Events last, then let the namespace go.
  (void)client_->DeleteCollection(kEvents, ns);
  auto fresh = client_->Get(kNamespaces, "", ns);
  if (!fresh.ok()) return fresh.status().IsNotFound() ? common::Status::Ok() : fresh.status();
  Json next = *fresh;
  Json kept = Json::array();
  for (const auto& f : common::GetPath(next, {"spec", "finalizers"}))
    if (f != kFinalizer) kept.push_back(f);
  next["spec"]["finalizers"] = kept;
  auto r = client_->UpdateSubresource(kNamespaces, "", next, "finalize");
  if (!r.ok() && !r.status().IsNotFound()) return r.status();
  LOG_INFO("namespace finalized", {"namespace", ns});
  return common::Status::Ok();
}

}  // namespace

std::unique_ptr<Controller> NewNamespaceController(const Options& o) {
  return std::make_unique<NamespaceController>(o);
}

}  // namespace reconcile
